// Resource bounds: no descriptor or memory growth across 100,000 connections, the connection
// limit refuses with a count, bind failures say what to do, stop() ends with connections open.
#include <dirent.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <fstream>

#include "tests/emu/emu_fixture.h"

namespace knetsim::emu {
namespace {

using testing::open_descriptors;
using testing::RunningEmulator;
using testing::test_options;


size_t resident_kib() {
  std::ifstream in("/proc/self/statm");
  size_t pages = 0, resident = 0;
  in >> pages >> resident;
  return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE)) / 1024;
}

// Runs `total` GETs through the service, `parallel` at a time, from the client pods.
size_t hammer(RunningEmulator& run, core::Ipv4 vip, const std::vector<core::Ipv4>& sources,
              size_t total, size_t parallel) {
  boost::asio::io_context io;
  size_t started = 0;
  std::atomic<size_t> ok{0};
  std::function<void()> launch = [&] {
    if (started >= total) return;
    Exchange ex;
    ex.from = mapped_address(sources[started % sources.size()]);
    ex.to = mapped_address(vip);
    ex.port = run.port(80);
    ex.payload = http_get(vip.str(), "/hostname");
    ex.timeout = std::chrono::milliseconds(5000);
    ++started;
    async_exchange(io, ex, [&](ExchangeResult r) {
      if (r.outcome == Outcome::Ok) ++ok;
      launch();
    });
  };
  for (size_t i = 0; i < parallel; ++i) launch();
  io.run();
  return ok.load();
}

// The last clients' resets reach the emulator a moment after the clients are done.
void settle(RunningEmulator& run) {
  for (int i = 0; i < 200 && run.emu().runtime().budget().active() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

TEST(Robustness, NoDescriptorOrMemoryGrowthAcross100kConnections) {
  auto o = test_options(20);
  o.threads = 1;
  RunningEmulator run("scenarios/quickstart.yaml", o);
  const auto& c = run.cluster();
  core::Ipv4 vip = *c.services[*c.find_service("default/web")].cluster_ip;
  std::vector<core::Ipv4> sources;
  for (const auto& p : c.pods) {
    if (p.key().rfind("default/client-", 0) == 0) sources.push_back(p.ip);
  }
  ASSERT_FALSE(sources.empty());
  ASSERT_EQ(hammer(run, vip, sources, 10'000, 32), 10'000u);  // warm up allocators
  settle(run);
  size_t fds = open_descriptors();
  size_t rss = resident_kib();
  ASSERT_EQ(hammer(run, vip, sources, 100'000, 32), 100'000u);
  settle(run);
  EXPECT_LE(open_descriptors(), fds + 2) << "descriptors leaked";
  EXPECT_LT(resident_kib(), rss + 16 * 1024) << "resident memory grew by "
                                             << (resident_kib() - rss) << " KiB";
  EXPECT_EQ(run.emu().runtime().budget().active(), 0u);
  EXPECT_EQ(run.emu().runtime().counters().upstream_failures.load(), 0u);
}

TEST(Robustness, ConnectionLimitRefusesAndRecovers) {
  auto o = test_options(21);
  o.max_connections = 3;
  RunningEmulator run("scenarios/netpol-xyz.yaml", o);
  const auto& c = run.cluster();
  auto target = mapped_address(c.pods[*c.find_pod("y/a")].ip);
  boost::asio::io_context io;
  using boost::asio::ip::tcp;
  std::vector<std::unique_ptr<tcp::socket>> held;
  for (int i = 0; i < 3; ++i) {  // plain TCP echo keeps each connection open
    auto s = std::make_unique<tcp::socket>(io);
    s->connect(tcp::endpoint(target, static_cast<unsigned short>(run.port(81))));
    boost::asio::write(*s, boost::asio::buffer("ping", 4));
    char buf[4];
    boost::asio::read(*s, boost::asio::buffer(buf, 4));
    EXPECT_EQ(std::string(buf, 4), "ping");
    held.push_back(std::move(s));
  }
  auto refused = run.get("", c.pods[*c.find_pod("y/a")].ip, 80, "/hostname", 1000);
  EXPECT_EQ(refused.outcome, Outcome::Reset);
  EXPECT_GE(run.emu().runtime().budget().refused(), 1u);
  held.pop_back();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(run.hostname("", c.pods[*c.find_pod("y/a")].ip, 80), "a");
}

TEST(Robustness, SecondEmulatorOnTheSamePortsSaysToUsePortOffset) {
  RunningEmulator first("scenarios/netpol-xyz.yaml", test_options(22));
  core::Diagnostics diags;
  auto scenario = core::load_scenario(testing::scenario_path("scenarios/netpol-xyz.yaml"), diags);
  auto cluster = core::build_cluster(scenario, diags);
  try {
    Emulator second(scenario, cluster, test_options(22));
    FAIL() << "bound twice";
  } catch (const EmuError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("Address already in use"), std::string::npos) << msg;
    EXPECT_NE(msg.find("--port-offset"), std::string::npos) << msg;
  }
}

TEST(Robustness, PortOffsetOutOfRangeIsAClearError) {
  core::Diagnostics diags;
  auto scenario = core::load_scenario(testing::scenario_path("scenarios/quickstart.yaml"), diags);
  auto cluster = core::build_cluster(scenario, diags);
  auto o = test_options(0);
  o.ports.offset = 60000;
  try {
    Emulator e(scenario, cluster, o);
    FAIL() << "ports beyond 65535 accepted";
  } catch (const EmuError& e) {
    EXPECT_NE(std::string(e.what()).find("leaves 1..65535"), std::string::npos) << e.what();
  }
}

TEST(Robustness, StopEndsPromptlyWithConnectionsOpen) {
  auto o = test_options(23);
  o.deny = DenyAction::Drop;
  o.drop_hold_ms = 60'000;
  auto run = std::make_unique<RunningEmulator>("scenarios/netpol-xyz.yaml", o);
  const auto& c = run->cluster();
  boost::asio::io_context io;
  using boost::asio::ip::tcp;
  std::vector<std::unique_ptr<tcp::socket>> held;
  for (int i = 0; i < 5; ++i) {  // z/c -> y/a is dropped: held open by the emulator
    auto s = std::make_unique<tcp::socket>(io);
    s->open(tcp::v4());
    s->bind(tcp::endpoint(mapped_address(c.pods[*c.find_pod("z/c")].ip), 0));
    s->connect(tcp::endpoint(mapped_address(c.pods[*c.find_pod("y/a")].ip),
                             static_cast<unsigned short>(run->port(80))));
    held.push_back(std::move(s));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(run->emu().runtime().budget().active(), 5u);
  auto t0 = std::chrono::steady_clock::now();
  run.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
}

}  // namespace
}  // namespace knetsim::emu
