// probe agrees with the policy engine, cell by cell, on the bundled policy scenarios, and
// notices when reality and the engine disagree.
#include "sim/emu/probe.h"

#include <gtest/gtest.h>

#include "tests/emu/emu_fixture.h"

namespace knetsim::emu {
namespace {

using testing::RunningEmulator;
using testing::test_options;

struct Case {
  const char* scenario;
  int k;
};

class ProbeAgrees : public ::testing::TestWithParam<Case> {};

TEST_P(ProbeAgrees, WithThePolicyEngineOnEveryCell) {
  RunningEmulator run(GetParam().scenario, test_options(GetParam().k));
  ProbeOptions po;
  po.timeout = std::chrono::milliseconds(500);
  auto report = run_probe(run.emu(), po);
  ASSERT_FALSE(report.cells.empty());
  size_t connected = 0;
  for (const auto& cell : report.cells) {
    connected += cell.observed;
    EXPECT_EQ(cell.observed, cell.expected)
        << run.cluster().pods[cell.src].key() << " -> " << run.cluster().pods[cell.dst].key()
        << " " << cell.target.port << ": " << cell.detail << " / " << cell.reason;
  }
  EXPECT_EQ(report.mismatches, 0u) << format_probe(run.cluster(), report);
  EXPECT_GT(connected, 0u);
  run.stop();
}

INSTANTIATE_TEST_SUITE_P(BundledPolicyScenarios, ProbeAgrees,
                         ::testing::Values(Case{"scenarios/netpol-xyz.yaml", 10},
                                           Case{"scenarios/policy-e2e-model.yaml", 11},
                                           Case{"scenarios/policy-shop-v1.yaml", 12},
                                           Case{"scenarios/policy-shop-v2.yaml", 13},
                                           Case{"scenarios/policy-admin-tiers.yaml", 14},
                                           Case{"scenarios/policy-flannel.yaml", 15}));

TEST(Probe, NetpolXyzHasBlockedCellsAndReportsThem) {
  RunningEmulator run("scenarios/netpol-xyz.yaml", test_options(16));
  auto report = run_probe(run.emu(), ProbeOptions{std::chrono::milliseconds(500), 64});
  size_t blocked = 0;
  for (const auto& c : report.cells) blocked += !c.observed;
  // x/* accept only TCP 80 from y/* and the b pods; z/c has no egress.
  EXPECT_GT(blocked, 50u);
  auto text = format_probe(run.cluster(), report);
  EXPECT_NE(text.find("80/TCP"), std::string::npos);
  EXPECT_NE(text.find("0 mismatches"), std::string::npos);
}

TEST(Probe, CountsAMismatchWhenAPodDoesNotAnswer) {
  RunningEmulator run("scenarios/netpol-xyz.yaml", test_options(17));
  // Reality stops agreeing with the engine: nothing listens any more, so every cell the
  // engine allows fails.
  run.emu().stop();
  run.stop();
  auto report = run_probe(run.emu(), ProbeOptions{std::chrono::milliseconds(200), 64});
  EXPECT_GT(report.mismatches, 0u);
}

}  // namespace
}  // namespace knetsim::emu
