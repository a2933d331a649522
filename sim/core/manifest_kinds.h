// One parser per modelled Kubernetes kind; called by the manifest loader's dispatch.
#pragma once

#include "sim/core/scenario.h"
#include "sim/core/yaml_field.h"

namespace knetsim::core {

void parse_namespace(const Field& doc, ManifestSet& out);
void parse_node(const Field& doc, ManifestSet& out);
void parse_pod(const Field& doc, ManifestSet& out);
void parse_workload(const Field& doc, WorkloadKind kind, ManifestSet& out);
void parse_service(const Field& doc, ManifestSet& out);
void parse_endpoint_slice(const Field& doc, ManifestSet& out);
void parse_endpoints(const Field& doc, ManifestSet& out);
void parse_network_policy(const Field& doc, ManifestSet& out);
void parse_ingress(const Field& doc, ManifestSet& out);
void parse_cluster_network_policy(const Field& doc, ManifestSet& out);
void parse_admin_network_policy(const Field& doc, ManifestSet& out);
void parse_baseline_admin_network_policy(const Field& doc, ManifestSet& out);

}  // namespace knetsim::core
