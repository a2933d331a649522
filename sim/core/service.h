// A Service (core/v1) with every field that changes how traffic is routed to it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/ip.h"
#include "sim/core/labels.h"
#include "sim/core/protocol.h"
#include "sim/core/source_ref.h"

namespace knetsim::core {

using ServiceId = uint32_t;

enum class ServiceType { ClusterIP, NodePort, LoadBalancer, ExternalName };
enum class TrafficPolicy { Cluster, Local };
enum class SessionAffinity { None, ClientIP };

const char* service_type_name(ServiceType t);
const char* traffic_policy_name(TrafficPolicy t);

inline constexpr int kDefaultAffinityTimeoutSeconds = 10800;  // core/v1 default (3 hours)

struct ServicePort {
  std::string name;
  Protocol protocol = Protocol::TCP;
  int port = 0;
  PortRef target_port;  // defaults to `port`
  int node_port = 0;    // 0 = none (ClusterIP) or to be allocated
  std::string app_protocol;
  SourceRef source;  // the nodePort field when written, else the port entry
};

struct Service {
  std::string ns;
  std::string name;
  Labels labels;
  ServiceType type = ServiceType::ClusterIP;
  std::optional<Ipv4> cluster_ip;  // empty for headless and ExternalName
  SourceRef cluster_ip_source;     // where spec.clusterIP was written
  bool headless = false;           // clusterIP: None
  std::vector<ServicePort> ports;
  // spec.selector: absent means endpoints are managed by the user (explicit EndpointSlices).
  std::optional<Labels> selector;
  std::vector<Ipv4> external_ips;
  std::optional<Ipv4> load_balancer_ip;           // spec.loadBalancerIP (deprecated but used)
  std::vector<Ipv4> load_balancer_ingress;        // status.loadBalancer.ingress[].ip
  std::vector<Cidr> load_balancer_source_ranges;  // spec.loadBalancerSourceRanges
  TrafficPolicy external_traffic_policy = TrafficPolicy::Cluster;
  TrafficPolicy internal_traffic_policy = TrafficPolicy::Cluster;
  SessionAffinity session_affinity = SessionAffinity::None;
  int affinity_timeout_s = kDefaultAffinityTimeoutSeconds;
  int health_check_node_port = 0;  // LoadBalancer + externalTrafficPolicy Local
  std::string external_name;
  bool publish_not_ready_addresses = false;
  bool allocate_load_balancer_node_ports = true;
  SourceRef source;

  std::string key() const { return ns + "/" + name; }
  bool has_node_ports() const {
    return type == ServiceType::NodePort ||
           (type == ServiceType::LoadBalancer && allocate_load_balancer_node_ports);
  }
  // Cluster IP, external IPs and LB ingress IPs in that order: the addresses that accept traffic.
  std::vector<Ipv4> load_balancer_ips() const;
};

}  // namespace knetsim::core
