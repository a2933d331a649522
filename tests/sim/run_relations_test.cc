// End-to-end simulation relations on small scenarios, through `knetsim run`: predictions move
// the way reality does (kube-proxy mode vs service count, keep-alive, overlay vs native vs same
// node, node failure until convergence) and identical seeds give identical files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/cli/run_cli.h"

namespace knetsim::sim {
namespace {

using knetsim::testing::run_knetsim;

std::string temp_dir(const std::string& name) {
  std::string d = "/tmp/knetsim-sim-test-" + std::to_string(getpid()) + "/" + name;
  std::filesystem::create_directories(d);
  return d;
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Case {
  std::string proxy = "iptables";
  std::string cni = "{plugin: calico, mode: vxlan}";
  int services = 10;
  std::string connection = "new";
  std::string target = "bulk/svc-5";
  std::string events;
  std::string duration = "3s";
  std::string rate = "200";
  std::string web_node;  // when set, traffic goes to default/web whose pod is pinned there
};

nlohmann::json run_case(const Case& c, const std::string& name, const std::string& seed = "") {
  std::string y =
      "apiVersion: knetsim/v1\nkind: Scenario\nmetadata: {name: " + name + "}\nseed: 3\n"
      "duration: " + c.duration + "\n"
      "cluster:\n  nodes: {count: 3}\n  podCIDR: 10.0.0.0/8\n  nodeCIDRMaskSize: 16\n"
      "cni: " + c.cni + "\nkubeProxy: {mode: " + c.proxy + "}\n"
      "generate:\n  - services: {count: " + std::to_string(c.services) + ", endpointsPerService: 3}\n"
      "objects:\n"
      "  - {apiVersion: v1, kind: Pod, metadata: {name: client, namespace: default, labels: {app: client}},\n"
      "     spec: {nodeName: node-1, containers: [{name: c, image: curl}]}}\n"
      "  - {apiVersion: v1, kind: Pod, metadata: {name: web, namespace: default, labels: {app: web}},\n"
      "     spec: {nodeName: " + (c.web_node.empty() ? std::string("node-2") : c.web_node) +
      ", containers: [{name: w, image: nginx}]}}\n"
      "  - {apiVersion: v1, kind: Service, metadata: {name: web, namespace: default},\n"
      "     spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}}\n"
      "  - apiVersion: apps/v1\n    kind: Deployment\n    metadata: {name: api, namespace: default}\n"
      "    spec:\n      replicas: 3\n      selector: {matchLabels: {app: api}}\n"
      "      template:\n        metadata: {labels: {app: api}}\n"
      "        spec: {containers: [{name: a, image: api}]}\n"
      "  - {apiVersion: v1, kind: Service, metadata: {name: api, namespace: default},\n"
      "     spec: {selector: {app: api}, ports: [{port: 80, targetPort: 8080}]}}\n"
      "traffic:\n  - name: t\n    from: {pod: default/client}\n"
      "    to: {service: " + (c.web_node.empty() ? c.target : std::string("default/web")) +
      ", port: 80}\n"
      "    rate: {perSecond: " + c.rate + ", arrival: poisson}\n"
      "    connection: " + c.connection + "\n"
      "    response: {bytes: 4KiB, serviceTime: {dist: constant, value: 200us}}\n" + c.events;
  std::string dir = temp_dir(name);
  std::ofstream(dir + "/scenario.yaml") << y;
  auto r = run_knetsim("run " + dir + "/scenario.yaml --out " + dir + "/out -q" +
                       (seed.empty() ? "" : " --seed " + seed));
  EXPECT_EQ(r.status, 0) << r.err;
  return nlohmann::json::parse(read(dir + "/out/summary.json"));
}

double p50(const nlohmann::json& j) { return j["traffic"][0]["latency"]["p50Ms"].get<double>(); }

TEST(Simulation, IptablesFirstConnectionGrowsWithServicesOthersStayFlat) {
  auto run = [](const std::string& mode, int services) {
    Case c;
    c.proxy = mode;
    c.services = services;
    c.target = "bulk/svc-" + std::to_string(services / 2);
    return p50(run_case(c, mode + std::to_string(services)));
  };
  double ipt_small = run("iptables", 10), ipt_big = run("iptables", 4000);
  double nft_small = run("nftables", 10), nft_big = run("nftables", 4000);
  double ipvs_small = run("ipvs", 10), ipvs_big = run("ipvs", 4000);
  EXPECT_GT(ipt_big - ipt_small, 0.02);  // > 20 us more per connection
  EXPECT_LT(std::abs(nft_big - nft_small), 0.005);
  EXPECT_LT(std::abs(ipvs_big - ipvs_small), 0.005);
  EXPECT_GT(ipt_big, nft_big);
}

TEST(Simulation, KeepAliveHidesTheDifference) {
  Case ipt;
  ipt.services = 4000;
  ipt.target = "bulk/svc-2000";
  Case nft = ipt;
  nft.proxy = "nftables";
  double new_gap = p50(run_case(ipt, "ka-ipt-new")) - p50(run_case(nft, "ka-nft-new"));
  ipt.connection = nft.connection = "keepalive";
  double keep_gap = p50(run_case(ipt, "ka-ipt-keep")) - p50(run_case(nft, "ka-nft-keep"));
  EXPECT_GT(new_gap, 0.02);
  EXPECT_LT(std::abs(keep_gap), new_gap / 5);
}

TEST(Simulation, CrossNodeOverlayCostsMoreThanSameNodeAndNativeRouting) {
  Case vx;
  vx.web_node = "node-2";
  Case same = vx;
  same.web_node = "node-1";
  Case native = vx;
  native.cni = "{plugin: calico, mode: bgp}";
  double t_vx = p50(run_case(vx, "vx")), t_same = p50(run_case(same, "same"));
  double t_native = p50(run_case(native, "native"));
  EXPECT_GT(t_vx, t_same);
  EXPECT_GT(t_vx, t_native);
}

TEST(Simulation, NodeFailureShowsErrorsUntilEndpointsAndRulesConverge) {
  Case c;
  c.target = "default/api";
  c.duration = "70s";
  c.rate = "100";
  c.events = "events:\n  - {at: 5s, failNode: node-2}\n";
  std::string dir_name = "nodefail";
  auto j = run_case(c, dir_name);
  double converged = j["events"][0]["rulesConvergedAfterSeconds"].get<double>();
  EXPECT_GT(converged, 40.0);  // node-monitor grace period + propagation + sync
  EXPECT_LT(converged, 45.0);
  EXPECT_GT(j["traffic"][0]["errors"]["stale endpoint"].get<int>(), 0);
  // Errors per second: none before the failure, some right after, none once converged
  // (requests started after convergence; the connect timeout ends a few seconds later).
  std::istringstream ts(read(temp_dir(dir_name) + "/out/timeseries.csv"));
  std::string line;
  std::getline(ts, line);
  int before = 0, during = 0, after = 0;
  while (std::getline(ts, line)) {
    int sec = std::stoi(line.substr(0, line.find(',')));
    auto p = line.find(',', line.find(',', line.find(',') + 1) + 1);
    int errors = std::stoi(line.substr(p + 1, line.find(',', p + 1) - p - 1));
    if (sec < 5) before += errors;
    else if (sec < 40) during += errors;
    else if (sec >= 5 + static_cast<int>(converged) + 1) after += errors;
  }
  EXPECT_EQ(before, 0);
  EXPECT_GT(during, 0);
  EXPECT_EQ(after, 0);
}

TEST(Simulation, SameSeedGivesIdenticalFilesOtherSeedDiffers) {
  std::string out1 = temp_dir("seed1"), out2 = temp_dir("seed2"), out3 = temp_dir("seed3");
  std::string file = std::string(KNETSIM_SOURCE_DIR) + "/scenarios/quickstart.yaml";
  ASSERT_EQ(run_knetsim("run " + file + " --out " + out1 + " -q --seed 9").status, 0);
  ASSERT_EQ(run_knetsim("run " + file + " --out " + out2 + " -q --seed 9").status, 0);
  ASSERT_EQ(run_knetsim("run " + file + " --out " + out3 + " -q --seed 10").status, 0);
  for (const char* f : {"summary.json", "timeseries.csv", "histogram.csv", "cpu.csv", "syncs.csv",
                        "events.csv"}) {
    EXPECT_EQ(read(out1 + "/" + f), read(out2 + "/" + f)) << f;
    EXPECT_FALSE(read(out1 + "/" + f).empty()) << f;
  }
  EXPECT_NE(read(out1 + "/summary.json"), read(out3 + "/summary.json"));
}

TEST(Simulation, ExternalPathsLocalSkipsTheSecondHopIngressAddsTlsAndProxy) {
  std::string out = temp_dir("ingress");
  std::string file = std::string(KNETSIM_SOURCE_DIR) + "/scenarios/ingress.yaml";
  auto r = run_knetsim("run " + file + " --out " + out + " -q");
  ASSERT_EQ(r.status, 0) << r.err;
  auto j = nlohmann::json::parse(read(out + "/summary.json"));
  std::map<std::string, nlohmann::json> by_name;
  for (const auto& t : j["traffic"]) by_name[t["name"].get<std::string>()] = t;
  auto p50_of = [&](const std::string& n) { return by_name[n]["latency"]["p50Ms"].get<double>(); };
  EXPECT_LT(p50_of("lb-local"), p50_of("lb-cluster"));
  EXPECT_GT(p50_of("ingress-tls"), p50_of("lb-cluster"));
  // NodePort with externalTrafficPolicy Local on a node without an endpoint: dropped.
  EXPECT_EQ(by_name["nodeport-local-miss"]["ok"].get<int>(), 0);
  EXPECT_GT(by_name["nodeport-local-miss"]["errors"]["no endpoints"].get<int>(), 0);
  EXPECT_EQ(by_name["lb-local"]["errors"]["no endpoints"].get<int>(), 0);
}

TEST(Simulation, BadScenarioExitsWithTwo) {
  std::string dir = temp_dir("bad");
  std::ofstream(dir + "/bad.yaml") << "apiVersion: knetsim/v1\nkind: Scenario\nduration: soon\n";
  auto r = run_knetsim("run " + dir + "/bad.yaml --out " + dir + "/out");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("bad.yaml:3"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace knetsim::sim
