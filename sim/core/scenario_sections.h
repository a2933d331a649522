// Parsers for the sections of a knetsim/v1 Scenario (internal to the scenario loader).
#pragma once

#include "sim/core/scenario.h"
#include "sim/core/yaml_field.h"

namespace knetsim::core {

void parse_cluster_section(const Field& f, ClusterSpec& out);
void parse_cni_section(const Field& f, CniSpec& out);
void parse_kube_proxy_section(const Field& f, KubeProxySpec& out);
void parse_generate_section(const Field& f, GenerateSpec& out);
std::vector<TrafficSpec> parse_traffic_section(const Field& f);
std::vector<EventSpec> parse_events_section(const Field& f);

}  // namespace knetsim::core
