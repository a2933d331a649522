// Expands workloads into pods named as the Kubernetes controllers name them:
//   Deployment  <deploy>-<pod-template-hash>-<5 chars>  (via its ReplicaSet <deploy>-<hash>)
//   ReplicaSet  <rs>-<5 chars>     StatefulSet <sts>-<ordinal>
//   DaemonSet   <ds>-<5 chars>, one per eligible node     Job <job>-<5 chars>
// Suffix characters come from the seed, so names are stable for a scenario and seed.
#include <string>
#include <unordered_set>

#include "sim/core/build_steps.h"
#include "sim/core/rng.h"

namespace knetsim::core {

namespace {

std::string random_suffix(Rng& rng, int n = 5) {
  std::string s;
  for (int i = 0; i < n; ++i) s.push_back(kNameAlphabet[rng.below(sizeof(kNameAlphabet) - 1)]);
  return s;
}

// Kubernetes hashes the template with FNV-32a and encodes the decimal hash with
// rand.SafeEncodeString; knetsim hashes its canonical form of the template the same way.
std::string pod_template_hash(const PodTemplate& t) {
  std::string canon = labels_str(t.labels) + "|" + t.spec.node_name + "|" +
                      labels_str(t.spec.node_selector) + (t.spec.host_network ? "|host" : "|pod");
  for (const auto& c : t.spec.containers) {
    canon += "|" + c.name + ":" + c.image;
    for (const auto& p : c.ports) {
      canon += "," + p.name + "/" + std::to_string(p.container_port) + "/" + protocol_name(p.protocol);
    }
  }
  uint32_t h = 2166136261u;
  for (char ch : canon) {
    h ^= static_cast<unsigned char>(ch);
    h *= 16777619u;
  }
  std::string dec = std::to_string(h);
  std::string out;
  for (char ch : dec) out.push_back(kNameAlphabet[static_cast<unsigned char>(ch) % (sizeof(kNameAlphabet) - 1)]);
  return out;
}

Pod pod_from(const Workload& w, std::string name) {
  Pod p;
  p.ns = w.ns;
  p.name = std::move(name);
  p.labels = w.template_.labels;
  p.spec = w.template_.spec;
  p.owner_kind = workload_kind_name(w.kind);
  p.owner_name = w.name;
  p.source = w.source;
  return p;
}

}  // namespace

void expand_workloads(BuildContext& ctx) {
  Cluster& cl = ctx.cluster;
  // Names already taken, so a random suffix that collides is drawn again, as the controllers
  // retry when the API server answers AlreadyExists (27^5 suffixes make clashes common at
  // thousands of replicas).
  std::unordered_set<std::string> taken;
  taken.reserve(cl.pods.size() * 2);
  for (const Pod& p : cl.pods) taken.insert(p.key());
  for (const Workload& w : cl.workloads) {
    Rng rng(ctx.scenario.seed, "pod-names:" + std::string(workload_kind_name(w.kind)) + "/" + w.key());
    auto unique = [&](const std::string& prefix) {
      std::string name = prefix + random_suffix(rng);
      while (taken.count(w.ns + "/" + name)) name = prefix + random_suffix(rng);
      return name;
    };
    auto add = [&](Pod p) {
      taken.insert(p.key());
      cl.pods.push_back(std::move(p));
      ctx.pod_ip_given.push_back(false);
    };
    switch (w.kind) {
      case WorkloadKind::Deployment: {
        std::string hash = pod_template_hash(w.template_);
        for (int i = 0; i < w.replicas; ++i) {
          Pod p = pod_from(w, unique(w.name + "-" + hash + "-"));
          p.labels["pod-template-hash"] = hash;
          p.owner_kind = "ReplicaSet";
          p.owner_name = w.name + "-" + hash;
          add(std::move(p));
        }
        break;
      }
      case WorkloadKind::ReplicaSet:
        for (int i = 0; i < w.replicas; ++i) add(pod_from(w, unique(w.name + "-")));
        break;
      case WorkloadKind::StatefulSet:
        for (int i = 0; i < w.replicas; ++i) {
          Pod p = pod_from(w, w.name + "-" + std::to_string(i));
          p.labels["statefulset.kubernetes.io/pod-name"] = p.name;
          p.labels["apps.kubernetes.io/pod-index"] = std::to_string(i);
          p.spec.hostname = p.name;
          p.spec.subdomain = w.service_name;
          add(std::move(p));
        }
        break;
      case WorkloadKind::DaemonSet:
        for (const Node& n : cl.nodes) {
          if (!labels_contain(n.labels, w.template_.spec.node_selector)) continue;
          if (!w.template_.spec.node_name.empty() && w.template_.spec.node_name != n.name) continue;
          Pod p = pod_from(w, unique(w.name + "-"));
          p.spec.node_name = n.name;  // the DaemonSet controller pins each pod to its node
          add(std::move(p));
        }
        break;
      case WorkloadKind::Job:
        for (int i = 0; i < w.replicas; ++i) {
          Pod p = pod_from(w, unique(w.name + "-"));
          p.labels["job-name"] = w.name;
          p.labels["batch.kubernetes.io/job-name"] = w.name;
          add(std::move(p));
        }
        break;
    }
  }
}

}  // namespace knetsim::core
