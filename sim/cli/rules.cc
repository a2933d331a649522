// knetsim rules FILE [--mode M] [--node N] [-o table|json] [--dump KIND] [--scaling]
// What kube-proxy programs on each node: chains, rules, sets and IPVS servers per table and per
// chain, with the sync-time estimate; --dump prints what the real tool loads; --scaling compares
// the modes over a range of service counts.
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <sstream>

#include "sim/cli/commands.h"
#include "sim/cli/load.h"
#include "sim/models/kubeproxy/node_rules.h"
#include "sim/models/kubeproxy/scaling.h"
#include "sim/models/kubeproxy/sync_model.h"
#include "sim/models/profiles/profiles.h"

namespace knetsim::cli {

namespace kp = models::kubeproxy;

namespace {

struct RulesOptions {
  std::string file;
  std::string mode;
  std::string node;
  std::string output = "table";
  std::string dump;
  bool scaling = false;
  bool all_chains = false;
  std::string services;  // --services 100,1000,...
};

constexpr size_t kChainsListedMax = 200;

// Per-chain counts, grouped into families ("KUBE-SEP-*") when there are many chains.
std::map<std::string, size_t> chain_rows(const kp::TableCounts& t, bool all) {
  if (all || t.by_chain.size() <= kChainsListedMax) return t.by_chain;
  std::map<std::string, size_t> out;
  for (const auto& [chain, n] : t.by_chain) out[kp::chain_family(chain)] += n;
  return out;
}

std::map<std::string, size_t> chain_family_sizes(const kp::TableCounts& t) {
  std::map<std::string, size_t> out;
  for (const auto& [chain, n] : t.by_chain) ++out[kp::chain_family(chain)];
  return out;
}

std::string human_ns(double ns) {
  if (ns >= 1e9) return fmt::format("{:.2f} s", ns / 1e9);
  if (ns >= 1e6) return fmt::format("{:.1f} ms", ns / 1e6);
  if (ns >= 1e3) return fmt::format("{:.2f} us", ns / 1e3);
  return fmt::format("{:.0f} ns", ns);
}

// Sync timing from minSyncPeriod/syncPeriod: under continuous churn kube-proxy syncs at most
// once per max(minSyncPeriod, one sync's duration).
struct SyncTiming {
  int64_t min_sync_period_ns = 0;
  int64_t full_resync_period_ns = 0;
  double churn_sync_interval_ns = 0;
};

SyncTiming sync_timing(const core::KubeProxySpec& spec, const kp::SyncEstimate& se) {
  SyncTiming t;
  t.min_sync_period_ns = spec.min_sync_period_ns;
  t.full_resync_period_ns = kp::full_sync_period_ns(spec);
  t.churn_sync_interval_ns = std::max<double>(static_cast<double>(spec.min_sync_period_ns),
                                              se.partial_sync_ns);
  return t;
}

void print_node_table(const kp::NodeRules& r, const kp::SyncEstimate& se, const SyncTiming& st,
                      bool all) {
  fmt::print("NODE {}  (kube-proxy mode {})\n", r.node, core::kube_proxy_mode_name(r.mode));
  if (!r.tables.empty()) {
    fmt::print("  {:<34} {:>9} {:>9}\n", "TABLE / CHAIN", "CHAINS", "RULES");
    for (const auto& [name, t] : r.tables) {
      fmt::print("  {:<34} {:>9} {:>9}\n", name, t.chains, t.rules);
      auto sizes = chain_family_sizes(t);
      for (const auto& [chain, n] : chain_rows(t, all)) {
        std::string label = chain;
        size_t chains = sizes.count(chain) ? sizes[chain] : 1;
        fmt::print("    {:<32} {:>9} {:>9}\n", label, chains, n);
      }
    }
  }
  if (r.has_ipvs) {
    fmt::print("  IPVS virtual servers {}, real servers {}\n", r.virtual_servers, r.real_servers);
  }
  if (r.proxy_sockets) fmt::print("  userspace proxy sockets {}\n", r.proxy_sockets);
  if (!r.sets.empty()) {
    fmt::print("  {:<34} {:>9}\n", "SET / MAP", "ENTRIES");
    for (const auto& [name, n] : r.sets) fmt::print("    {:<32} {:>9}\n", name, n);
  }
  fmt::print("  sync: full {} ({} objects), one service changed {} ({} objects)\n",
             human_ns(se.full_sync_ns), se.objects_full, human_ns(se.partial_sync_ns),
             se.objects_partial);
  fmt::print("  timing: minSyncPeriod {} (burst 2), full resync every {}; under churn one sync "
             "every {}\n\n",
             human_ns(static_cast<double>(st.min_sync_period_ns)),
             human_ns(static_cast<double>(st.full_resync_period_ns)),
             human_ns(st.churn_sync_interval_ns));
}

// Times in JSON are whole nanoseconds (integers), as every other *_ns field.
int64_t whole_ns(double ns) { return std::llround(ns); }

nlohmann::json node_json(const kp::NodeRules& r, const kp::SyncEstimate& se, const SyncTiming& st,
                         bool all) {
  nlohmann::json j;
  j["node"] = r.node;
  if (!r.tables.empty()) {
    nlohmann::json tables = nlohmann::json::object();
    for (const auto& [name, t] : r.tables) {
      nlohmann::json tj;
      tj["chains"] = t.chains;
      tj["rules"] = t.rules;
      tj["by_chain"] = chain_rows(t, all);
      tables[name] = tj;
    }
    j["tables"] = tables;
  }
  if (r.has_ipvs) {
    j["ipvs"] = {{"virtual_servers", r.virtual_servers}, {"real_servers", r.real_servers}};
  }
  if (!r.sets.empty()) j["sets"] = r.sets;
  if (r.proxy_sockets) j["proxy_sockets"] = r.proxy_sockets;
  j["sync"] = {{"full_ns", whole_ns(se.full_sync_ns)},
               {"partial_ns", whole_ns(se.partial_sync_ns)},
               {"objects_full", se.objects_full},
               {"objects_partial", se.objects_partial},
               {"min_sync_period_ns", st.min_sync_period_ns},
               {"full_resync_period_ns", st.full_resync_period_ns},
               {"churn_sync_interval_ns", whole_ns(st.churn_sync_interval_ns)}};
  return j;
}

std::vector<int> parse_counts(const std::string& s) {
  std::vector<int> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) out.push_back(std::stoi(item));
  }
  return out;
}

int run_scaling(const Loaded& l, const RulesOptions& o) {
  core::Profile profile = models::profile_for(l.scenario);
  std::vector<int> counts;
  try {
    counts = o.services.empty() ? kp::default_service_counts(l.scenario) : parse_counts(o.services);
  } catch (const std::exception&) {
    fmt::print(stderr, "error: --services expects a comma-separated list of numbers\n");
    return 2;
  }
  std::vector<core::KubeProxyMode> modes = {core::KubeProxyMode::Iptables,
                                            core::KubeProxyMode::Ipvs,
                                            core::KubeProxyMode::Nftables};
  if (!o.mode.empty()) modes = {*core::parse_kube_proxy_mode(o.mode)};
  std::vector<kp::ScalingRow> rows;
  try {
    rows = kp::scaling_table(l.scenario, counts, modes, profile);
  } catch (const core::ScenarioError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  }
  if (o.output == "json") {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& r : rows) {
      j.push_back({{"services", r.services},
                   {"mode", core::kube_proxy_mode_name(r.mode)},
                   {"rules", r.rules},
                   {"entries", r.entries},
                   {"first_packet_rules_p50", r.first_rules_p50},
                   {"first_packet_rules_p99", r.first_rules_p99},
                   {"first_packet_ns_p01", whole_ns(r.first_ns_p01)},
                   {"first_packet_ns_p50", whole_ns(r.first_ns_p50)},
                   {"first_packet_ns_p99", whole_ns(r.first_ns_p99)},
                   {"established_ns", whole_ns(r.established_ns)},
                   {"full_sync_ns", whole_ns(r.full_sync_ns)},
                   {"one_service_sync_ns", whole_ns(r.partial_sync_ns)}});
    }
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  fmt::print("kube-proxy scaling on node {} (profile {}; first packet averaged over each "
             "service's endpoints, percentiles over service positions)\n\n",
             l.cluster.nodes.empty() ? "-" : l.cluster.nodes[0].name, profile.name());
  fmt::print("{:>8} {:<9} {:>9} {:>9} {:>10} {:>10} {:>10} {:>10} {:>10} {:>11} {:>11}\n",
             "SERVICES", "MODE", "RULES", "ENTRIES", "RULES p50", "1st p01", "1st p50",
             "1st p99", "ESTAB", "FULL SYNC", "1-SVC SYNC");
  for (const auto& r : rows) {
    fmt::print("{:>8} {:<9} {:>9} {:>9} {:>10} {:>10} {:>10} {:>10} {:>10} {:>11} {:>11}\n",
               r.services, core::kube_proxy_mode_name(r.mode), r.rules, r.entries,
               r.first_rules_p50, human_ns(r.first_ns_p01), human_ns(r.first_ns_p50),
               human_ns(r.first_ns_p99), human_ns(r.established_ns), human_ns(r.full_sync_ns),
               human_ns(r.partial_sync_ns));
  }
  return 0;
}

int run_rules(const RulesOptions& o) {
  auto loaded = load_or_report(o.file, o.output == "json" || !o.dump.empty());
  if (!loaded) return 2;
  core::Cluster& c = loaded->cluster;
  if (!o.mode.empty()) {
    auto m = core::parse_kube_proxy_mode(o.mode);
    if (!m) {
      fmt::print(stderr, "error: --mode must be one of userspace, iptables, ipvs, nftables, ebpf\n");
      return 2;
    }
    c.kube_proxy.mode = *m;
  }
  if (o.scaling) return run_scaling(*loaded, o);
  std::vector<core::NodeId> nodes;
  if (!o.node.empty()) {
    auto id = c.find_node(o.node);
    if (!id) {
      fmt::print(stderr, "error: no node named \"{}\" in {}\n", o.node, o.file);
      return 2;
    }
    nodes.push_back(*id);
  } else {
    for (core::NodeId i = 0; i < c.nodes.size(); ++i) nodes.push_back(i);
  }
  if (nodes.empty()) {
    fmt::print(stderr, "error: the cluster has no nodes\n");
    return 2;
  }
  kp::ProxyOptions opt = kp::ProxyOptions::for_cluster(c);
  if (!o.dump.empty()) {
    auto kind = kp::parse_dump_kind(o.dump);
    if (!kind) {
      fmt::print(stderr,
                 "error: --dump must be one of iptables, nft, ipvs, ipvsadm, ipset, ebpf, "
                 "userspace\n");
      return 2;
    }
    std::cout << kp::dump_node(c, nodes[0], *kind, opt);
    return 0;
  }
  core::Profile profile = models::profile_for(loaded->scenario);
  nlohmann::json out;
  out["mode"] = core::kube_proxy_mode_name(c.kube_proxy.mode);
  out["nodes"] = nlohmann::json::array();
  for (core::NodeId n : nodes) {
    kp::SyncEstimate se;
    kp::NodeRules r = kp::summarize_node(c, n, c.kube_proxy.mode, opt, &profile, &se);
    SyncTiming st = sync_timing(c.kube_proxy, se);
    if (o.output == "json") {
      out["nodes"].push_back(node_json(r, se, st, o.all_chains));
    } else {
      print_node_table(r, se, st, o.all_chains);
    }
  }
  if (o.output == "json") std::cout << out.dump(2) << "\n";
  return 0;
}

}  // namespace

void add_rules_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<RulesOptions>();
  auto* cmd = app.add_subcommand(
      "rules", "What kube-proxy programs on each node: chains, rules, sets, sync time");
  cmd->add_option("file", o->file, "Scenario or manifest file")->required();
  cmd->add_option("--mode", o->mode, "Override kubeProxy.mode")
      ->check(CLI::IsMember({"userspace", "iptables", "ipvs", "nftables", "ebpf"}));
  cmd->add_option("--node", o->node, "Only this node (default: every node)");
  cmd->add_option("-o,--output", o->output, "table or json")->check(CLI::IsMember({"table", "json"}));
  cmd->add_option("--dump", o->dump,
                  "Print what the real tool loads: iptables (iptables-restore), nft (nft -f), "
                  "ipvs (ipset + ipvsadm + kube-ipvs0 + iptables), ipvsadm, ipset, ebpf, "
                  "userspace; for --node or the first node");
  cmd->add_flag("--scaling", o->scaling,
                "Compare modes over a range of service counts (resizes generate: services)");
  cmd->add_option("--services", o->services, "Service counts for --scaling, e.g. 100,1000,10000");
  cmd->add_flag("--all-chains", o->all_chains, "List every chain even when there are many");
  cmd->callback([o, &exit_code] { exit_code = run_rules(*o); });
}

}  // namespace knetsim::cli
