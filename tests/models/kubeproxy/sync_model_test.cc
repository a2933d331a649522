// Control-plane model: sync cost from the objects written, and BoundedFrequencyRunner timing.
#include "sim/models/kubeproxy/sync_model.h"

#include <gtest/gtest.h>

#include "tests/models/kubeproxy/test_clusters.h"

namespace knetsim::models::kubeproxy {
namespace {

using testing::default_profile;
using testing::generated_cluster;

TEST(SyncModel, IptablesFullSyncGrowsWithServicesNftablesPartialDoesNot) {
  auto p = default_profile();
  auto small = generated_cluster(100, 5, "iptables", 2);
  auto big = generated_cluster(2000, 5, "iptables", 2);
  auto o_small = ProxyOptions::for_cluster(small);
  auto o_big = ProxyOptions::for_cluster(big);
  SyncEstimate is = estimate_sync(small, 0, core::KubeProxyMode::Iptables, o_small, p);
  SyncEstimate ib = estimate_sync(big, 0, core::KubeProxyMode::Iptables, o_big, p);
  EXPECT_GT(ib.full_sync_ns, 15 * is.full_sync_ns);
  // iptables partial syncs still rewrite KUBE-SERVICES: they grow with the service count.
  EXPECT_GT(ib.partial_sync_ns, 2 * is.partial_sync_ns);
  SyncEstimate ns = estimate_sync(small, 0, core::KubeProxyMode::Nftables, o_small, p);
  SyncEstimate nb = estimate_sync(big, 0, core::KubeProxyMode::Nftables, o_big, p);
  EXPECT_NEAR(nb.partial_sync_ns, ns.partial_sync_ns, ns.partial_sync_ns * 0.05);
  SyncEstimate vb = estimate_sync(big, 0, core::KubeProxyMode::Ipvs, o_big, p);
  EXPECT_DOUBLE_EQ(vb.partial_sync_ns, p.get("ipvs_service_update_ns"));
  EXPECT_LT(vb.partial_sync_ns, ib.partial_sync_ns);
}

TEST(SyncModel, IptablesFullSyncPricesEveryRuleWritten) {
  auto p = default_profile();
  auto c = generated_cluster(10, 2, "iptables", 2);
  SyncEstimate e = estimate_sync(c, 0, core::KubeProxyMode::Iptables, ProxyOptions::for_cluster(c), p);
  // 10 services x (1 KUBE-SERVICES + 1 masquerade + 2 statistic + 2 x 2 SEP) + 4 filter + 5 nat.
  EXPECT_EQ(e.objects_full, 10u * 8 + 4 + 5);
  EXPECT_GT(e.full_sync_ns, e.objects_full * p.get("iptables_restore_per_rule_ns"));
}

TEST(SyncSchedule, MinSyncPeriodBatchesChangesAfterTheBurst) {
  const int64_t s = 1'000'000'000;
  // Ten changes 100 ms apart with minSyncPeriod 1 s, burst 2.
  std::vector<int64_t> changes;
  for (int i = 0; i < 10; ++i) changes.push_back(i * s / 10);
  auto ev = schedule_syncs(changes, s, 0, 10 * s);
  ASSERT_GE(ev.size(), 3u);
  EXPECT_EQ(ev[0].start_ns, 0);           // first change: immediate
  EXPECT_EQ(ev[1].start_ns, s / 10);      // second: the burst token
  EXPECT_GE(ev[2].start_ns - ev[1].start_ns, s / 2);  // then rate-limited
  int total = 0;
  for (const auto& e : ev) total += e.changes;
  EXPECT_EQ(total, 10);                   // every change lands in some sync
  EXPECT_LT(ev.size(), 10u);              // ... batched
}

TEST(SyncSchedule, PeriodicFullResync) {
  const int64_t s = 1'000'000'000;
  auto ev = schedule_syncs({}, s, 30 * s, 100 * s);
  ASSERT_EQ(ev.size(), 3u);  // at 30 s, 60 s, 90 s
  for (const auto& e : ev) EXPECT_TRUE(e.full);
  EXPECT_EQ(ev[0].start_ns, 30 * s);
}

}  // namespace
}  // namespace knetsim::models::kubeproxy
