// A pod as the network sees it: identity, labels, placement, IP and declared container ports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/ip.h"
#include "sim/core/labels.h"
#include "sim/core/node.h"
#include "sim/core/protocol.h"
#include "sim/core/source_ref.h"

namespace knetsim::core {

using PodId = uint32_t;

struct ContainerPort {
  std::string name;  // optional; must be unique within the pod when set
  int container_port = 0;
  Protocol protocol = Protocol::TCP;
  int host_port = 0;
};

struct Container {
  std::string name;
  std::string image;
  std::vector<ContainerPort> ports;
};

// The parts of a PodSpec knetsim models; shared by Pod and workload templates.
struct PodSpec {
  std::vector<Container> containers;
  std::string node_name;  // spec.nodeName: pins the pod
  SourceRef node_name_source;
  Labels node_selector;
  bool host_network = false;
  std::string hostname;   // spec.hostname
  std::string subdomain;  // spec.subdomain (headless DNS)
};

struct Pod {
  std::string ns;
  std::string name;
  Labels labels;
  PodSpec spec;
  // Resolved by the cluster builder:
  NodeId node = 0;
  Ipv4 ip;  // the node IP for hostNetwork pods
  SourceRef ip_source;  // where status.podIP was written, when it was
  std::string phase = "Running";
  bool ready = true;
  bool terminating = false;
  std::string owner_kind;  // Deployment, StatefulSet, ... or empty
  std::string owner_name;
  SourceRef source;

  std::string key() const { return ns + "/" + name; }
  // The container port with this name, as the endpoint controller resolves a named targetPort.
  const ContainerPort* find_port(const std::string& port_name, Protocol protocol) const;
};

}  // namespace knetsim::core
