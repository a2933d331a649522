#include "sim/core/service.h"

namespace knetsim::core {

const char* service_type_name(ServiceType t) {
  switch (t) {
    case ServiceType::ClusterIP:
      return "ClusterIP";
    case ServiceType::NodePort:
      return "NodePort";
    case ServiceType::LoadBalancer:
      return "LoadBalancer";
    case ServiceType::ExternalName:
      return "ExternalName";
  }
  return "?";
}

const char* traffic_policy_name(TrafficPolicy t) {
  return t == TrafficPolicy::Local ? "Local" : "Cluster";
}

std::vector<Ipv4> Service::load_balancer_ips() const {
  std::vector<Ipv4> out = load_balancer_ingress;
  if (out.empty() && load_balancer_ip) out.push_back(*load_balancer_ip);
  return out;
}

}  // namespace knetsim::core
