// A Kubernetes Namespace. Its labels always carry kubernetes.io/metadata.name (added by the API
// server since 1.21), which NetworkPolicy namespaceSelectors commonly match on.
#pragma once

#include <string>

#include "sim/core/labels.h"
#include "sim/core/source_ref.h"

namespace knetsim::core {

inline constexpr const char* kNamespaceNameLabel = "kubernetes.io/metadata.name";

struct Namespace {
  std::string name;
  Labels labels;
  SourceRef source;
};

}  // namespace knetsim::core
