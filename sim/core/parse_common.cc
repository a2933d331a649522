#include "sim/core/parse_common.h"

#include <set>

#include "sim/core/names.h"

namespace knetsim::core {

ObjectMeta parse_metadata(const Field& doc, bool namespaced, NameRule rule) {
  Field meta = doc.require("metadata");
  meta.expect_map();
  ObjectMeta out;
  Field name = meta.require("name");
  out.name = name.str();
  std::string bad = rule == NameRule::Label     ? check_dns1123_label(out.name)
                    : rule == NameRule::Rfc1035 ? check_dns1035_label(out.name)
                                                : check_dns1123_subdomain(out.name);
  if (!bad.empty()) name.error("invalid name \"" + out.name + "\": " + bad);
  Field ns = meta["namespace"];
  if (namespaced) {
    out.ns = ns.str_or("default");
    std::string e = check_dns1123_label(out.ns);
    if (!e.empty()) ns.error("invalid namespace \"" + out.ns + "\": " + e);
  } else if (ns.defined()) {
    ns.warn("this kind is cluster-scoped; metadata.namespace is ignored");
  }
  out.labels = parse_labels(meta["labels"]);
  out.source = doc.where();
  return out;
}

Labels parse_labels(const Field& f) {
  Labels out;
  for (const auto& [key, value] : f.entries()) {
    std::string e = check_label_key(key);
    if (!e.empty()) value.error("invalid label key \"" + key + "\": " + e);
    std::string v = value.defined() ? value.str() : "";
    e = check_label_value(v);
    if (!e.empty()) value.error("invalid label value \"" + v + "\": " + e);
    out[key] = v;
  }
  return out;
}

LabelSelector parse_label_selector(const Field& f) {
  LabelSelector sel;
  if (!f.defined()) return sel;
  f.expect_map();
  f.check_keys({"matchLabels", "matchExpressions"});
  sel.match_labels = parse_labels(f["matchLabels"]);
  for (const Field& e : f["matchExpressions"].items()) {
    e.expect_map();
    e.check_keys({"key", "operator", "values"});
    SelectorRequirement req;
    Field key = e.require("key");
    req.key = key.str();
    std::string bad = check_label_key(req.key);
    if (!bad.empty()) key.error("invalid label key \"" + req.key + "\": " + bad);
    std::string op = e.require("operator").one_of({"In", "NotIn", "Exists", "DoesNotExist"});
    req.op = op == "In"      ? SelectorOp::In
             : op == "NotIn" ? SelectorOp::NotIn
             : op == "Exists" ? SelectorOp::Exists
                              : SelectorOp::DoesNotExist;
    Field values = e["values"];
    for (const Field& v : values.items()) req.values.push_back(v.str());
    bool needs_values = req.op == SelectorOp::In || req.op == SelectorOp::NotIn;
    if (needs_values && req.values.empty()) {
      values.error("operator " + op + " needs a non-empty values list");
    }
    if (!needs_values && !req.values.empty()) {
      values.error("operator " + op + " takes no values");
    }
    sel.match_expressions.push_back(std::move(req));
  }
  return sel;
}

Protocol parse_protocol_field(const Field& f) {
  if (!f.defined()) return Protocol::TCP;
  return *parse_protocol(f.one_of({"TCP", "UDP", "SCTP"}));
}

int parse_port_number(const Field& f) { return static_cast<int>(f.integer(1, 65535)); }

PortRef parse_port_ref(const Field& f) {
  if (f.is_plain_scalar()) {
    const std::string& s = f.node().Scalar();
    if (!s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-')) {
      return PortRef{parse_port_number(f), ""};
    }
  }
  std::string name = f.str();
  std::string e = check_port_name(name);
  if (!e.empty()) {
    f.error("expected a port number from 1 to 65535 or a port name, got \"" + name +
            "\" (a port name " + e + ")");
  }
  return PortRef{0, name};
}

Ipv4 parse_ipv4_field(const Field& f) {
  auto ip = Ipv4::parse(f.str());
  if (!ip) f.error("expected an IPv4 address such as 10.96.0.10, got " + f.describe());
  return *ip;
}

Cidr parse_cidr_field(const Field& f, bool strict) {
  std::string s = f.str();
  auto c = Cidr::parse(s, false);
  if (!c) f.error("expected an IPv4 CIDR such as 10.0.0.0/16, got " + f.describe());
  if (strict && c->base.value != Ipv4::parse(s.substr(0, s.find('/')))->value) {
    f.error("CIDR \"" + s + "\" has host bits set; did you mean " + c->str() + "?");
  }
  return *c;
}

namespace {

Container parse_container(const Field& c, std::set<std::string>& port_names) {
  c.expect_map();
  Container out;
  out.name = c.require("name").str();
  out.image = c["image"].str_or("");
  for (const Field& p : c["ports"].items()) {
    p.expect_map();
    p.check_keys({"name", "containerPort", "protocol", "hostPort", "hostIP"});
    ContainerPort port;
    Field name = p["name"];
    if (name.defined()) {
      port.name = name.str();
      std::string e = check_port_name(port.name);
      if (!e.empty()) name.error("invalid port name \"" + port.name + "\": " + e);
      if (!port_names.insert(port.name).second) {
        name.error("port name \"" + port.name + "\" is used twice in this pod");
      }
    }
    port.container_port = parse_port_number(p.require("containerPort"));
    port.protocol = parse_protocol_field(p["protocol"]);
    if (p["hostPort"].defined()) port.host_port = parse_port_number(p["hostPort"]);
    out.ports.push_back(std::move(port));
  }
  return out;
}

}  // namespace

PodSpec parse_pod_spec(const Field& spec) {
  spec.expect_map();
  PodSpec out;
  std::set<std::string> port_names;
  Field containers = spec.require("containers");
  if (containers.items().empty()) containers.error("a pod needs at least one container");
  for (const Field& c : containers.items()) out.containers.push_back(parse_container(c, port_names));
  for (const Field& c : spec["initContainers"].items()) {
    // Init containers' ports are not serving ports; parsed only for validation.
    parse_container(c, port_names);
  }
  out.node_name = spec["nodeName"].str_or("");
  out.node_name_source = spec["nodeName"].where();
  out.node_selector = parse_labels(spec["nodeSelector"]);
  out.host_network = spec["hostNetwork"].boolean_or(false);
  out.hostname = spec["hostname"].str_or("");
  out.subdomain = spec["subdomain"].str_or("");
  return out;
}

}  // namespace knetsim::core
