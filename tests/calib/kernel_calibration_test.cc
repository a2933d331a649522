// One small real calibration against this machine's kernel (100 and 1,000 services): the rules
// knetsim generates load into iptables-restore and nft, connections through them are timed, and
// the refitted model must predict the 1,000-service connections. Needs root (CI has it); skips
// with the reason otherwise. About 15-25 s on 2 cores.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>

#include "sim/calib/kernel_calibration.h"
#include "sim/calib/netns_lab.h"
#include "sim/calib/profile_fit.h"
#include "sim/models/profiles/profiles.h"

namespace knetsim::calib {
namespace {

TEST(KernelCalibration, SmallRunFitsAPositivePerRuleCostAndPredictsTheLargerCount) {
  std::string blocker = kernel_calibration_blocker(true);
  if (!blocker.empty()) GTEST_SKIP() << "kernel calibration skipped: " << blocker;
  CalibrationOptions o;
  o.services = {100, 1000};
  o.fit_counts = 2;
  o.connect_rounds = 1000;
  o.rtt_rounds = 200;
  o.warmup_rounds = 30;
  CalibrationRun run = run_kernel_calibration(o);

  // Everything the run created is gone: its namespaces (and with them its rules and devices).
  EXPECT_TRUE(NetnsLab::existing_namespaces(getpid()).empty());

  ASSERT_EQ(run.measurements.size(), 4u);  // iptables and nftables at each count
  for (const auto& m : run.measurements) {
    EXPECT_GT(m.load_ns, 0);
    ASSERT_EQ(m.positions.size(), 3u);
    for (const auto& p : m.positions) EXPECT_GT(p.typical_ns, 0) << p.target;
  }
  // The iptables walk grows with the position in KUBE-SERVICES; at 1,000 services the last
  // service pays for ~1,000 more rules than the first.
  const ModeMeasurement& big = run.measurements[2];
  ASSERT_EQ(big.mode, core::KubeProxyMode::Iptables);
  EXPECT_GT(big.positions[2].rules_walked - big.positions[0].rules_walked, 900);
  EXPECT_GT(big.positions[2].typical_ns, big.positions[0].typical_ns);

  CalibrationFit fit = fit_calibration(run, models::load_profile("default", ""));
  double per_rule = fit.profile.get("iptables_rule_eval_ns");
  EXPECT_GT(per_rule, 0) << "measured per-rule cost";
  for (const auto& c : fit.comparisons) {
    if (c.what == "iptables connect" && c.services == 1000) {
      EXPECT_LT(std::abs(c.error()), 0.30)
          << c.position << ": measured " << c.measured_ns << " ns, predicted " << c.predicted_ns;
    }
  }
  EXPECT_TRUE(run.vxlan.measured);
  EXPECT_EQ(run.vxlan.underlay_mtu - run.vxlan.vxlan_mtu, 50);  // IPv4 VXLAN overhead
  std::cout << "per-rule cost " << per_rule << " ns; baseline " << fit.connect_baseline_ns
            << " ns\n";
}

}  // namespace
}  // namespace knetsim::calib
