// User-written EndpointSlices (discovery.k8s.io/v1) and legacy Endpoints (core/v1), for
// services without a selector. Legacy Endpoints become one slice per subset.
#include "sim/core/manifest_kinds.h"
#include "sim/core/parse_common.h"

namespace knetsim::core {

namespace {

EndpointPort parse_endpoint_port(const Field& p) {
  p.expect_map();
  EndpointPort ep;
  ep.name = p["name"].str_or("");
  ep.protocol = parse_protocol_field(p["protocol"]);
  ep.port = parse_port_number(p.require("port"));
  return ep;
}

}  // namespace

void parse_endpoint_slice(const Field& doc, ManifestSet& out) {
  ObjectMeta meta = parse_metadata(doc, true, NameRule::Subdomain);
  EndpointSlice slice;
  slice.ns = meta.ns;
  slice.name = meta.name;
  slice.managed = false;
  slice.source = meta.source;
  auto svc = meta.labels.find("kubernetes.io/service-name");
  if (svc == meta.labels.end()) {
    doc["metadata"]["labels"].error(
        "an EndpointSlice needs the label kubernetes.io/service-name naming its Service");
  }
  slice.service_name = svc->second;
  Field type = doc.require("addressType");
  if (type.one_of({"IPv4", "IPv6", "FQDN"}) != "IPv4") {
    type.warn("only IPv4 EndpointSlices are modelled; this slice is skipped");
    return;
  }
  for (const Field& e : doc["endpoints"].items()) {
    e.expect_map();
    auto addrs = e.require("addresses").items();
    if (addrs.empty()) e["addresses"].error("an endpoint needs at least one address");
    Endpoint ep;
    ep.address = parse_ipv4_field(addrs.front());
    Field cond = e["conditions"];
    ep.ready = cond["ready"].boolean_or(true);
    ep.serving = cond["serving"].boolean_or(ep.ready);
    ep.terminating = cond["terminating"].boolean_or(false);
    ep.node_name = e["nodeName"].str_or("");
    ep.zone = e["zone"].str_or("");
    ep.hostname = e["hostname"].str_or("");
    slice.endpoints.push_back(std::move(ep));
  }
  for (const Field& p : doc["ports"].items()) slice.ports.push_back(parse_endpoint_port(p));
  out.endpoint_slices.push_back(std::move(slice));
}

void parse_endpoints(const Field& doc, ManifestSet& out) {
  ObjectMeta meta = parse_metadata(doc, true, NameRule::Subdomain);
  int index = 0;
  for (const Field& subset : doc["subsets"].items()) {
    EndpointSlice slice;
    slice.ns = meta.ns;
    slice.name = meta.name + "-legacy-" + std::to_string(index++);
    slice.service_name = meta.name;
    slice.managed = false;
    slice.source = subset.where();
    auto add = [&](const Field& list, bool ready) {
      for (const Field& a : list.items()) {
        Endpoint ep;
        ep.address = parse_ipv4_field(a.require("ip"));
        ep.ready = ready;
        ep.serving = ready;
        ep.node_name = a["nodeName"].str_or("");
        ep.hostname = a["hostname"].str_or("");
        slice.endpoints.push_back(std::move(ep));
      }
    };
    add(subset["addresses"], true);
    add(subset["notReadyAddresses"], false);
    for (const Field& p : subset["ports"].items()) slice.ports.push_back(parse_endpoint_port(p));
    out.endpoint_slices.push_back(std::move(slice));
  }
}

}  // namespace knetsim::core
