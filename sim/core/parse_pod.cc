// Pod and the pod-creating workloads (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job).
#include "sim/core/manifest_kinds.h"
#include "sim/core/parse_common.h"

namespace knetsim::core {

void parse_pod(const Field& doc, ManifestSet& out) {
  ObjectMeta meta = parse_metadata(doc, true, NameRule::Subdomain);
  Pod pod;
  pod.ns = meta.ns;
  pod.name = meta.name;
  pod.labels = meta.labels;
  pod.source = meta.source;
  pod.spec = parse_pod_spec(doc.require("spec"));
  bool ip_given = false;
  Field status = doc["status"];
  if (status.defined()) {
    Field ip = status["podIP"];
    if (ip.defined()) {
      pod.ip = parse_ipv4_field(ip);
      pod.ip_source = ip.where();
      ip_given = true;
    }
    pod.phase = status["phase"].str_or("Running");
    // Ready comes from the Ready condition when the status carries one.
    for (const Field& c : status["conditions"].items()) {
      if (c["type"].str_or("") == "Ready") pod.ready = c["status"].str_or("True") == "True";
    }
    if (pod.phase != "Running") pod.ready = false;
  }
  if (doc["metadata"]["deletionTimestamp"].defined()) pod.terminating = true;
  for (const Field& o : doc["metadata"]["ownerReferences"].items()) {
    pod.owner_kind = o["kind"].str_or("");
    pod.owner_name = o["name"].str_or("");
  }
  out.pods.push_back(std::move(pod));
  out.pod_ip_given.push_back(ip_given);
}

void parse_workload(const Field& doc, WorkloadKind kind, ManifestSet& out) {
  ObjectMeta meta = parse_metadata(doc, true, NameRule::Subdomain);
  Workload w;
  w.kind = kind;
  w.ns = meta.ns;
  w.name = meta.name;
  w.labels = meta.labels;
  w.source = meta.source;
  Field spec = doc.require("spec");
  spec.expect_map();
  // A misspelt field (replicsa) must not pass silently: warn about every key no kind defines.
  spec.check_keys({"replicas", "selector", "template", "strategy", "minReadySeconds",
                   "revisionHistoryLimit", "progressDeadlineSeconds", "paused", "serviceName",
                   "podManagementPolicy", "updateStrategy", "volumeClaimTemplates",
                   "persistentVolumeClaimRetentionPolicy", "ordinals", "parallelism",
                   "completions", "backoffLimit", "activeDeadlineSeconds", "ttlSecondsAfterFinished",
                   "completionMode", "suspend", "manualSelector", "podFailurePolicy",
                   "backoffLimitPerIndex", "maxFailedIndexes", "podReplacementPolicy",
                   "successPolicy", "managedBy"});
  if (kind == WorkloadKind::Job) {
    w.replicas = static_cast<int>(spec["parallelism"].integer_or(1, 0, 1'000'000));
    int64_t completions = spec["completions"].integer_or(w.replicas, 0, 1'000'000);
    w.replicas = static_cast<int>(std::min<int64_t>(w.replicas, completions));
  } else if (kind != WorkloadKind::DaemonSet) {
    w.replicas = static_cast<int>(spec["replicas"].integer_or(1, 0, 1'000'000));
  }
  if (kind == WorkloadKind::StatefulSet) w.service_name = spec["serviceName"].str_or("");
  Field tmpl = spec.require("template");
  tmpl.expect_map();
  Field tmeta = tmpl["metadata"];
  w.template_.labels = parse_labels(tmeta["labels"]);
  w.template_.spec = parse_pod_spec(tmpl.require("spec"));
  Field selector = spec["selector"];
  if (selector.defined()) {
    w.selector = parse_label_selector(selector);
  } else if (kind == WorkloadKind::Job) {
    // Jobs get a generated selector; the template labels select the pods.
    w.selector.match_labels = w.template_.labels;
  } else {
    spec.require("selector");
  }
  if (w.selector.empty() && kind != WorkloadKind::Job) {
    selector.error("a " + std::string(workload_kind_name(kind)) +
                   " selector must not be empty");
  }
  if (!w.selector.matches(w.template_.labels)) {
    tmeta["labels"].error("selector " + w.selector.str() +
                          " does not match the template labels {" +
                          labels_str(w.template_.labels) + "}");
  }
  out.workloads.push_back(std::move(w));
}

const char* workload_kind_name(WorkloadKind k) {
  switch (k) {
    case WorkloadKind::Deployment:
      return "Deployment";
    case WorkloadKind::ReplicaSet:
      return "ReplicaSet";
    case WorkloadKind::StatefulSet:
      return "StatefulSet";
    case WorkloadKind::DaemonSet:
      return "DaemonSet";
    case WorkloadKind::Job:
      return "Job";
  }
  return "?";
}

}  // namespace knetsim::core
