#include "sim/core/pod.h"

namespace knetsim::core {

const ContainerPort* Pod::find_port(const std::string& port_name, Protocol protocol) const {
  for (const auto& c : spec.containers) {
    for (const auto& p : c.ports) {
      if (p.name == port_name && p.protocol == protocol) return &p;
    }
  }
  return nullptr;
}

}  // namespace knetsim::core
