// Traffic and event specifications of a scenario, read by the simulator and emulator.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/labels.h"
#include "sim/core/protocol.h"
#include "sim/core/source_ref.h"

namespace knetsim::core {

enum class Distribution { Constant, Exponential, Lognormal, Uniform };

// A positive random quantity in nanoseconds. Lognormal is given by its median and p99.
struct DurationDist {
  Distribution dist = Distribution::Constant;
  int64_t value_ns = 0;   // constant / exponential mean / lognormal median / uniform low
  int64_t p99_ns = 0;     // lognormal
  int64_t high_ns = 0;    // uniform
};

struct TrafficSource {
  bool external = false;
  std::string ns;           // pods in this namespace...
  LabelSelector selector;   // ...matching this selector
  std::string pod;          // or one pod: "ns/name"
  SourceRef pod_source;     // where `pod` was written
};

enum class TargetKind { Service, Ingress, Pod, NodePort, LoadBalancer };

struct TrafficTarget {
  TargetKind kind = TargetKind::Service;
  std::string name;  // "ns/name" for service/pod; host for ingress
  std::string path = "/";
  int port = 0;
  std::string node;  // NodePort target node (empty: spread over nodes)
  SourceRef name_source;  // where the target (service, pod, ingress host) was written
  SourceRef port_source;  // where `port` was written (the target map when defaulted)
};

enum class Arrival { Poisson, Constant };

struct TrafficSpec {
  std::string name;
  TrafficSource from;
  TrafficTarget to;
  Protocol protocol = Protocol::TCP;
  double rate_per_s = 0;  // open loop when > 0
  Arrival arrival = Arrival::Poisson;
  int concurrency = 0;    // closed loop when > 0
  bool keepalive = false;
  int64_t request_bytes = 200;
  int64_t response_bytes = 2048;
  DurationDist service_time;
  bool dns_lookup = false;
  int64_t start_ns = 0;
  std::optional<int64_t> stop_ns;
  SourceRef source;
  std::string path;  // "traffic[3]": the field path of this item, for errors
};

enum class EventKind { Scale, DeletePod, FailNode, DrainNode, RecoverNode, AddServices, RemoveServices };

const char* event_kind_name(EventKind k);

struct EventSpec {
  int64_t at_ns = 0;
  EventKind kind = EventKind::Scale;
  std::string target;  // deployment "ns/name", pod "ns/name", node name, or namespace
  int count = 0;       // replicas for scale, services for add/remove
  int endpoints_per_service = 1;
  SourceRef source;
  SourceRef target_source;  // where the deployment, pod or node name was written
  std::string path;         // "events[1]": the field path of this item, for errors
};

}  // namespace knetsim::core
