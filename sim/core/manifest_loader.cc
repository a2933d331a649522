#include "sim/core/manifest_loader.h"

#include <memory>
#include <string_view>

#include "sim/core/manifest_kinds.h"

namespace knetsim::core {

namespace {

struct KindEntry {
  std::string_view kind;
  std::string_view api_version;  // the version knetsim reads
  void (*parse)(const Field&, ManifestSet&);
};

void parse_deployment(const Field& d, ManifestSet& o) { parse_workload(d, WorkloadKind::Deployment, o); }
void parse_replicaset(const Field& d, ManifestSet& o) { parse_workload(d, WorkloadKind::ReplicaSet, o); }
void parse_statefulset(const Field& d, ManifestSet& o) { parse_workload(d, WorkloadKind::StatefulSet, o); }
void parse_daemonset(const Field& d, ManifestSet& o) { parse_workload(d, WorkloadKind::DaemonSet, o); }
void parse_job(const Field& d, ManifestSet& o) { parse_workload(d, WorkloadKind::Job, o); }

constexpr KindEntry kKinds[] = {
    {"Namespace", "v1", parse_namespace},
    {"Node", "v1", parse_node},
    {"Pod", "v1", parse_pod},
    {"Service", "v1", parse_service},
    {"Endpoints", "v1", parse_endpoints},
    {"Deployment", "apps/v1", parse_deployment},
    {"ReplicaSet", "apps/v1", parse_replicaset},
    {"StatefulSet", "apps/v1", parse_statefulset},
    {"DaemonSet", "apps/v1", parse_daemonset},
    {"Job", "batch/v1", parse_job},
    {"EndpointSlice", "discovery.k8s.io/v1", parse_endpoint_slice},
    {"NetworkPolicy", "networking.k8s.io/v1", parse_network_policy},
    {"Ingress", "networking.k8s.io/v1", parse_ingress},
    {"ClusterNetworkPolicy", "policy.networking.k8s.io/v1alpha2", parse_cluster_network_policy},
    {"AdminNetworkPolicy", "policy.networking.k8s.io/v1alpha1", parse_admin_network_policy},
    {"BaselineAdminNetworkPolicy", "policy.networking.k8s.io/v1alpha1",
     parse_baseline_admin_network_policy},
};

}  // namespace

void parse_manifest_object(const Field& doc, ManifestSet& out) {
  doc.expect_map();
  std::string kind = doc.require("kind").str();
  Field api = doc.require("apiVersion");
  std::string api_version = api.str();
  if (kind == "List" || kind.ends_with("List")) {
    for (const Field& item : doc["items"].items()) parse_manifest_object(item, out);
    return;
  }
  for (const auto& entry : kKinds) {
    if (entry.kind != kind) continue;
    if (api_version != entry.api_version) {
      api.error("expected apiVersion " + std::string(entry.api_version) + " for kind " + kind +
                ", got \"" + api_version + "\"");
    }
    entry.parse(doc, out);
    return;
  }
  if (kind == "Scenario") {
    doc.require("kind").error("a knetsim Scenario must be the first document of its file");
  }
  out.ignored_kinds.push_back(kind);
  doc.warn("kind " + kind + " (" + api_version + ") is not modelled by knetsim; skipped");
}

void load_manifest_file(const std::string& path, ManifestSet& out, Diagnostics& diags) {
  auto file = std::make_shared<const std::string>(path);
  for (const auto& node : load_yaml_documents(path)) {
    if (!node.IsDefined() || node.IsNull()) continue;
    Field doc(node, "", file, &diags);
    doc.check_no_duplicate_keys();
    parse_manifest_object(doc, out);
  }
}

}  // namespace knetsim::core
