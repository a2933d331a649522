// Result files and the summary table (see results.h).
#include "sim/engine/results.h"


#include <fmt/core.h>

namespace knetsim::sim {

namespace {

double ms(int64_t ns) { return static_cast<double>(ns) / 1e6; }
// Fixed formatting keeps files byte-identical across runs.
std::string f3(double v) { return fmt::format("{:.3f}", v); }
std::string f6(double v) { return fmt::format("{:.6f}", v); }

nlohmann::ordered_json num(double v) { return nlohmann::ordered_json::parse(f6(v)); }

double measured_seconds(const SimulationResult& r) {
  return std::max(1e-9, static_cast<double>(r.duration_ns - r.warmup_ns) / 1e9);
}

}  // namespace

nlohmann::ordered_json summary_json(const SimulationResult& r) {
  nlohmann::ordered_json j;
  j["schema"] = "knetsim.run/v1";
  j["scenario"] = r.scenario;
  j["seed"] = r.seed;
  j["durationSeconds"] = num(r.duration_ns / 1e9);
  j["warmupSeconds"] = num(r.warmup_ns / 1e9);
  j["cni"] = r.cni;
  j["podMTU"] = r.pod_mtu;
  j["kubeProxyMode"] = r.kube_proxy_mode;
  j["services"] = r.services;
  j["pods"] = r.pods;
  j["requestsSimulated"] = r.requests_simulated;
  j["activities"] = r.activities;
  auto& classes = j["traffic"] = nlohmann::ordered_json::array();
  for (const ClassMetrics& m : r.classes) {
    nlohmann::ordered_json c;
    c["name"] = m.name;
    c["requests"] = m.ok + [&] {
      uint64_t e = 0;
      for (const auto& [k, v] : m.errors) e += v;
      return e;
    }();
    c["ok"] = m.ok;
    c["throughputPerSecond"] = num(m.ok / measured_seconds(r));
    auto lat = [](const Histogram& h) {
      nlohmann::ordered_json l;
      l["count"] = h.count();
      l["meanMs"] = num(h.mean() / 1e6);
      l["p50Ms"] = num(ms(h.quantile(0.50)));
      l["p90Ms"] = num(ms(h.quantile(0.90)));
      l["p99Ms"] = num(ms(h.quantile(0.99)));
      l["p999Ms"] = num(ms(h.quantile(0.999)));
      l["maxMs"] = num(ms(h.max()));
      return l;
    };
    c["latency"] = lat(m.latency);
    c["newConnectionLatency"] = lat(m.new_connection);
    c["firstPacketRulesMean"] =
        num(m.first_packets ? static_cast<double>(m.first_packet_rules_sum) / m.first_packets : 0);
    nlohmann::ordered_json errs = nlohmann::ordered_json::object();
    for (const char* cause : {"policy denied", "no endpoints", "stale endpoint", "conntrack full",
                              "MTU black hole", "bad target"}) {
      auto it = m.errors.find(cause);
      errs[cause] = it == m.errors.end() ? 0 : it->second;
    }
    c["errors"] = errs;
    classes.push_back(c);
  }
  auto& nodes = j["nodes"] = nlohmann::ordered_json::array();
  double secs = measured_seconds(r);
  for (size_t i = 0; i < r.nodes.size(); ++i) {
    const NodeMetrics& n = r.nodes[i];
    double net = 0, app = 0;
    size_t from = static_cast<size_t>(r.warmup_ns / 1'000'000'000);
    for (size_t s = from; s < n.network_cpu_ns_per_s.size(); ++s) {
      net += n.network_cpu_ns_per_s[s];
      app += n.app_cpu_ns_per_s[s];
    }
    nlohmann::ordered_json o;
    o["name"] = r.node_names[i];
    o["cores"] = r.node_cores[i];
    o["networkCpuCores"] = num(net / 1e9 / secs);
    o["applicationCpuCores"] = num(app / 1e9 / secs);
    o["conntrackPeak"] = n.conntrack_peak;
    o["conntrackMax"] = n.conntrack_max;
    nodes.push_back(o);
  }
  nlohmann::ordered_json kp;
  int64_t max_sync = 0, sum_sync = 0;
  size_t n_sync = 0, max_rules = 0;
  for (const SyncRecord& s : r.syncs) {
    if (s.reason == "initial") continue;
    max_sync = std::max(max_sync, s.end_ns - s.start_ns);
    sum_sync += s.end_ns - s.start_ns;
    ++n_sync;
  }
  for (const SyncRecord& s : r.syncs) max_rules = std::max(max_rules, s.rules);
  kp["syncs"] = n_sync;
  kp["syncMeanMs"] = num(n_sync ? ms(sum_sync) / n_sync : 0);
  kp["syncMaxMs"] = num(ms(max_sync));
  kp["initialSyncMs"] = num(r.syncs.empty() ? 0 : ms(r.syncs.front().end_ns - r.syncs.front().start_ns));
  kp["rulesPerNode"] = max_rules;
  j["kubeProxy"] = kp;
  auto& evs = j["events"] = nlohmann::ordered_json::array();
  for (const EventRecord& e : r.events) {
    nlohmann::ordered_json o;
    o["atSeconds"] = num(e.at_ns / 1e9);
    o["kind"] = e.kind;
    o["target"] = e.target;
    o["endpointsVisibleAfterSeconds"] =
        e.endpoints_visible_ns < 0 ? nlohmann::ordered_json() : num((e.endpoints_visible_ns - e.at_ns) / 1e9);
    o["rulesConvergedAfterSeconds"] =
        e.converged_ns < 0 ? nlohmann::ordered_json() : num((e.converged_ns - e.at_ns) / 1e9);
    evs.push_back(o);
  }
  j["warnings"] = r.warnings;
  return j;
}

void write_results(const SimulationResult& r, core::RunFolderWriter& out) {
  out.write("summary.json", summary_json(r).dump(2) + "\n");

  std::string ts = "second,traffic,ok,errors,mean_latency_ms\n";
  for (const ClassMetrics& m : r.classes) {
    for (size_t s = 0; s < m.ok_per_s.size(); ++s) {
      double mean = m.ok_per_s[s] ? m.latency_sum_ns_per_s[s] / m.ok_per_s[s] / 1e6 : 0;
      ts += fmt::format("{},{},{},{},{}\n", s, m.name, m.ok_per_s[s], m.errors_per_s[s], f3(mean));
    }
  }
  out.write("timeseries.csv", ts);

  std::string hist = "traffic,kind,low_ms,high_ms,count\n";
  for (const ClassMetrics& m : r.classes) {
    for (auto [kind, h] : {std::pair{"all", &m.latency}, std::pair{"new_connection", &m.new_connection}}) {
      for (const auto& b : h->buckets()) {
        hist += fmt::format("{},{},{},{},{}\n", m.name, kind, f6(ms(b.low)), f6(ms(b.high)), b.count);
      }
    }
  }
  out.write("histogram.csv", hist);

  std::string cpu = "second,node,network_cpu_cores,application_cpu_cores\n";
  for (size_t i = 0; i < r.nodes.size(); ++i) {
    const NodeMetrics& n = r.nodes[i];
    for (size_t s = 0; s < n.network_cpu_ns_per_s.size(); ++s) {
      cpu += fmt::format("{},{},{},{}\n", s, r.node_names[i], f6(n.network_cpu_ns_per_s[s] / 1e9),
                         f6(n.app_cpu_ns_per_s[s] / 1e9));
    }
  }
  out.write("cpu.csv", cpu);

  std::string syncs = "start_s,node,duration_ms,rules,changed_endpoints,reason\n";
  for (const SyncRecord& s : r.syncs) {
    syncs += fmt::format("{},{},{},{},{},{}\n", f6(s.start_ns / 1e9), r.node_names[s.node],
                         f3(ms(s.end_ns - s.start_ns)), s.rules, s.changed_endpoints, s.reason);
  }
  out.write("syncs.csv", syncs);

  std::string ev = "at_s,kind,target,endpoints_visible_after_s,rules_converged_after_s\n";
  for (const EventRecord& e : r.events) {
    ev += fmt::format("{},{},{},{},{}\n", f3(e.at_ns / 1e9), e.kind, e.target,
                      e.endpoints_visible_ns < 0 ? "" : f3((e.endpoints_visible_ns - e.at_ns) / 1e9),
                      e.converged_ns < 0 ? "" : f3((e.converged_ns - e.at_ns) / 1e9));
  }
  out.write("events.csv", ev);
}

std::string summary_table(const SimulationResult& r) {
  std::string s = fmt::format("scenario {}  seed {}  {} s simulated  cni {} (pod MTU {})  kube-proxy {}\n",
                              r.scenario, r.seed, f3(r.duration_ns / 1e9), r.cni, r.pod_mtu,
                              r.kube_proxy_mode);
  s += fmt::format("{:<16} {:>9} {:>10} {:>9} {:>9} {:>9} {:>9} {:>9}  {}\n", "traffic", "ok",
                   "req/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "errors");
  for (const ClassMetrics& m : r.classes) {
    std::string errs;
    for (const auto& [k, v] : m.errors) errs += fmt::format("{}{}: {}", errs.empty() ? "" : ", ", k, v);
    s += fmt::format("{:<16} {:>9} {:>10} {:>9} {:>9} {:>9} {:>9} {:>9}  {}\n", m.name, m.ok,
                     f3(m.ok / measured_seconds(r)), f3(ms(m.latency.quantile(0.5))),
                     f3(ms(m.latency.quantile(0.9))), f3(ms(m.latency.quantile(0.99))),
                     f3(ms(m.latency.quantile(0.999))), f3(ms(m.latency.max())),
                     errs.empty() ? "none" : errs);
  }
  auto j = summary_json(r);
  s += fmt::format("kube-proxy: {} rules/node, {} syncs, mean {} ms, max {} ms\n",
                   j["kubeProxy"]["rulesPerNode"].get<size_t>(), j["kubeProxy"]["syncs"].get<size_t>(),
                   f3(j["kubeProxy"]["syncMeanMs"].get<double>()),
                   f3(j["kubeProxy"]["syncMaxMs"].get<double>()));
  for (const EventRecord& e : r.events) {
    auto after = [&](int64_t t) {
      return t < 0 ? std::string("not within the run") : "+" + f3((t - e.at_ns) / 1e9) + " s";
    };
    s += fmt::format("event {} {} at {} s: endpoints visible {}, rules converged {}\n", e.kind,
                     e.target, f3(e.at_ns / 1e9), after(e.endpoints_visible_ns),
                     after(e.converged_ns));
  }
  for (const auto& w : r.warnings) s += "warning: " + w + "\n";
  return s;
}

}  // namespace knetsim::sim
