// What a drawn item stands for: the kind of cluster object and its index in core::Cluster, so a
// selection in any view can be described by details.h without the view knowing the model.
#pragma once

#include <cstdint>
#include <string>

namespace knetsim::gui {

enum class ObjectKind { None, Node, Pod, Service, Ingress, External, Zone, Namespace };

struct ObjectRef {
  ObjectKind kind = ObjectKind::None;
  uint32_t id = 0;   // NodeId, PodId, ServiceId, ingress index; zone/namespace: index in a list
  std::string name;  // zone or namespace name for aggregates
};

}  // namespace knetsim::gui
