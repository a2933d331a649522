// Shared pieces of Kubernetes object parsing: metadata, labels, selectors, ports, pod specs.
// Each reads a located Field and fails with the Kubernetes rule that was broken.
#pragma once

#include <string>

#include "sim/core/ip.h"
#include "sim/core/labels.h"
#include "sim/core/pod.h"
#include "sim/core/protocol.h"
#include "sim/core/source_ref.h"
#include "sim/core/yaml_field.h"

namespace knetsim::core {

struct ObjectMeta {
  std::string name;
  std::string ns;  // empty for cluster-scoped objects
  Labels labels;
  SourceRef source;
};

enum class NameRule { Subdomain, Label, Rfc1035 };

// `doc` is the whole object; reads metadata.{name,namespace,labels}, ignores the rest of
// metadata (annotations, uid, ...) silently because exported objects carry plenty of it.
ObjectMeta parse_metadata(const Field& doc, bool namespaced, NameRule rule);
Labels parse_labels(const Field& f);
LabelSelector parse_label_selector(const Field& f);
Protocol parse_protocol_field(const Field& f);  // absent -> TCP
PortRef parse_port_ref(const Field& f);           // IntOrString: 1..65535 or an IANA_SVC_NAME
int parse_port_number(const Field& f);            // 1..65535
Ipv4 parse_ipv4_field(const Field& f);
Cidr parse_cidr_field(const Field& f, bool strict = false);
PodSpec parse_pod_spec(const Field& spec);

}  // namespace knetsim::core
