// EndpointSlice (discovery.k8s.io/v1): the endpoints kube-proxy programs for a Service.
// Derived slices group pods that resolve a named targetPort to the same numbers, as the
// EndpointSlice controller does; user-written slices are kept as given.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/core/ip.h"
#include "sim/core/pod.h"
#include "sim/core/protocol.h"
#include "sim/core/source_ref.h"

namespace knetsim::core {

struct Endpoint {
  Ipv4 address;  // one IPv4 address per endpoint (addressType IPv4)
  bool ready = true;
  bool serving = true;
  bool terminating = false;
  std::string node_name;
  std::string zone;
  std::string hostname;
  std::optional<PodId> pod;  // targetRef when it names a known pod
};

struct EndpointPort {
  std::string name;
  Protocol protocol = Protocol::TCP;
  int port = 0;
};

struct EndpointSlice {
  std::string ns;
  std::string name;
  std::string service_name;  // label kubernetes.io/service-name
  std::vector<Endpoint> endpoints;
  std::vector<EndpointPort> ports;
  bool managed = true;  // true when the controller derived it from the service selector
  SourceRef source;
};

}  // namespace knetsim::core
