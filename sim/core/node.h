// A cluster node: the host the simulator models (CPU, NIC) and where kube-proxy programs rules.
#pragma once

#include <cstdint>
#include <string>

#include "sim/core/ip.h"
#include "sim/core/labels.h"
#include "sim/core/source_ref.h"

namespace knetsim::core {

using NodeId = uint32_t;

struct Node {
  std::string name;
  Labels labels;  // includes kubernetes.io/hostname and topology.kubernetes.io/zone
  std::string zone;
  int cpu_cores = 4;
  double cpu_ghz = 2.5;
  double nic_bps = 10e9;
  Ipv4 ip;        // InternalIP
  Cidr pod_cidr;  // spec.podCIDR
  bool ready = true;
  bool schedulable = true;  // false when cordoned (spec.unschedulable)
  SourceRef source;
};

}  // namespace knetsim::core
