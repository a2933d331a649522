// The emulator end to end, in process: a bundled scenario served on loopback, a service
// curled repeatedly from a pod's address, every backend seen with the expected spread, a
// policy-denied client refused, a live scale event, and a clean stop.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <nlohmann/json.hpp>

#include "tests/emu/emu_fixture.h"

namespace knetsim::emu {
namespace {

using testing::RunningEmulator;
using testing::test_options;

std::string first_pod_with_prefix(const core::Cluster& c, const std::string& prefix) {
  for (const auto& p : c.pods) {
    if (p.key().rfind(prefix, 0) == 0) return p.key();
  }
  return "";
}

TEST(Emulator, ClusterIpSpreadsOverEveryBackendAsIptablesDoes) {
  RunningEmulator run("scenarios/quickstart.yaml", test_options(0));
  const auto& c = run.cluster();
  auto svc = c.find_service("default/web");
  ASSERT_TRUE(svc);
  core::Ipv4 vip = *c.services[*svc].cluster_ip;
  std::string client = first_pod_with_prefix(c, "default/client-");
  ASSERT_FALSE(client.empty());
  std::map<std::string, int> seen;
  constexpr int kRequests = 600;
  for (int i = 0; i < kRequests; ++i) ++seen[run.hostname(client, vip, 80)];
  ASSERT_EQ(seen.count(""), 0u) << "some requests failed";
  auto backends = c.backends_of(*svc, c.services[*svc].ports[0]);
  ASSERT_EQ(seen.size(), backends.size());
  // iptables mode: 1/n each. With 600 draws and p = 1/3, 4.5 standard deviations is +-52.
  for (const auto& [name, n] : seen) {
    EXPECT_NEAR(n, kRequests / 3.0, 52) << name;
    EXPECT_TRUE(c.find_pod("default/" + name)) << name;
  }
  run.stop();
}

TEST(Emulator, PodSeesTheClientPodAsSource) {
  RunningEmulator run("scenarios/quickstart.yaml", test_options(1));
  const auto& c = run.cluster();
  core::Ipv4 vip = *c.services[*c.find_service("default/web")].cluster_ip;
  std::string client = first_pod_with_prefix(c, "default/client-");
  auto r = run.get(client, vip, 80, "/clientip");
  ASSERT_EQ(r.outcome, Outcome::Ok) << r.detail;
  auto body = parse_http_reply(r.reply)->body;
  std::string want = loopback_of(c.pods[*c.find_pod(client)].ip).str() + ":";
  EXPECT_EQ(body.rfind(want, 0), 0u) << body;
  auto echo = run.get(client, vip, 80, "/echo?msg=knetsim");
  EXPECT_EQ(parse_http_reply(echo.reply)->body, "knetsim");
}

TEST(Emulator, PolicyDeniedClientIsRefusedAndAllowedOneServed) {
  RunningEmulator run("scenarios/netpol-xyz.yaml", test_options(2));
  const auto& c = run.cluster();
  core::Ipv4 vip = *c.services[*c.find_service("x/s-a")].cluster_ip;
  // y/* may reach x/a on TCP 80; z/a may not; z/c has no egress at all.
  EXPECT_EQ(run.hostname("y/b", vip, 80), "a");
  auto denied = run.get("z/a", vip, 80, "/hostname");
  EXPECT_NE(denied.outcome, Outcome::Ok);
  EXPECT_EQ(denied.outcome, Outcome::Reset) << outcome_name(denied.outcome);
  EXPECT_NE(run.get("z/c", c.pods[*c.find_pod("y/a")].ip, 80, "/hostname").outcome, Outcome::Ok);
  EXPECT_EQ(run.hostname("z/a", c.pods[*c.find_pod("y/a")].ip, 80), "a");
  EXPECT_GE(run.emu().runtime().counters().denied.load(), 2u);
}

TEST(Emulator, DroppedConnectionHearsNothing) {
  auto o = test_options(3);
  o.deny = DenyAction::Drop;
  o.drop_hold_ms = 5000;
  RunningEmulator run("scenarios/netpol-xyz.yaml", o);
  auto vip = *run.cluster().services[*run.cluster().find_service("x/s-a")].cluster_ip;
  auto r = run.get("z/a", vip, 80, "/hostname", 300);
  EXPECT_EQ(r.outcome, Outcome::Timeout);
}

TEST(Emulator, UdpThroughServiceAndDirect) {
  RunningEmulator run("scenarios/netpol-xyz.yaml", test_options(4));
  const auto& c = run.cluster();
  auto vip = *c.services[*c.find_service("x/s-b")].cluster_ip;
  Exchange ex;
  ex.protocol = core::Protocol::UDP;
  ex.from = mapped_address(c.pods[*c.find_pod("x/a")].ip);
  ex.to = mapped_address(vip);
  ex.port = run.port(80);
  ex.payload = "hostname";
  ex.timeout = std::chrono::milliseconds(300);
  // x/* accept only TCP 80: UDP to x/b is dropped.
  EXPECT_EQ(exchange(ex).outcome, Outcome::Timeout);
  ex.to = mapped_address(c.pods[*c.find_pod("y/c")].ip);
  ex.payload = "echo over udp";
  auto r = exchange(ex);
  ASSERT_EQ(r.outcome, Outcome::Ok) << r.detail;
  EXPECT_EQ(r.reply, "over udp");
}

TEST(Emulator, ScaleEventAddsBackendsWhileRunningAndKeepsPodAddresses) {
  RunningEmulator run("scenarios/quickstart.yaml", test_options(5));
  auto before = run.emu().model();
  const auto& c0 = before->cluster();
  core::Ipv4 vip = *c0.services[*c0.find_service("default/web")].cluster_ip;
  std::string client = first_pod_with_prefix(c0, "default/client-");
  core::EventSpec ev;
  ev.kind = core::EventKind::Scale;
  ev.target = "default/web";
  ev.count = 5;
  std::string note;
  note = run.emu().apply_event(ev);
  EXPECT_EQ(note, "scaled default/web to 5 replicas");
  auto after = run.emu().model();
  for (const auto& p : c0.pods) {
    auto id = after->cluster().find_pod(p.key());
    ASSERT_TRUE(id) << p.key();
    EXPECT_EQ(after->cluster().pods[*id].ip, p.ip) << p.key();
    EXPECT_EQ(after->cluster().pods[*id].node, p.node) << p.key();
  }
  std::map<std::string, int> seen;
  for (int i = 0; i < 300; ++i) ++seen[run.hostname(client, vip, 80)];
  EXPECT_EQ(seen.count(""), 0u);
  EXPECT_EQ(seen.size(), 5u);
  ev.count = 1;
  run.emu().apply_event(ev);
  seen.clear();
  for (int i = 0; i < 20; ++i) ++seen[run.hostname(client, vip, 80)];
  EXPECT_EQ(seen.size(), 1u);
}

TEST(Emulator, EventStreamRecordsEveryRoutedConnection) {
  auto o = test_options(6);
  std::string path = ::testing::TempDir() + "/emu-events-" + std::to_string(::getpid()) + ".jsonl";
  std::remove(path.c_str());
  o.events_file = path;
  {
    RunningEmulator run("scenarios/netpol-xyz.yaml", o);
    auto vip = *run.cluster().services[*run.cluster().find_service("x/s-c")].cluster_ip;
    EXPECT_EQ(run.hostname("y/a", vip, 80), "c");
    EXPECT_EQ(run.hostname("y/b", vip, 80), "c");
    run.get("z/b", vip, 80, "/hostname");
  }
  std::ifstream in(path);
  std::string line;
  int service = 0, denied = 0;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    if (j["kind"] != "service") continue;
    ++service;
    EXPECT_EQ(j["service"], "x/s-c");
    EXPECT_EQ(j["endpoint_pod"], "x/c");
    EXPECT_TRUE(j.contains("latency_ns"));
    EXPECT_GT(j["rules"].get<int>(), 0);
    if (j["verdict"] == "denied") {
      ++denied;
      EXPECT_EQ(j["src"], "z/b");
    }
  }
  EXPECT_EQ(service, 3);
  EXPECT_EQ(denied, 1);
  std::remove(path.c_str());
}

TEST(Emulator, ModelledLatencyIsWaitedScaled) {
  // The path model's prediction for the first request, scaled so the real wait is ~100 ms.
  core::Diagnostics diags;
  auto scenario = core::load_scenario(testing::scenario_path("scenarios/quickstart.yaml"), diags);
  auto probe_model = make_model(scenario, core::build_cluster(scenario, diags));
  const auto& pc = probe_model->cluster();
  std::string client = first_pod_with_prefix(pc, "default/client-");
  auto src = probe_model->identify(loopback_of(pc.pods[*pc.find_pod(client)].ip));
  auto route = probe_model->route(src, *pc.find_service("default/web"), 0, std::nullopt, 0);
  ASSERT_GT(route.latency_ns, 0);
  ASSERT_FALSE(route.hops.empty());
  auto o = test_options(7);
  o.time_scale = 100e6 / static_cast<double>(route.latency_ns);
  RunningEmulator run("scenarios/quickstart.yaml", o);
  const auto& c = run.cluster();
  core::Ipv4 vip = *c.services[*c.find_service("default/web")].cluster_ip;
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(run.hostname(client, vip, 80).empty());
  auto took = std::chrono::steady_clock::now() - t0;
  // Every backend of this service is predicted alike to within a factor of two.
  EXPECT_GE(took, std::chrono::milliseconds(45));
  EXPECT_LT(took, std::chrono::milliseconds(1500));
}

}  // namespace
}  // namespace knetsim::emu

namespace knetsim::emu {
namespace {

TEST(EventLog, UnixSocketReadersReceiveEveryLine) {
  boost::asio::io_context io;
  EventLog log;
  std::string path = ::testing::TempDir() + "/emu-ev-" + std::to_string(::getpid()) + ".sock";
  log.open_socket(io, path);
  boost::asio::local::stream_protocol::socket reader(io);
  reader.connect(boost::asio::local::stream_protocol::endpoint(path));
  io.run_for(std::chrono::milliseconds(50));  // the accept
  log.emit({{"kind", "service"}, {"n", 1}});
  log.emit({{"kind", "service"}, {"n", 2}});
  io.run_for(std::chrono::milliseconds(50));  // the writes
  boost::asio::streambuf buf;
  boost::asio::read_until(reader, buf, "\n");
  std::istream in(&buf);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(nlohmann::json::parse(line)["n"], 1);
  if (buf.size() == 0) boost::asio::read_until(reader, buf, "\n");
  std::getline(in, line);
  EXPECT_EQ(nlohmann::json::parse(line)["n"], 2);
  log.close();
}

}  // namespace
}  // namespace knetsim::emu

namespace knetsim::emu {
namespace {

TEST(Emulator, NodePortIsServedOnEveryNodeAndMasqueradedToTheNode) {
  RunningEmulator run("scenarios/policy-shop-v1.yaml", testing::test_options(8));
  const auto& c = run.cluster();
  auto svc = c.find_service("shop/frontend");
  ASSERT_TRUE(svc);
  int node_port = c.services[*svc].ports[0].node_port;
  ASSERT_GT(node_port, 0);
  for (const auto& node : c.nodes) {
    auto r = run.get("", node.ip, node_port, "/clientip");
    ASSERT_EQ(r.outcome, Outcome::Ok) << node.name << " " << r.detail;
    auto body = parse_http_reply(r.reply)->body;
    // externalTrafficPolicy Cluster: the endpoint sees the entry node's address.
    EXPECT_EQ(body.rfind(loopback_of(node.ip).str() + ":", 0), 0u) << body;
  }
}

}  // namespace
}  // namespace knetsim::emu

namespace knetsim::emu {
namespace {

TEST(Emulator, IpvsRoundRobinAndClientIpAffinityChooseAsKubeProxyDoes) {
  auto ipvs = [](core::Scenario& s) {
    s.kube_proxy.mode = core::KubeProxyMode::Ipvs;
    s.kube_proxy.ipvs_scheduler = "rr";
  };
  RunningEmulator run("scenarios/quickstart.yaml", testing::test_options(9), ipvs);
  const auto& c = run.cluster();
  core::Ipv4 vip = *c.services[*c.find_service("default/web")].cluster_ip;
  std::string client = first_pod_with_prefix(c, "default/client-");
  std::map<std::string, int> seen;
  for (int i = 0; i < 30; ++i) ++seen[run.hostname(client, vip, 80)];
  ASSERT_EQ(seen.size(), 3u);
  for (const auto& [name, n] : seen) EXPECT_EQ(n, 10) << name;  // rr: exactly even
  run.stop();

  auto sticky = [](core::Scenario& s) {
    for (auto& svc : s.objects.services) {
      if (svc.name == "web") svc.session_affinity = core::SessionAffinity::ClientIP;
    }
  };
  RunningEmulator run2("scenarios/quickstart.yaml", testing::test_options(9), sticky);
  std::map<std::string, int> seen2;
  for (int i = 0; i < 20; ++i) ++seen2[run2.hostname(client, vip, 80)];
  EXPECT_EQ(seen2.size(), 1u);  // one client address: one backend
}

}  // namespace
}  // namespace knetsim::emu
