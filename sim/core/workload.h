// Pod-creating workloads (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job) before expansion.
#pragma once

#include <optional>
#include <string>

#include "sim/core/labels.h"
#include "sim/core/pod.h"
#include "sim/core/source_ref.h"

namespace knetsim::core {

enum class WorkloadKind { Deployment, ReplicaSet, StatefulSet, DaemonSet, Job };

const char* workload_kind_name(WorkloadKind k);

struct PodTemplate {
  Labels labels;
  PodSpec spec;
};

struct Workload {
  WorkloadKind kind = WorkloadKind::Deployment;
  std::string ns;
  std::string name;
  Labels labels;
  LabelSelector selector;  // spec.selector; must match the template labels
  int replicas = 1;        // Job: parallelism; DaemonSet: ignored (one per eligible node)
  std::string service_name;  // StatefulSet spec.serviceName
  PodTemplate template_;
  SourceRef source;

  std::string key() const { return ns + "/" + name; }
};

}  // namespace knetsim::core
