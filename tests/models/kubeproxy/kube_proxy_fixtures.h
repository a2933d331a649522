// Clusters rebuilt from the inputs of kube-proxy's own unit tests (pkg/proxy/iptables
// proxier_test.go and number_generated_rules_test.go, NewFakeProxier conventions): node
// "test-node" at 192.168.0.2, pod CIDR / local detector 10.0.0.0/8, localhost NodePorts on,
// nfacct counters present, no --random-fully (the fake iptables lacks it).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sim/core/cluster.h"
#include "sim/models/kubeproxy/proxy_options.h"

namespace knetsim::models::kubeproxy::testing {

inline core::Ipv4 ip(const char* s) { return *core::Ipv4::parse(s); }
inline core::Cidr cidr(const char* s) { return *core::Cidr::parse(s); }

inline core::Cluster fake_proxier_cluster() {
  core::Cluster c;
  c.name = "kube-proxy-test";
  core::Node n;
  n.name = "test-node";
  n.ip = ip("192.168.0.2");
  n.pod_cidr = cidr("10.0.0.0/24");
  c.nodes.push_back(n);
  c.kube_proxy.cluster_cidr = cidr("10.0.0.0/8");
  return c;
}

inline ProxyOptions fake_proxier_options(const core::Cluster& c) {
  ProxyOptions o = ProxyOptions::from(c.kube_proxy);
  o.random_fully = false;
  o.nfacct = true;
  return o;
}

inline core::ServicePort tcp_port(const std::string& name, int port, int node_port = 0) {
  core::ServicePort p;
  p.name = name;
  p.protocol = core::Protocol::TCP;
  p.port = port;
  p.target_port.number = port;
  p.node_port = node_port;
  return p;
}

inline core::Service service(const std::string& ns, const std::string& name, const char* cluster_ip,
                             std::vector<core::ServicePort> ports) {
  core::Service s;
  s.ns = ns;
  s.name = name;
  s.cluster_ip = ip(cluster_ip);
  s.ports = std::move(ports);
  return s;
}

struct Ep {
  const char* address;
  std::string node;
};

inline core::EndpointSlice slice(const std::string& ns, const std::string& svc,
                                 const std::string& port_name, int port, std::vector<Ep> eps) {
  core::EndpointSlice es;
  es.ns = ns;
  es.name = svc + "-1";
  es.service_name = svc;
  es.managed = false;
  es.ports.push_back(core::EndpointPort{port_name, core::Protocol::TCP, port});
  for (const auto& e : eps) {
    core::Endpoint ep;
    ep.address = ip(e.address);
    ep.node_name = e.node;
    es.endpoints.push_back(ep);
  }
  return es;
}

// TestOverallIPTablesRules: six services covering ClusterIP, LoadBalancer with Local policy,
// NodePort, external IPs, LoadBalancer with source ranges and affinity, and no endpoints.
inline core::Cluster overall_rules_cluster() {
  core::Cluster c = fake_proxier_cluster();
  c.services.push_back(service("ns1", "svc1", "172.30.0.41", {tcp_port("p80", 80)}));
  {
    core::Service s = service("ns2", "svc2", "172.30.0.42", {tcp_port("p80", 80, 3001)});
    s.type = core::ServiceType::LoadBalancer;
    s.external_traffic_policy = core::TrafficPolicy::Local;
    s.load_balancer_ingress = {ip("1.2.3.4")};
    s.external_ips = {ip("192.168.99.22")};
    s.health_check_node_port = 30000;
    c.services.push_back(s);
  }
  {
    core::Service s = service("ns3", "svc3", "172.30.0.43", {tcp_port("p80", 80, 3003)});
    s.type = core::ServiceType::NodePort;
    c.services.push_back(s);
  }
  {
    // NodePort type without a node port: kube-proxy programs no NodePort rule for it.
    core::Service s = service("ns4", "svc4", "172.30.0.44", {tcp_port("p80", 80)});
    s.type = core::ServiceType::NodePort;
    s.external_ips = {ip("192.168.99.33")};
    c.services.push_back(s);
  }
  {
    core::Service s = service("ns5", "svc5", "172.30.0.45", {tcp_port("p80", 80, 3002)});
    s.type = core::ServiceType::LoadBalancer;
    s.load_balancer_ingress = {ip("5.6.7.8")};
    s.health_check_node_port = 30000;
    s.load_balancer_source_ranges = {cidr("203.0.113.0/25")};
    s.session_affinity = core::SessionAffinity::ClientIP;
    s.affinity_timeout_s = 10800;
    c.services.push_back(s);
  }
  c.services.push_back(service("ns6", "svc6", "172.30.0.46", {tcp_port("p80", 80)}));
  c.endpoint_slices.push_back(slice("ns1", "svc1", "p80", 80, {{"10.180.0.1", ""}}));
  c.endpoint_slices.push_back(slice("ns2", "svc2", "p80", 80, {{"10.180.0.2", ""}}));
  c.endpoint_slices.push_back(slice("ns3", "svc3", "p80", 80, {{"10.180.0.3", ""}}));
  c.endpoint_slices.push_back(
      slice("ns4", "svc4", "p80", 80, {{"10.180.0.4", ""}, {"10.180.0.5", "test-node"}}));
  c.endpoint_slices.push_back(slice("ns5", "svc5", "p80", 80, {{"10.180.0.3", ""}}));
  c.reindex();
  return c;
}

// generateServiceEndpoints() of number_generated_rules_test.go: `services` services
// namespace/svcI (cluster IP 10.0.0.1+I, port 80+I named "8080"), each with `endpoints`
// endpoints 172.16.0.1+J:8080; LoadBalancer variant with external IP, LB IP 1.2.3.4 and source
// range 1.2.3.4/28, node port 30000+I.
inline core::Cluster generated_rules_cluster(int services, int endpoints, bool load_balancer) {
  core::Cluster c = fake_proxier_cluster();
  for (int i = 0; i < services; ++i) {
    core::Ipv4 cip{ip("10.0.0.1").value + static_cast<uint32_t>(i)};
    core::Service s;
    s.ns = "namespace";
    s.name = "svc" + std::to_string(i);
    s.cluster_ip = cip;
    core::ServicePort p = tcp_port("8080", 80 + i);
    p.target_port.number = 8080;
    if (load_balancer) {
      p.node_port = 30000 + i;
      s.type = core::ServiceType::LoadBalancer;
      s.external_ips = {ip("1.2.3.4")};
      s.load_balancer_source_ranges = {cidr("1.2.3.4/28")};
      s.load_balancer_ingress = {ip("1.2.3.4")};
      s.health_check_node_port = 32000 + services + i;
    }
    s.ports.push_back(p);
    c.services.push_back(s);
    core::EndpointSlice es;
    es.ns = "namespace";
    es.name = s.name;
    es.service_name = s.name;
    es.managed = false;
    es.ports.push_back(core::EndpointPort{"8080", core::Protocol::TCP, 8080});
    for (int j = 0; j < endpoints; ++j) {
      core::Endpoint ep;
      ep.address = core::Ipv4{ip("172.16.0.1").value + static_cast<uint32_t>(j)};
      es.endpoints.push_back(ep);
    }
    c.endpoint_slices.push_back(es);
  }
  c.reindex();
  return c;
}

}  // namespace knetsim::models::kubeproxy::testing
