// Service (core/v1), validated as the API server validates it.
#include <set>

#include "sim/core/manifest_kinds.h"
#include "sim/core/names.h"
#include "sim/core/parse_common.h"

namespace knetsim::core {

namespace {

ServicePort parse_service_port(const Field& p, ServiceType type, size_t port_count) {
  p.expect_map();
  p.check_keys({"name", "protocol", "port", "targetPort", "nodePort", "appProtocol"});
  ServicePort sp;
  Field name = p["name"];
  if (name.defined()) {
    sp.name = name.str();
    std::string e = check_dns1123_label(sp.name);
    if (!e.empty()) name.error("invalid port name \"" + sp.name + "\": " + e);
  } else if (port_count > 1) {
    p.error("a port name is required when a Service has more than one port");
  }
  sp.protocol = parse_protocol_field(p["protocol"]);
  sp.port = parse_port_number(p.require("port"));
  Field target = p["targetPort"];
  sp.target_port = target.defined() ? parse_port_ref(target) : PortRef{sp.port, ""};
  Field node_port = p["nodePort"];
  if (node_port.defined()) {
    if (type != ServiceType::NodePort && type != ServiceType::LoadBalancer) {
      node_port.error("nodePort may only be set on NodePort and LoadBalancer services");
    }
    sp.node_port = parse_port_number(node_port);
  }
  sp.source = node_port.defined() ? node_port.where() : p.where();
  sp.app_protocol = p["appProtocol"].str_or("");
  return sp;
}

}  // namespace

void parse_service(const Field& doc, ManifestSet& out) {
  ObjectMeta meta = parse_metadata(doc, true, NameRule::Rfc1035);
  Service svc;
  svc.ns = meta.ns;
  svc.name = meta.name;
  svc.labels = meta.labels;
  svc.source = meta.source;
  Field spec = doc.require("spec");
  spec.expect_map();
  std::string type = spec["type"].defined()
                         ? spec["type"].one_of({"ClusterIP", "NodePort", "LoadBalancer",
                                                "ExternalName"})
                         : "ClusterIP";
  svc.type = type == "NodePort"       ? ServiceType::NodePort
             : type == "LoadBalancer" ? ServiceType::LoadBalancer
             : type == "ExternalName" ? ServiceType::ExternalName
                                      : ServiceType::ClusterIP;

  Field cluster_ip = spec["clusterIP"];
  if (!cluster_ip.defined() && spec["clusterIPs"].defined()) {
    auto ips = spec["clusterIPs"].items();
    if (!ips.empty()) cluster_ip = ips.front();
  }
  if (cluster_ip.defined()) {
    std::string s = cluster_ip.str();
    if (s == "None") {
      svc.headless = true;
      if (svc.type != ServiceType::ClusterIP) {
        cluster_ip.error("clusterIP: None (headless) is only valid for type ClusterIP");
      }
    } else if (!s.empty()) {
      svc.cluster_ip = parse_ipv4_field(cluster_ip);
      svc.cluster_ip_source = cluster_ip.where();
    }
  }

  if (svc.type == ServiceType::ExternalName) {
    svc.external_name = spec.require("externalName").str();
  }
  Field ports = spec["ports"];
  auto port_fields = ports.items();
  if (port_fields.empty() && !svc.headless && svc.type != ServiceType::ExternalName) {
    spec.require("ports");
    ports.error("a Service needs at least one port (only headless and ExternalName services may "
                "have none)");
  }
  std::set<std::string> names;
  std::set<std::pair<int, Protocol>> seen;
  for (const Field& p : port_fields) {
    ServicePort sp = parse_service_port(p, svc.type, port_fields.size());
    if (!sp.name.empty() && !names.insert(sp.name).second) {
      p["name"].error("port name \"" + sp.name + "\" is used twice");
    }
    if (!seen.insert({sp.port, sp.protocol}).second) {
      p["port"].error("port " + std::to_string(sp.port) + "/" + protocol_name(sp.protocol) +
                      " is listed twice");
    }
    svc.ports.push_back(std::move(sp));
  }

  Field selector = spec["selector"];
  if (selector.defined()) svc.selector = parse_labels(selector);

  for (const Field& ip : spec["externalIPs"].items()) svc.external_ips.push_back(parse_ipv4_field(ip));
  if (spec["loadBalancerIP"].defined() && !spec["loadBalancerIP"].str().empty()) {
    svc.load_balancer_ip = parse_ipv4_field(spec["loadBalancerIP"]);
  }
  for (const Field& r : spec["loadBalancerSourceRanges"].items()) {
    svc.load_balancer_source_ranges.push_back(parse_cidr_field(r));
  }
  auto policy = [](const Field& f) {
    return f.defined() && f.one_of({"Cluster", "Local"}) == "Local" ? TrafficPolicy::Local
                                                                    : TrafficPolicy::Cluster;
  };
  Field etp = spec["externalTrafficPolicy"];
  svc.external_traffic_policy = policy(etp);
  if (svc.external_traffic_policy == TrafficPolicy::Local && svc.type != ServiceType::NodePort &&
      svc.type != ServiceType::LoadBalancer && svc.external_ips.empty()) {
    etp.error("externalTrafficPolicy: Local needs a NodePort or LoadBalancer service (or "
              "externalIPs)");
  }
  svc.internal_traffic_policy = policy(spec["internalTrafficPolicy"]);
  Field affinity = spec["sessionAffinity"];
  if (affinity.defined() && affinity.one_of({"None", "ClientIP"}) == "ClientIP") {
    svc.session_affinity = SessionAffinity::ClientIP;
  }
  Field timeout = spec["sessionAffinityConfig"]["clientIP"]["timeoutSeconds"];
  if (timeout.defined()) svc.affinity_timeout_s = static_cast<int>(timeout.integer(1, 86400));
  Field hc = spec["healthCheckNodePort"];
  if (hc.defined()) svc.health_check_node_port = parse_port_number(hc);
  svc.publish_not_ready_addresses = spec["publishNotReadyAddresses"].boolean_or(false);
  svc.allocate_load_balancer_node_ports = spec["allocateLoadBalancerNodePorts"].boolean_or(true);
  for (const Field& ing : doc["status"]["loadBalancer"]["ingress"].items()) {
    if (ing["ip"].defined()) svc.load_balancer_ingress.push_back(parse_ipv4_field(ing["ip"]));
  }
  out.services.push_back(std::move(svc));
}

}  // namespace knetsim::core
