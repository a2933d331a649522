// Property: on random clusters and policies (both families, all tiers, named ports, ipBlocks,
// host-network pods), the class-compressed matrix equals a direct pair-by-pair evaluation of
// every (source, destination, port), with self traffic both allowed and evaluated.
#include <gtest/gtest.h>

#include "sim/models/policy/policy_engine.h"
#include "sim/models/policy/reachability.h"
#include "sim/models/policy/synthetic.h"

namespace knetsim::models::policy {
namespace {

struct Seen {
  size_t allowed = 0, denied = 0, admin_decided = 0;
};

void cross_check(const SyntheticSpec& spec, uint64_t seed, bool evaluate_self, Seen& seen) {
  core::Diagnostics diags;
  core::Cluster cluster = core::build_cluster(synthetic_scenario(spec, seed), diags);
  ReachOptions opts;
  opts.evaluate_self = evaluate_self;
  std::vector<core::PodId> pods = addressable_pods(cluster);
  std::vector<PortProto> ports = declared_ports(cluster, pods);
  for (PortProto extra : {PortProto{53, core::Protocol::TCP}, PortProto{5000, core::Protocol::TCP},
                          PortProto{81, core::Protocol::UDP}, PortProto{80, core::Protocol::SCTP}}) {
    ports.push_back(extra);
  }
  opts.ports = ports;
  Reachability r = Reachability::compute(cluster, opts);
  PolicyEngine engine(cluster, PolicyEngine::Options{evaluate_self});
  size_t mismatches = 0;
  for (size_t q = 0; q < ports.size(); ++q) {
    for (core::PodId s : pods) {
      for (core::PodId d : pods) {
        Verdict v = engine.check(s, d, ports[q].port, ports[q].protocol);
        (v.allowed_as_written ? seen.allowed : seen.denied)++;
        if (v.reason.find("Admin tier") != std::string::npos) ++seen.admin_decided;
        if (v.allowed_as_written != r.allowed_as_written(q, s, d) || v.allowed != r.allowed(q, s, d)) {
          if (++mismatches <= 5) {
            ADD_FAILURE() << "seed " << seed << " " << ports[q].key() << " " << cluster.pods[s].key()
                          << " -> " << cluster.pods[d].key() << ": direct "
                          << v.allowed_as_written << "/" << v.allowed << " (" << v.reason
                          << "), matrix " << r.allowed_as_written(q, s, d) << "/" << r.allowed(q, s, d);
          }
        }
      }
    }
  }
  EXPECT_EQ(mismatches, 0u) << "seed " << seed;
}

TEST(ClassEngineProperty, MatchesPairByPairOnRandomClusters) {
  Seen seen;
  for (uint64_t seed = 1; seed <= 150; ++seed) {
    SyntheticSpec spec;
    spec.pods = 25 + static_cast<int>(seed % 20);
    spec.network_policies = static_cast<int>(seed % 12);
    spec.cluster_policies = static_cast<int>(seed % 6);
    cross_check(spec, seed, seed % 3 == 0, seen);
  }
  // The random inputs exercise both outcomes and the Admin tier, so agreement means something.
  EXPECT_GT(seen.denied, seen.allowed / 20) << seen.allowed << " allowed, " << seen.denied << " denied";
  EXPECT_GT(seen.allowed, seen.denied / 20);
  EXPECT_GT(seen.admin_decided, 100u);
}

TEST(ClassEngineProperty, MatchesUnderNonEnforcingCni) {
  for (uint64_t seed = 500; seed < 520; ++seed) {
    SyntheticSpec spec;
    spec.flannel = seed % 2 == 0;
    Seen seen;
    cross_check(spec, seed, false, seen);
  }
}

TEST(ClassEngineProperty, ClassesCompressLargeClusters) {
  SyntheticSpec spec;
  spec.pods = 2000;
  spec.namespaces = 20;
  spec.network_policies = 100;
  spec.cluster_policies = 10;
  spec.pods_per_workload = 10;
  spec.realistic_ip_blocks = true;
  core::Diagnostics diags;
  core::Cluster cluster = core::build_cluster(synthetic_scenario(spec, 7), diags);
  PodClasses classes = compute_pod_classes(cluster, addressable_pods(cluster));
  // 200 workloads of 10 replicas: at most one class per workload (host-network replicas may
  // split by node).
  EXPECT_LE(classes.count(), 260u);
  size_t members = 0;
  for (auto m : classes.members) members += m;
  EXPECT_EQ(members, addressable_pods(cluster).size());
}

}  // namespace
}  // namespace knetsim::models::policy
