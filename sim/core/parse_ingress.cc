// Ingress (networking.k8s.io/v1).
#include "sim/core/manifest_kinds.h"
#include "sim/core/parse_common.h"

namespace knetsim::core {

namespace {

IngressBackend parse_backend(const Field& b) {
  b.expect_map();
  Field svc = b["service"];
  if (!svc.defined()) {
    if (b["resource"].defined()) b.error("resource backends are not modelled; use a service backend");
    b.require("service");
  }
  svc.expect_map();
  IngressBackend out;
  out.service_name = svc.require("name").str();
  Field port = svc.require("port");
  port.expect_map();
  Field number = port["number"];
  Field name = port["name"];
  if (number.defined() == name.defined()) port.error("exactly one of number or name is required");
  out.port = number.defined() ? PortRef{parse_port_number(number), ""} : PortRef{0, name.str()};
  return out;
}

}  // namespace

void parse_ingress(const Field& doc, ManifestSet& out) {
  ObjectMeta meta = parse_metadata(doc, true, NameRule::Subdomain);
  Ingress ing;
  ing.ns = meta.ns;
  ing.name = meta.name;
  ing.labels = meta.labels;
  ing.source = meta.source;
  Field spec = doc.require("spec");
  spec.expect_map();
  spec.check_keys({"ingressClassName", "defaultBackend", "rules", "tls"});
  ing.class_name = spec["ingressClassName"].str_or("");
  if (spec["defaultBackend"].defined()) ing.default_backend = parse_backend(spec["defaultBackend"]);
  for (const Field& r : spec["rules"].items()) {
    r.expect_map();
    IngressRule rule;
    rule.host = r["host"].str_or("");
    for (const Field& p : r["http"]["paths"].items()) {
      p.expect_map();
      IngressPath path;
      Field type = p.require("pathType");
      std::string t = type.one_of({"Exact", "Prefix", "ImplementationSpecific"});
      path.type = t == "Exact" ? PathType::Exact
                  : t == "Prefix" ? PathType::Prefix
                                  : PathType::ImplementationSpecific;
      Field pf = p["path"];
      path.path = pf.str_or("/");
      if (path.path.empty() || path.path[0] != '/') pf.error("a path must start with \"/\"");
      path.backend = parse_backend(p.require("backend"));
      rule.paths.push_back(std::move(path));
    }
    ing.rules.push_back(std::move(rule));
  }
  if (ing.rules.empty() && !ing.default_backend) {
    spec.error("an Ingress needs rules or a defaultBackend");
  }
  for (const Field& t : spec["tls"].items()) {
    IngressTls tls;
    for (const Field& h : t["hosts"].items()) tls.hosts.push_back(h.str());
    tls.secret_name = t["secretName"].str_or("");
    ing.tls.push_back(std::move(tls));
  }
  out.ingresses.push_back(std::move(ing));
}

}  // namespace knetsim::core
