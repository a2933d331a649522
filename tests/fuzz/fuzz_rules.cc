// Fuzzes kube-proxy's rule compilers: the input bytes choose a small cluster (nodes, pods with
// ready/terminating states, Services of every type with named and numeric target ports, traffic
// policies, affinity, external and LB IPs) and every node is compiled in every mode. Checked:
//  - the counts `knetsim rules` reports equal what the dumps hold (iptables-restore "-A" lines and
//    chain headers, nft "add rule/chain/element" lines, ipvsadm virtual/real servers, ipset
//    entries, eBPF map entries);
//  - the dumps re-parse: every line has a known form and every jump/goto names a chain the same
//    dump declares;
//  - every service port with cluster-wide endpoints has its KUBE-SVC chain and a KUBE-SEP chain
//    per endpoint (iptables), and every KUBE-SVC chain belongs to some service port;
//  - compiling twice gives the same dump (no unordered or uninitialised state).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/cluster.h"
#include "sim/models/kubeproxy/chain_names.h"
#include "sim/models/kubeproxy/ebpf_compiler.h"
#include "sim/models/kubeproxy/iptables_compiler.h"
#include "sim/models/kubeproxy/ipvs_compiler.h"
#include "sim/models/kubeproxy/nftables_compiler.h"
#include "sim/models/kubeproxy/node_rules.h"
#include "sim/models/kubeproxy/service_ports.h"
#include "sim/models/kubeproxy/userspace_compiler.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

using namespace knetsim;
using namespace knetsim::models::kubeproxy;

const core::SourceRef kFuzz{"<fuzz>", 0, 0};

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz_rules: %s\n", what.c_str());
  std::abort();
}
void expect(bool ok, const std::string& what) {
  if (!ok) fail(what);
}

core::Scenario scenario(fuzz::FuzzInput& in) {
  core::Scenario s;
  s.name = "fuzz-rules";
  s.file = "<fuzz>";
  s.cluster.nodes.count = 1 + in.upto(2);
  s.cluster.api_server_service = in.flag();
  s.kube_proxy.masquerade_all = in.flag();
  if (in.flag()) s.kube_proxy.node_port_addresses.push_back(in.flag() ? "192.168.0.0/16" : "primary");
  s.kube_proxy.localhost_node_ports = in.flag();
  const char* const apps[] = {"a", "b", "c"};
  core::Namespace ns;
  ns.name = "default";
  ns.labels[core::kNamespaceNameLabel] = ns.name;
  ns.source = kFuzz;
  s.objects.namespaces.push_back(ns);
  for (int i = in.upto(8); i > 0; --i) {
    core::Pod p;
    p.ns = "default";
    p.name = "pod-" + std::to_string(i);
    p.source = kFuzz;
    p.labels["app"] = in.pick(apps);
    p.ready = in.upto(4) != 0;
    p.terminating = in.upto(6) == 0;
    core::Container c;
    c.name = "main";
    core::ContainerPort http{"http", in.flag() ? 8080 : 80, core::Protocol::TCP, 0};
    c.ports.push_back(http);
    if (in.flag()) c.ports.push_back({"dns", 53, core::Protocol::UDP, 0});
    p.spec.containers.push_back(c);
    s.objects.pods.push_back(p);
    s.objects.pod_ip_given.push_back(false);
  }
  for (int i = in.upto(5); i > 0; --i) {
    core::Service svc;
    svc.ns = "default";
    svc.name = "svc-" + std::to_string(i);
    svc.source = kFuzz;
    int type = in.upto(3);
    svc.type = type == 0 ? core::ServiceType::ClusterIP
               : type == 1 ? core::ServiceType::NodePort
                           : core::ServiceType::LoadBalancer;
    svc.headless = svc.type == core::ServiceType::ClusterIP && in.upto(5) == 0;
    if (in.upto(4) != 0) svc.selector = core::Labels{{"app", in.pick(apps)}};
    int ports = 1 + in.upto(1);
    for (int k = 0; k < ports; ++k) {
      core::ServicePort sp;
      sp.name = ports > 1 ? "p" + std::to_string(k) : "";
      sp.protocol = in.upto(4) == 0 ? core::Protocol::UDP : core::Protocol::TCP;
      sp.port = k == 0 ? (in.flag() ? 80 : in.between(1, 65535)) : 443;
      switch (in.upto(2)) {
        case 0:
          sp.target_port = core::PortRef{sp.port, ""};
          break;
        case 1:
          sp.target_port = core::PortRef{0, in.flag() ? "http" : "dns"};
          break;
        default:
          sp.target_port = core::PortRef{in.between(1, 65535), ""};
          break;
      }
      sp.source = kFuzz;
      svc.ports.push_back(sp);
    }
    if (!svc.headless) {
      if (in.upto(3) == 0) svc.external_ips.push_back(core::Ipv4{0xC6336400u + in.u32() % 4});
      if (svc.type == core::ServiceType::LoadBalancer) {
        if (in.flag()) svc.load_balancer_ingress.push_back(core::Ipv4{0xCB007100u + in.u32() % 4});
        if (in.upto(3) == 0) svc.load_balancer_source_ranges.push_back({core::Ipv4{0x0A000000u}, 8});
        svc.allocate_load_balancer_node_ports = in.upto(3) != 0;
      }
      if (svc.type != core::ServiceType::ClusterIP || !svc.external_ips.empty()) {
        if (in.flag()) svc.external_traffic_policy = core::TrafficPolicy::Local;
      }
      if (in.upto(3) == 0) svc.internal_traffic_policy = core::TrafficPolicy::Local;
      if (in.upto(2) == 0) {
        svc.session_affinity = core::SessionAffinity::ClientIP;
        svc.affinity_timeout_s = in.between(1, 86400);
      }
    }
    svc.publish_not_ready_addresses = in.upto(4) == 0;
    s.objects.services.push_back(svc);
  }
  return s;
}

size_t count_prefix(const std::string& text, std::string_view prefix) {
  size_t n = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) n += line.rfind(prefix, 0) == 0;
  return n;
}

// Chain names after "-j "/"-g " (iptables) or "jump "/"goto " (nft) on one line.
std::vector<std::string> targets(const std::string& line, std::string_view a, std::string_view b) {
  std::vector<std::string> out;
  for (std::string_view kw : {a, b}) {
    for (size_t at = line.find(kw); at != std::string::npos; at = line.find(kw, at + 1)) {
      if (at > 0 && line[at - 1] != ' ') continue;
      size_t start = at + kw.size();
      size_t end = line.find_first_of(" ,}", start);
      out.push_back(line.substr(start, end == std::string::npos ? std::string::npos : end - start));
    }
  }
  return out;
}

// Parses an iptables-restore input; returns the declared chains per table and counts the rules.
struct IptablesDump {
  std::set<std::string> nat_chains, filter_chains;
  size_t rules = 0, chains = 0;
};

IptablesDump parse_iptables(const std::string& dump) {
  IptablesDump d;
  std::istringstream lines(dump);
  std::set<std::string>* chains = nullptr;
  std::vector<std::string> lines_of_table;
  auto check_table = [&] {
    for (const std::string& l : lines_of_table) {
      for (const std::string& t : targets(l, "-j ", "-g ")) {
        if (t.rfind("KUBE-", 0) == 0) expect(chains->count(t) == 1, "iptables: jump to undeclared " + t + " in: " + l);
      }
    }
    lines_of_table.clear();
  };
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    if (line == "*nat" || line == "*filter") {
      expect(chains == nullptr, "iptables: table opened twice without COMMIT");
      chains = line == "*nat" ? &d.nat_chains : &d.filter_chains;
    } else if (line == "COMMIT") {
      expect(chains != nullptr, "iptables: COMMIT outside a table");
      check_table();
      chains = nullptr;
    } else if (line[0] == ':') {
      expect(chains != nullptr, "iptables: chain outside a table");
      size_t sp = line.find(' ');
      expect(sp != std::string::npos && line.substr(sp) == " - [0:0]", "iptables: bad chain line " + line);
      expect(chains->insert(line.substr(1, sp - 1)).second, "iptables: chain declared twice " + line);
      ++d.chains;
    } else if (line.rfind("-A ", 0) == 0) {
      expect(chains != nullptr, "iptables: rule outside a table");
      std::string chain = line.substr(3, line.find(' ', 3) - 3);
      expect(chains->count(chain) == 1 || chain.rfind("KUBE-", 0) != 0,
             "iptables: rule in undeclared chain " + chain);
      lines_of_table.push_back(line);
      ++d.rules;
    } else {
      fail("iptables: unparsable line: " + line);
    }
  }
  expect(chains == nullptr, "iptables: table without COMMIT");
  return d;
}

void check_iptables(const core::Cluster& c, core::NodeId n, const ProxyOptions& opt,
                    const NodeView& view) {
  IptablesRuleSet rs = compile_iptables(view, opt);
  std::string dump = rs.dump();
  expect(dump == compile_iptables(view, opt).dump(), "iptables: two compilations differ");
  IptablesDump d = parse_iptables(dump);
  NodeRules r = summarize_node(c, n, core::KubeProxyMode::Iptables, opt);
  expect(d.rules == r.total_rules(), "iptables: rules counted != rules dumped");
  expect(d.chains == r.tables["nat"].chains + r.tables["filter"].chains,
         "iptables: chains counted != chains dumped");
  expect(dump == dump_node(c, n, DumpKind::Iptables, opt), "iptables: dump_node differs");
  std::set<std::string> svc_chains;
  for (const ServicePortInfo& p : view.ports) {
    std::string svc = svc_chain(p.name, p.proto);
    svc_chains.insert(svc);
    if (p.uses_cluster_endpoints() && !p.cluster_eps.empty()) {
      expect(d.nat_chains.count(svc) == 1, "iptables: no " + svc + " for " + p.name);
      for (uint32_t e : p.cluster_eps) {
        std::string sep = sep_chain(p.name, p.proto, p.endpoints[e].str);
        expect(d.nat_chains.count(sep) == 1, "iptables: no " + sep + " for " + p.endpoints[e].str);
      }
    }
  }
  for (const std::string& chain : d.nat_chains) {
    if (chain.rfind("KUBE-SVC-", 0) == 0) {
      expect(svc_chains.count(chain) == 1, "iptables: " + chain + " belongs to no service port");
    }
  }
}

void check_nftables(const core::Cluster& c, core::NodeId n, const ProxyOptions& opt,
                    const NodeView& view) {
  NftRuleSet rs = compile_nftables(view, opt);
  std::string dump = rs.dump();
  expect(dump == compile_nftables(view, opt).dump(), "nftables: two compilations differ");
  NodeRules r = summarize_node(c, n, core::KubeProxyMode::Nftables, opt);
  expect(count_prefix(dump, "add rule ") == r.total_rules(), "nftables: rules counted != dumped");
  expect(count_prefix(dump, "add chain ") == r.tables["kube-proxy"].chains,
         "nftables: chains counted != dumped");
  expect(count_prefix(dump, "add element ") == rs.element_count(),
         "nftables: elements counted != dumped");
  size_t set_entries = 0;
  for (const auto& s : rs.sets()) set_entries += s.elements.size();
  expect(set_entries == r.total_set_entries(), "nftables: set entries counted != compiled");
  std::set<std::string> chains;
  for (const auto& ch : rs.chains()) expect(chains.insert(ch.name).second, "nft: chain twice " + ch.name);
  std::istringstream lines(dump);
  for (std::string line; std::getline(lines, line);) {
    bool known = false;
    for (const char* p : {"add table ", "add chain ", "add set ", "add map ", "add rule ", "add element "}) {
      known = known || line.rfind(p, 0) == 0;
    }
    expect(known, "nftables: unparsable line: " + line);
    for (const std::string& t : targets(line, "jump ", "goto ")) {
      expect(chains.count(t) == 1, "nftables: jump to undeclared chain " + t);
    }
  }
}

void check_ipvs(const core::Cluster& c, core::NodeId n, const ProxyOptions& opt,
                const NodeView& view) {
  IpvsState st = compile_ipvs(view, opt);
  NodeRules r = summarize_node(c, n, core::KubeProxyMode::Ipvs, opt);
  std::string ipvsadm = st.ipvsadm_dump();
  expect(count_prefix(ipvsadm, "-A ") == r.virtual_servers, "ipvs: virtual servers != dumped");
  expect(count_prefix(ipvsadm, "-a ") == r.real_servers, "ipvs: real servers != dumped");
  std::string ipset = st.ipset_dump();
  size_t entries = 0;
  for (const auto& s : st.ipsets) entries += s.entries.size();
  expect(count_prefix(ipset, "add ") == entries, "ipvs: ipset entries != dumped");
  expect(count_prefix(ipset, "create ") == st.ipsets.size(), "ipvs: ipsets != dumped");
  IptablesDump d = parse_iptables(st.iptables.dump());
  expect(d.rules == r.total_rules(), "ipvs: iptables rules counted != dumped");
  for (const auto& vs : st.virtual_servers) {
    expect(vs.port_index < view.ports.size(), "ipvs: virtual server of no service port");
  }
  expect(ipvsadm == compile_ipvs(view, opt).ipvsadm_dump(), "ipvs: two compilations differ");
}

void check_ebpf(const core::Cluster& c, core::NodeId n, const ProxyOptions& opt,
                const NodeView& view) {
  BpfState st = compile_ebpf(view, opt);
  NodeRules r = summarize_node(c, n, core::KubeProxyMode::Ebpf, opt);
  size_t slots = 0;
  for (const auto& f : st.frontends) {
    slots += 1 + f.backend_ids.size();
    for (uint32_t id : f.backend_ids) {
      expect(id >= 1 && id <= st.backends.size(), "ebpf: frontend names a missing backend");
    }
    expect(f.port_index < view.ports.size(), "ebpf: frontend of no service port");
  }
  expect(slots == st.service_map_entries(), "ebpf: service map entries != frontends + slots");
  expect(r.sets["cilium_lb4_services_v2"] == st.service_map_entries(), "ebpf: summary differs");
  expect(r.sets["cilium_lb4_backends_v3"] == st.backends.size(), "ebpf: backends differ");
  expect(st.dump() == compile_ebpf(view, opt).dump(), "ebpf: two compilations differ");
}

void check_userspace(const core::Cluster& c, core::NodeId n, const ProxyOptions& opt,
                     const NodeView& view) {
  UserspaceState st = compile_userspace(view, opt);
  NodeRules r = summarize_node(c, n, core::KubeProxyMode::Userspace, opt);
  IptablesDump d = parse_iptables(st.iptables.dump());
  expect(d.rules == r.total_rules(), "userspace: rules counted != dumped");
  expect(st.sockets.size() == r.proxy_sockets, "userspace: sockets differ");
  std::set<int> proxy_ports;
  for (const auto& s : st.sockets) {
    expect(s.proxy_port >= 1 && s.proxy_port <= 65535, "userspace: proxy port out of range");
    expect(proxy_ports.insert(s.proxy_port).second, "userspace: two sockets share a proxy port");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::FuzzInput in(data, size);
  core::Scenario sc = scenario(in);
  core::Diagnostics diags;
  core::Cluster cluster;
  try {
    cluster = core::build_cluster(sc, diags);
  } catch (const core::ScenarioError&) {
    return 0;  // refused with a message (e.g. a port clash); the loader fuzzers cover messages
  }
  ProxyOptions opt = ProxyOptions::for_cluster(cluster);
  for (core::NodeId n = 0; n < cluster.nodes.size(); ++n) {
    NodeView view = build_node_view(cluster, n);
    check_iptables(cluster, n, opt, view);
    check_nftables(cluster, n, opt, view);
    check_ipvs(cluster, n, opt, view);
    check_ebpf(cluster, n, opt, view);
    check_userspace(cluster, n, opt, view);
  }
  return 0;
}
