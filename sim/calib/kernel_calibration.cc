#include "sim/calib/kernel_calibration.h"

#include <fmt/core.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "sim/calib/calibration_error.h"
#include "sim/calib/command.h"
#include "sim/calib/least_squares.h"
#include "sim/calib/netns_lab.h"
#include "sim/calib/socket_probe.h"
#include "sim/core/scenario_loader.h"
#include "sim/models/kubeproxy/datapath_cost.h"
#include "sim/models/kubeproxy/node_rules.h"
#include "sim/models/kubeproxy/sync_model.h"
#include "sim/models/profiles/profiles.h"

namespace knetsim::calib {

namespace kp = models::kubeproxy;

namespace {

constexpr const char* kPodCidr = "10.244.0.0/16";
constexpr int kVxlanPort = 5201;

void progress(const CalibrationOptions& o, const std::string& line) {
  if (o.progress) o.progress(line);
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

// The jumps from the built-in chains that kube-proxy adds with `iptables -I` outside its
// iptables-restore input (pkg/proxy/iptables/proxier.go, iptablesJumpChains), for the chains the
// dump declares. Without them the KUBE-* chains would never be entered.
std::string jump_rules(const std::string& dump) {
  std::map<std::string, std::set<std::string>> declared;  // table -> chains
  std::istringstream in(dump);
  std::string line, table;
  while (std::getline(in, line)) {
    if (line.rfind('*', 0) == 0) table = line.substr(1);
    if (line.rfind(":KUBE-", 0) == 0) declared[table].insert(line.substr(1, line.find(' ') - 1));
  }
  struct Jump {
    const char* table;
    const char* from;
    const char* chain;
    const char* match;
  };
  static const Jump kJumps[] = {
      {"filter", "INPUT", "KUBE-PROXY-FIREWALL", "-m conntrack --ctstate NEW "},
      {"filter", "INPUT", "KUBE-NODEPORTS", ""},
      {"filter", "INPUT", "KUBE-EXTERNAL-SERVICES", "-m conntrack --ctstate NEW "},
      {"filter", "INPUT", "KUBE-FIREWALL", ""},
      {"filter", "FORWARD", "KUBE-PROXY-FIREWALL", "-m conntrack --ctstate NEW "},
      {"filter", "FORWARD", "KUBE-FORWARD", ""},
      {"filter", "FORWARD", "KUBE-SERVICES", "-m conntrack --ctstate NEW "},
      {"filter", "FORWARD", "KUBE-EXTERNAL-SERVICES", "-m conntrack --ctstate NEW "},
      {"filter", "OUTPUT", "KUBE-PROXY-FIREWALL", "-m conntrack --ctstate NEW "},
      {"filter", "OUTPUT", "KUBE-SERVICES", "-m conntrack --ctstate NEW "},
      {"filter", "OUTPUT", "KUBE-FIREWALL", ""},
      {"nat", "PREROUTING", "KUBE-SERVICES", ""},
      {"nat", "OUTPUT", "KUBE-SERVICES", ""},
      {"nat", "POSTROUTING", "KUBE-POSTROUTING", ""},
  };
  std::string out;
  for (const char* t : {"filter", "nat"}) {
    std::string body;
    for (const Jump& j : kJumps) {
      if (j.table != std::string(t) || !declared[t].count(j.chain)) continue;
      body += std::string("-A ") + j.from + " " + j.match + "-j " + j.chain + "\n";
    }
    if (!body.empty()) out += std::string("*") + t + "\n" + body + "COMMIT\n";
  }
  return out;
}

// kube-proxy leaves out the nfacct matches when it cannot create the counters; so does
// calibration unless the nfacct tool can create them in the node namespace.
kp::ProxyOptions kernel_options(const core::Cluster& c, const std::string& node_ns) {
  kp::ProxyOptions o = kp::ProxyOptions::for_cluster(c);
  o.nfacct = have_program("nfacct") &&
             run_command({"nfacct", "add", "ct_state_invalid_dropped_pkts"}, "", node_ns).ok() &&
             run_command({"nfacct", "add", "localhost_nps_accepted_pkts"}, "", node_ns).ok();
  return o;
}

}  // namespace

std::vector<PositionSample> probe_positions(const core::Cluster& c) {
  core::Profile profile = models::load_profile("default", "");
  kp::DatapathCost cost(c, 0, profile);
  std::vector<std::pair<int, core::ServiceId>> order;
  for (core::ServiceId s = 0; s < c.services.size(); ++s) {
    if (!c.services[s].cluster_ip || c.services[s].ports.empty()) continue;
    order.push_back({cost.first_packet(s, 0, 0).rules_evaluated, s});
  }
  if (order.empty()) throw CalibrationError("the calibration cluster has no services");
  std::sort(order.begin(), order.end());
  std::vector<PositionSample> out;
  auto add = [&](const char* name, size_t i) {
    PositionSample p;
    p.position = name;
    p.service = order[i].second;
    p.rules_walked = order[i].first;
    const core::Service& s = c.services[p.service];
    p.target = s.cluster_ip->str() + ":" + std::to_string(s.ports[0].port);
    out.push_back(p);
  };
  add("first", 0);
  add("middle", order.size() / 2);
  add("last", order.size() - 1);
  return out;
}

namespace {

std::vector<ProbeTarget> targets_of(const std::vector<PositionSample>& ps) {
  std::vector<ProbeTarget> t;
  for (const auto& p : ps) {
    auto colon = p.target.find(':');
    t.push_back({p.target.substr(0, colon), std::stoi(p.target.substr(colon + 1))});
  }
  return t;
}

std::vector<int> target_ports(const core::Cluster& c) {
  std::set<int> ports;
  for (core::ServiceId s = 0; s < c.services.size(); ++s) {
    for (const auto& sp : c.services[s].ports) {
      for (const auto& b : c.backends_of(s, sp)) ports.insert(b.port);
    }
  }
  return {ports.begin(), ports.end()};
}

void probe(const CalibrationOptions& o, const NetnsLab& lab, int target_port, ModeMeasurement& m) {
  std::vector<ProbeTarget> targets = targets_of(m.positions);
  targets.push_back({LabAddresses::kBackendDirect, target_port});
  auto samples = time_connects(lab.client(), targets, o.connect_rounds, o.warmup_rounds);
  for (size_t i = 0; i < m.positions.size(); ++i) {
    m.positions[i].typical_ns = percentile(samples[i], o.latency_percentile);
    m.positions[i].median_ns = median(samples[i]);
    m.positions[i].p99_ns = percentile(samples[i], 99);
    m.positions[i].samples = samples[i].size();
  }
  m.direct_typical_ns = percentile(samples.back(), o.latency_percentile);
  auto rtt = time_round_trips(lab.client(), {targets[1]}, o.rtt_rounds, o.warmup_rounds);
  m.rtt_median_ns = median(rtt[0]);
  m.rtt_p99_ns = percentile(rtt[0], 99);
}

ModeMeasurement measure_iptables(const CalibrationOptions& o, const NetnsLab& lab,
                                 std::shared_ptr<const core::Cluster> c,
                                 const std::vector<PositionSample>& positions) {
  ModeMeasurement m;
  m.mode = core::KubeProxyMode::Iptables;
  m.services = static_cast<int>(c->services.size());
  m.cluster = c;
  m.positions = positions;
  run_checked({"nft", "flush", "ruleset"}, "", lab.node());
  kp::ProxyOptions opt = kernel_options(*c, lab.node());
  std::string dump = kp::dump_node(*c, 0, kp::DumpKind::Iptables, opt);
  kp::NodeRules nr = kp::summarize_node(*c, 0, core::KubeProxyMode::Iptables, opt);
  for (const auto& [name, t] : nr.tables) {
    m.rules += t.rules;
    m.chains += t.chains;
  }
  m.sync_objects = m.rules;
  progress(o, "  iptables-restore: " + std::to_string(m.rules) + " rules, " +
                  std::to_string(m.chains) + " chains");
  m.load_ns = static_cast<double>(
      run_checked({"iptables-restore", "-w", "--noflush"}, dump, lab.node()).elapsed_ns);
  progress(o, fmt::format("  loaded in {:.2f} s", m.load_ns / 1e9));
  run_checked({"iptables-restore", "-w", "--noflush"}, jump_rules(dump), lab.node());
  // One chain written on top of the loaded rules: what a small partial sync pays for the rules
  // already there (iptables-nft reads the ruleset before changing it).
  const std::string update = "*nat\n:KNETSIM-CALIBRATE - [0:0]\n-A KNETSIM-CALIBRATE -j RETURN\nCOMMIT\n";
  std::vector<double> updates;
  for (int i = 0; i < 3; ++i) {
    updates.push_back(static_cast<double>(
        run_checked({"iptables-restore", "-w", "--noflush"}, update, lab.node()).elapsed_ns));
  }
  m.update_ns = median(updates);
  progress(o, "  probing iptables: " + std::to_string(o.connect_rounds) +
                  " connections to each of the first, middle and last service");
  probe(o, lab, target_ports(*c).front(), m);
  return m;
}

// The cost of one set lookup in this kernel: a table of our own holds a set keyed like
// kube-proxy's service-ips map (ip daddr . meta l4proto . th dport) with every service, and a
// prerouting chain that runs K lookups in it before kube-proxy's chains; connects to the middle
// service are timed with K = 0 and K = lookup_rules, alternating three times.
void measure_lookups(const CalibrationOptions& o, const NetnsLab& lab, const core::Cluster& c,
                     ModeMeasurement& m) {
  if (o.lookup_rules <= 0) return;
  std::string elements;
  for (const auto& s : c.services) {
    if (!s.cluster_ip || s.ports.empty()) continue;
    elements += (elements.empty() ? "" : ", ") + s.cluster_ip->str() + " . tcp . " +
                std::to_string(s.ports[0].port);
  }
  std::string table =
      "table ip knetsim-calibrate {\n"
      "  set probe { type ipv4_addr . inet_proto . inet_service; elements = { " + elements +
      " } }\n"
      "  chain lookups { type filter hook prerouting priority -300; }\n"
      "}\n";
  run_checked({"nft", "-f", "-"}, table, lab.node());
  std::string rules = "flush chain ip knetsim-calibrate lookups\n";
  for (int i = 0; i < o.lookup_rules; ++i) {
    rules += "add rule ip knetsim-calibrate lookups ip daddr . meta l4proto . th dport @probe\n";
  }
  std::vector<ProbeTarget> target = targets_of({m.positions[1]});
  std::vector<double> with, without;
  int rounds = std::max(20, o.connect_rounds / 3);
  for (int cycle = 0; cycle < 3; ++cycle) {
    run_checked({"nft", "-f", "-"}, "flush chain ip knetsim-calibrate lookups\n", lab.node());
    auto a = time_connects(lab.client(), target, rounds, o.warmup_rounds / 3);
    without.insert(without.end(), a[0].begin(), a[0].end());
    run_checked({"nft", "-f", "-"}, rules, lab.node());
    auto b = time_connects(lab.client(), target, rounds, o.warmup_rounds / 3);
    with.insert(with.end(), b[0].begin(), b[0].end());
  }
  m.lookup_rules = o.lookup_rules;
  m.lookup_connect_ns = percentile(with, o.latency_percentile);
  m.no_lookup_connect_ns = percentile(without, o.latency_percentile);
}

ModeMeasurement measure_nftables(const CalibrationOptions& o, const NetnsLab& lab,
                                 std::shared_ptr<const core::Cluster> c,
                                 const std::vector<PositionSample>& iptables_positions) {
  ModeMeasurement m;
  m.mode = core::KubeProxyMode::Nftables;
  m.services = static_cast<int>(c->services.size());
  m.cluster = c;
  run_checked({"nft", "flush", "ruleset"}, "", lab.node());
  kp::ProxyOptions opt = kp::ProxyOptions::for_cluster(*c);
  std::string dump = kp::dump_node(*c, 0, kp::DumpKind::Nft, opt);
  kp::NodeRules nr = kp::summarize_node(*c, 0, core::KubeProxyMode::Nftables, opt);
  for (const auto& [name, t] : nr.tables) {
    m.rules += t.rules;
    m.chains += t.chains;
  }
  core::Profile profile = models::load_profile("default", "");
  m.sync_objects =
      kp::estimate_sync(*c, 0, core::KubeProxyMode::Nftables, opt, profile).objects_full;
  progress(o, "  nft -f: " + std::to_string(m.sync_objects) + " objects");
  m.load_ns = static_cast<double>(run_checked({"nft", "-f", "-"}, dump, lab.node()).elapsed_ns);
  progress(o, fmt::format("  loaded in {:.2f} s", m.load_ns / 1e9));
  // The same services as for iptables; their rule counts are the nftables walk's.
  core::Cluster nft_cluster = *c;
  nft_cluster.kube_proxy.mode = core::KubeProxyMode::Nftables;
  kp::DatapathCost cost(nft_cluster, 0, profile);
  m.positions = iptables_positions;
  for (auto& p : m.positions) p.rules_walked = cost.first_packet(p.service, 0, 0).rules_evaluated;
  progress(o, "  probing nftables");
  probe(o, lab, target_ports(*c).front(), m);
  measure_lookups(o, lab, *c, m);
  run_checked({"nft", "flush", "ruleset"}, "", lab.node());
  return m;
}

VxlanMeasurement measure_vxlan(const CalibrationOptions& o, NetnsLab& lab) {
  VxlanMeasurement v;
  lab.build_vxlan_pair();
  v.underlay_mtu = NetnsLab::mtu_of(lab.vxa(), "eth0");
  v.vxlan_mtu = NetnsLab::mtu_of(lab.vxa(), "vxlan0");
  EchoServer server(lab.vxb(), {kVxlanPort});
  auto rtt = time_round_trips(lab.vxa(),
                              {{LabAddresses::kVxbUnderlay, kVxlanPort},
                               {LabAddresses::kVxbOverlay, kVxlanPort}},
                              o.rtt_rounds * 2, o.warmup_rounds);
  v.underlay_rtt_ns = median(rtt[0]);
  v.overlay_rtt_ns = median(rtt[1]);
  v.underlay_rtt_p99_ns = percentile(rtt[0], 99);
  v.overlay_rtt_p99_ns = percentile(rtt[1], 99);
  v.measured = true;
  return v;
}

std::string read_first_line(const std::string& path, const std::string& key) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) {
      auto colon = line.find(':');
      std::string v = colon == std::string::npos ? line : line.substr(colon + 1);
      v.erase(0, v.find_first_not_of(" \t"));
      return v;
    }
  }
  return "";
}

}  // namespace

std::string kernel_calibration_blocker(bool nftables) {
  if (geteuid() != 0) {
    return "calibration needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN): it creates network "
           "namespaces and loads rules into the kernel; run it as root (e.g. with sudo)";
  }
  std::vector<std::string> tools = {"ip", "iptables-restore", "nft"};
  for (const auto& t : tools) {
    if (!have_program(t)) {
      return t + " is not installed (Debian: apt-get install iproute2 iptables nftables)";
    }
  }
  CommandResult v = run_command({"iptables-restore", "--version"});
  if (v.output.find("nf_tables") == std::string::npos) {
    return "iptables-restore is not the nft backend (" + first_line(v.output) +
           "); calibration measures iptables-nft";
  }
  (void)nftables;
  return "";
}

core::Cluster calibration_cluster(int services, int endpoints_per_service) {
  std::string y = std::string(
                      "apiVersion: knetsim/v1\nkind: Scenario\nmetadata: {name: calibrate}\n"
                      "cluster:\n  nodes: {count: 1}\n  apiServerService: false\n  podCIDR: ") +
                  kPodCidr +
                  "\n  nodeCIDRMaskSize: 16\nkubeProxy: {mode: iptables}\n"
                  "generate:\n  - services: {count: " + std::to_string(services) +
                  ", endpointsPerService: " + std::to_string(endpoints_per_service) + "}\n";
  core::Diagnostics diags;
  core::Scenario s = core::load_scenario_text(y, "calibrate", ".", diags);
  return core::build_cluster(s, diags);
}

MachineInfo describe_machine() {
  MachineInfo m;
  utsname u{};
  if (uname(&u) == 0) {
    m.kernel = u.release;
    m.hostname = u.nodename;
  }
  m.cpu_model = read_first_line("/proc/cpuinfo", "model name");
  m.cores = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  m.iptables_version = first_line(run_command({"iptables-restore", "--version"}).output);
  m.nft_version = first_line(run_command({"nft", "--version"}).output);
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", std::gmtime(&t));
  m.date_utc = buf;
  return m;
}

IpvsStatus ipvs_status() {
  IpvsStatus s;
  if (access("/proc/net/ip_vs", F_OK) != 0) {
    s.reason = "this kernel has no IPVS (/proc/net/ip_vs is missing; the ip_vs module is not "
               "built in or loaded)";
  } else if (!have_program("ipvsadm")) {
    s.reason = "the kernel has IPVS but ipvsadm is not installed";
  } else {
    s.available = true;
  }
  return s;
}

CalibrationRun run_kernel_calibration(const CalibrationOptions& o) {
  CalibrationRun run;
  run.options = o;
  run.machine = describe_machine();
  run.ipvs = ipvs_status();
  for (const auto& name : NetnsLab::remove_leftovers()) {
    progress(o, "removed namespace " + name + " left by an earlier run");
  }
  NetnsLab lab;
  lab.build_service_path(*core::Cidr::parse(kPodCidr));
  std::vector<int> counts = o.services;
  for (int n : counts) {
    progress(o, "services " + std::to_string(n) + ": building the cluster");
    auto c = std::make_shared<const core::Cluster>(
        calibration_cluster(n, o.endpoints_per_service));
    std::vector<PositionSample> positions = probe_positions(*c);
    EchoServer server(lab.backend(), target_ports(*c));
    run.measurements.push_back(measure_iptables(o, lab, c, positions));
    if (o.nftables) run.measurements.push_back(measure_nftables(o, lab, c, positions));
  }
  if (o.vxlan) {
    progress(o, "VXLAN: round trips over the underlay and over the overlay");
    run.vxlan = measure_vxlan(o, lab);
  }
  lab.teardown();
  return run;
}

}  // namespace knetsim::calib
