// Path model relations: where a request's time goes and how it moves with the configuration.
#include <gtest/gtest.h>

#include "sim/models/path/path_model.h"
#include "tests/models/path/path_test_clusters.h"

namespace knetsim::models::path {
namespace {

using knetsim::testing::load_case;
using knetsim::testing::PathCase;

// `target`: the service called; generated services sit in the middle of KUBE-SERVICES when the
// middle one is chosen, as a typical service does.
Prediction predict(const PathCase& c, bool new_conn = true, int64_t resp = 2048,
                   const std::string& target = "default/web") {
  auto l = load_case(c);
  PathModel m(l.cluster, l.profile);
  RequestSpec r;
  r.client_pod = l.cluster.find_pod("default/client");
  r.target.kind = core::TargetKind::Service;
  r.target.name = target;
  r.target.port = 80;
  r.new_connection = new_conn;
  r.response_bytes = resp;
  r.service_time_ns = 100'000;
  return m.predict_request(r);
}

TEST(PathModel, HopsSumToTheTotalAndNameEveryStage) {
  Prediction p = predict(PathCase{});
  ASSERT_EQ(p.outcome, Outcome::Ok) << p.detail;
  int64_t sum = 0;
  bool lookup = false, wire = false, app = false, decap = false;
  for (const Hop& h : p.hops) {
    sum += h.ns;
    lookup |= h.name.find("service lookup, first packet (iptables") == 0;
    wire |= h.kind == HopKind::Wire && h.host_name == "node-1" && h.bytes > 0;
    app |= h.application && h.host_name == "node-2";
    decap |= h.name.find("decapsulate") == 0 && h.host_name == "node-2";
  }
  EXPECT_EQ(sum, p.total_ns);
  EXPECT_TRUE(lookup);
  EXPECT_TRUE(wire);
  EXPECT_TRUE(app);
  EXPECT_TRUE(decap);
  EXPECT_EQ(p.application_ns, 100'000);
  EXPECT_GT(p.rules_evaluated, 0);
}

TEST(PathModel, CrossNodeOverlayCostsMoreThanSameNodeAndThanNativeRouting) {
  PathCase vx;
  PathCase same = vx;
  same.web_node = "node-1";
  PathCase native = vx;
  native.cni = "{plugin: calico, mode: bgp}";
  int64_t t_vx = predict(vx).total_ns;
  int64_t t_same = predict(same).total_ns;
  int64_t t_native = predict(native).total_ns;
  EXPECT_GT(t_vx, t_same);
  EXPECT_GT(t_vx, t_native);
  EXPECT_GT(t_native, t_same);
  // The wire carries the VXLAN headers: more bytes than native routing.
  auto wire_bytes = [](const Prediction& p) {
    int64_t b = 0;
    for (const Hop& h : p.hops) b += h.kind == HopKind::Wire ? h.bytes : 0;
    return b;
  };
  EXPECT_GT(wire_bytes(predict(vx)), wire_bytes(predict(native)));
}

TEST(PathModel, IptablesFirstPacketGrowsWithServicesNftablesStaysFlat) {
  auto lookup_ns = [](const std::string& mode, int services) {
    PathCase c;
    c.proxy = mode;
    c.generated_services = services;
    Prediction p = predict(c, true, 2048, "bulk/svc-" + std::to_string(services / 2));
    EXPECT_EQ(p.outcome, Outcome::Ok) << p.detail;
    int64_t ns = 0;  // the first packet's service lookup (endpoint placement differs by count)
    for (const Hop& h : p.hops) ns += h.name.rfind("service lookup", 0) == 0 ? h.ns : 0;
    EXPECT_GT(ns, 0);
    return ns;
  };
  int64_t ipt_small = lookup_ns("iptables", 10);
  int64_t ipt_big = lookup_ns("iptables", 5000);
  int64_t nft_small = lookup_ns("nftables", 10);
  int64_t nft_big = lookup_ns("nftables", 5000);
  int64_t ipvs_small = lookup_ns("ipvs", 10);
  int64_t ipvs_big = lookup_ns("ipvs", 5000);
  EXPECT_GT(ipt_big - ipt_small, 20'000);  // tens of microseconds more
  EXPECT_LT(std::abs(nft_big - nft_small), 1'000);
  EXPECT_LT(std::abs(ipvs_big - ipvs_small), 1'000);
  EXPECT_GT(ipt_big, nft_big);
}

TEST(PathModel, KeepAliveHidesTheKubeProxyModeDifference) {
  PathCase ipt;
  ipt.generated_services = 5000;
  PathCase nft = ipt;
  nft.proxy = "nftables";
  auto t = [](const PathCase& c, bool new_conn) {
    return predict(c, new_conn, 2048, "bulk/svc-2500").total_ns;
  };
  int64_t new_gap = t(ipt, true) - t(nft, true);
  int64_t keep_gap = t(ipt, false) - t(nft, false);
  EXPECT_GT(new_gap, 20'000);
  EXPECT_LT(std::abs(keep_gap), new_gap / 20);
}

TEST(PathModel, DenyAllPolicyDropsUnlessTheCniIgnoresPolicy) {
  PathCase c;
  c.extra =
      "  - {apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: deny, namespace: default},\n"
      "     spec: {podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress]}}\n";
  Prediction denied = predict(c);
  EXPECT_EQ(denied.outcome, Outcome::PolicyDenied);
  EXPECT_EQ(denied.hops.back().kind, HopKind::Wait);
  c.cni = "{plugin: flannel, mode: vxlan}";
  EXPECT_EQ(predict(c).outcome, Outcome::Ok);
}

TEST(PathModel, ServiceWithoutEndpointsIsRejected) {
  PathCase c;
  c.web_node = "node-2";
  c.extra =
      "  - {apiVersion: v1, kind: Service, metadata: {name: empty, namespace: default},\n"
      "     spec: {selector: {app: nothing}, ports: [{port: 80}]}}\n";
  auto l = load_case(c);
  PathModel m(l.cluster, l.profile);
  RequestSpec r;
  r.client_pod = l.cluster.find_pod("default/client");
  r.target.name = "default/empty";
  r.target.port = 80;
  EXPECT_EQ(m.predict_request(r).outcome, Outcome::NoEndpoints);
}

TEST(PathModel, AnMtuThatIgnoresTheTunnelBlackHolesLargeResponsesOnly) {
  PathCase c;
  c.cni = "{plugin: calico, mode: vxlan, mtu: 1500}";
  EXPECT_EQ(predict(c, true, 100).outcome, Outcome::Ok);
  EXPECT_EQ(predict(c, true, 4096).outcome, Outcome::MtuBlackHole);
  c.web_node = "node-1";  // same node: no tunnel, no black hole
  EXPECT_EQ(predict(c, true, 4096).outcome, Outcome::Ok);
}

TEST(PathModel, StaleEndpointsFailFastWhenThePodIsGoneAndTimeOutWhenTheNodeIsDown) {
  auto l = load_case(PathCase{});
  PathModel m(l.cluster, l.profile);
  RequestSpec r;
  r.client_pod = l.cluster.find_pod("default/client");
  r.target.name = "default/web";
  r.target.port = 80;
  r.server_state = ServerState::PodGone;
  Prediction gone = m.predict_request(r);
  r.server_state = ServerState::NodeDown;
  Prediction down = m.predict_request(r);
  EXPECT_EQ(gone.outcome, Outcome::StaleEndpoint);
  EXPECT_EQ(down.outcome, Outcome::StaleEndpoint);
  EXPECT_LT(gone.total_ns, 10'000'000);
  EXPECT_GE(down.total_ns, 1'000'000'000);
}

TEST(PathModel, NodePortLocalKeepsOneHopClusterMayTakeTwo) {
  PathCase c;
  c.extra =
      "  - {apiVersion: v1, kind: Service, metadata: {name: np, namespace: default},\n"
      "     spec: {type: NodePort, selector: {app: web}, ports: [{port: 80, targetPort: 8080, nodePort: 30080}]}}\n"
      "  - {apiVersion: v1, kind: Service, metadata: {name: nplocal, namespace: default},\n"
      "     spec: {type: NodePort, externalTrafficPolicy: Local, selector: {app: web},\n"
      "            ports: [{port: 80, targetPort: 8080, nodePort: 30081}]}}\n";
  auto l = load_case(c);
  PathModel m(l.cluster, l.profile);
  RequestSpec r;
  r.target.kind = core::TargetKind::NodePort;
  r.target.name = "default/np";
  r.target.port = 30080;
  r.entry_node = 0;  // node-1; the web pod is on node-2
  Prediction cluster = m.predict_request(r);
  ASSERT_EQ(cluster.outcome, Outcome::Ok) << cluster.detail;
  bool second_hop = false, snat = false;
  for (const Hop& h : cluster.hops) {
    second_hop |= h.name.find("second hop") != std::string::npos;
    snat |= h.name.find("SNAT") == 0;
  }
  EXPECT_TRUE(second_hop);
  EXPECT_TRUE(snat);
  r.target.name = "default/nplocal";
  r.target.port = 30081;
  EXPECT_EQ(m.predict_request(r).outcome, Outcome::NoEndpoints);  // no endpoint on node-1
  r.entry_node = 1;
  Prediction local = m.predict_request(r);
  ASSERT_EQ(local.outcome, Outcome::Ok) << local.detail;
  EXPECT_LT(local.total_ns, cluster.total_ns);
}

}  // namespace
}  // namespace knetsim::models::path
