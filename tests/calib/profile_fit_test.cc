// The fit on synthetic measurements with known constants: it must recover them and predict the
// held-back service count from the model.
#include "sim/calib/profile_fit.h"

#include <gtest/gtest.h>

#include "sim/calib/calibration_error.h"
#include "sim/models/kubeproxy/node_rules.h"
#include "sim/models/profiles/profiles.h"

namespace knetsim::calib {
namespace {

// Connect latency 20 us + 12 ns per rule walked; full loads 30 us per rule + 0.5 ms per chain.
CalibrationRun synthetic_run(const std::vector<int>& counts) {
  CalibrationRun run;
  run.machine.hostname = "testhost";
  run.machine.kernel = "6.18.0";
  run.machine.cores = 2;
  run.options.fit_counts = 2;
  for (int n : counts) {
    auto c = std::make_shared<const core::Cluster>(calibration_cluster(n, 1));
    ModeMeasurement m;
    m.mode = core::KubeProxyMode::Iptables;
    m.services = n;
    m.cluster = c;
    m.positions = probe_positions(*c);
    for (auto& p : m.positions) p.typical_ns = 20000 + 12.0 * p.rules_walked;
    auto nr = models::kubeproxy::summarize_node(*c, 0, m.mode,
                                                models::kubeproxy::ProxyOptions::for_cluster(*c));
    for (const auto& [name, t] : nr.tables) {
      m.rules += t.rules;
      m.chains += t.chains;
    }
    m.load_ns = 30000.0 * m.rules + 500000.0 * m.chains;
    m.update_ns = 4e6 + 400.0 * m.rules;
    m.rtt_median_ns = 15000;
    run.measurements.push_back(m);
  }
  run.vxlan.measured = true;
  run.vxlan.underlay_mtu = 1500;
  run.vxlan.vxlan_mtu = 1450;
  run.vxlan.underlay_rtt_ns = 20000;
  run.vxlan.overlay_rtt_ns = 27000;
  return run;
}

TEST(ProfileFit, RecoversThePerRuleCostAndPredictsTheHeldBackCount) {
  core::Profile base = models::load_profile("default", "");
  CalibrationFit fit = fit_calibration(synthetic_run({100, 1000, 3000}), base);
  EXPECT_NEAR(fit.profile.get("iptables_rule_eval_ns"), 12, 1e-6);
  EXPECT_NEAR(fit.profile.get("nft_rule_eval_ns"), 12, 1e-6);
  EXPECT_EQ(fit.fit_services, (std::vector<int>{100, 1000}));
  EXPECT_EQ(fit.held_back_services, (std::vector<int>{3000}));
  ASSERT_TRUE(fit.held_back_connect_error);
  EXPECT_LT(*fit.held_back_connect_error, 1e-6);
  ASSERT_TRUE(fit.held_back_growth_error);
  EXPECT_LT(*fit.held_back_growth_error, 1e-6);
  // The model's walk at 3,000 services: the last service walks thousands of rules.
  bool saw_held_back_last = false;
  for (const auto& c : fit.comparisons) {
    if (c.what == "iptables connect" && c.held_back && c.position == "last") {
      saw_held_back_last = true;
      EXPECT_GT(c.measured_ns, 20000 + 12.0 * 3000);
      EXPECT_NEAR(c.predicted_ns, c.measured_ns, 1e-3);
    }
  }
  EXPECT_TRUE(saw_held_back_last);
}

TEST(ProfileFit, FitsSyncAndVxlanConstantsWithTheirSource) {
  core::Profile base = models::load_profile("default", "");
  CalibrationFit fit = fit_calibration(synthetic_run({100, 1000, 3000}), base);
  EXPECT_NEAR(fit.profile.get("iptables_restore_per_existing_rule_ns"), 400, 1e-6);
  EXPECT_NEAR(fit.profile.get("vxlan_header_bytes"), 50, 0);
  EXPECT_NEAR(fit.profile.get("vxlan_encap_ns") + fit.profile.get("vxlan_decap_ns"), 3500, 1e-6);
  // Full loads are predicted through the sync model with the fitted constants.
  for (const auto& c : fit.comparisons) {
    if (c.what == "iptables-restore full load") {
      EXPECT_LT(std::abs(c.error()), 0.05) << c.services;
    }
  }
  const core::ProfileConstant* k = fit.profile.find("iptables_rule_eval_ns");
  ASSERT_NE(k, nullptr);
  EXPECT_NE(k->source.find("knetsim calibrate --kernel"), std::string::npos);
  EXPECT_NE(k->source.find("Linux 6.18.0"), std::string::npos);
  // Constants the run does not measure keep the base profile's value and source.
  EXPECT_EQ(fit.profile.find("tls_handshake_ns")->source, base.find("tls_handshake_ns")->source);
}

TEST(ProfileFit, OneServiceCountIsNotEnough) {
  core::Profile base = models::load_profile("default", "");
  CalibrationRun run = synthetic_run({100});
  for (auto& p : run.measurements[0].positions) p.rules_walked = 5;  // no spread of walks
  EXPECT_THROW(fit_calibration(run, base), CalibrationError);
}

TEST(ProfileFit, ProfileMetadataRoundTrips) {
  core::Profile p = models::load_profile("default", "");
  p.set_name("calibrated");
  p.set_info("kernel", "Linux 6.18.0");
  core::Profile q = core::Profile::parse(p.to_yaml(), "round-trip");
  EXPECT_EQ(q.name(), "calibrated");
  EXPECT_EQ(q.info().at("kernel"), "Linux 6.18.0");
  EXPECT_EQ(q.get("iptables_rule_eval_ns"), p.get("iptables_rule_eval_ns"));
}

}  // namespace
}  // namespace knetsim::calib
