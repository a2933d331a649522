// knetsim reach FILE [-o table|json|csv|md|dot] [--port 80/TCP]... [--from SEL] [--to SEL]
//                    [--self allow|evaluate]
// knetsim reach FILE --explain SRC DST PORT/PROTO [--nodeport [--entry-node NODE]]
// knetsim reach --diff A B [-o table|json]
// Policy reachability: who can reach whom, on which port, and why (docs/CLI.md, "reach").
#include <fmt/core.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "sim/cli/commands.h"
#include "sim/cli/load.h"
#include "sim/models/policy/pod_query.h"
#include "sim/models/policy/policy_engine.h"
#include "sim/models/policy/reach_diff.h"
#include "sim/models/policy/reach_output.h"
#include "sim/models/policy/reachability.h"
#include "sim/models/policy/service_reach.h"

namespace knetsim::cli {

namespace {

namespace pol = models::policy;
using Json = nlohmann::ordered_json;

struct Opts {
  std::string file;
  std::string output = "table";
  std::vector<std::string> ports;
  std::string from = "*";
  std::string to = "*";
  std::string self = "allow";
  std::vector<std::string> explain;
  std::vector<std::string> diff;
  bool nodeport = false;
  std::string entry_node;
};

Json decision_json(const pol::Decision& d) {
  return Json{{"allowed", d.allowed}, {"decidedBy", d.decided_by}, {"trace", d.trace}};
}

void print_decision(const char* title, const std::string& who, const pol::Decision& d) {
  fmt::print("  {} of {}: {}\n", title, who, d.allowed ? "allowed" : "DENIED");
  for (const auto& step : d.trace) fmt::print("    - {}\n", step);
  fmt::print("    => {}\n", d.decided_by);
}

const char* word(bool allowed) { return allowed ? "ALLOWED" : "DENIED"; }

// "ns/name", or any --from selector (the first matching pod, said so on stderr).
std::optional<core::PodId> find_one_pod(const core::Cluster& c, const std::string& text) {
  if (auto id = c.find_pod(text)) return id;
  if (c.find_service(text) || core::Ipv4::parse(text)) return std::nullopt;
  std::string error;
  auto pods = pol::select_pods(c, text, error);
  if (!pods) return std::nullopt;
  if (pods->size() > 1) {
    fmt::print(stderr, "note: \"{}\" matches {} pods; explaining the first, {}\n", text,
               pods->size(), c.pods[pods->front()].key());
  }
  return pods->front();
}

int run_explain(const Opts& o, const Loaded& in) {
  const core::Cluster& c = in.cluster;
  auto port = pol::parse_port_proto(o.explain[2]);
  if (!port) {
    fmt::print(stderr, "error: --explain: \"{}\" is not PORT/PROTO (e.g. 80/TCP)\n", o.explain[2]);
    return 2;
  }
  pol::PolicyEngine engine(c, pol::PolicyEngine::Options{o.self == "evaluate"});
  std::optional<core::PodId> src_pod = find_one_pod(c, o.explain[0]);
  std::optional<core::Ipv4> src_ip = src_pod ? std::nullopt : core::Ipv4::parse(o.explain[0]);
  if (!src_pod && !src_ip) {
    fmt::print(stderr, "error: --explain: source \"{}\" is neither a pod (ns/name) nor an IPv4 address\n",
               o.explain[0]);
    return 2;
  }
  const std::string& warning = engine.enforcement().warning;  // printed in every output below
  std::optional<core::PodId> dst_pod = find_one_pod(c, o.explain[1]);
  if (dst_pod) {
    pol::Explanation ex = src_pod ? engine.explain(*src_pod, *dst_pod, port->port, port->protocol)
                                  : engine.explain_from_ip(*src_ip, *dst_pod, port->port, port->protocol);
    if (o.output == "json") {
      Json j{{"src", ex.src.str()}, {"dst", ex.dst.str()}, {"port", port->port},
             {"protocol", core::protocol_name(port->protocol)}, {"allowed", ex.verdict.allowed},
             {"allowedAsWritten", ex.verdict.allowed_as_written}, {"reason", ex.verdict.reason},
             {"egress", decision_json(ex.egress)}, {"ingress", decision_json(ex.ingress)}};
      if (!warning.empty()) j["warning"] = warning;
      std::cout << j.dump(2) << "\n";
      return 0;
    }
    fmt::print("{} -> {} on {}: {} (as written: {})\n", ex.src.str(), ex.dst.str(), port->key(),
               word(ex.verdict.allowed), word(ex.verdict.allowed_as_written));
    if (!warning.empty()) fmt::print("  {}\n", warning);
    if (ex.self && o.self != "evaluate") {
      fmt::print("  {}\n", ex.verdict.reason);
      return 0;
    }
    print_decision("egress", ex.src.str(), ex.egress);
    print_decision("ingress", ex.dst.str(), ex.ingress);
    return 0;
  }
  // A Service: judged on every ready backend after DNAT (service_reach.h).
  auto svc = c.find_service(o.explain[1]);
  if (!svc) {
    fmt::print(stderr, "error: --explain: destination \"{}\" is neither a pod nor a service (ns/name)\n",
               o.explain[1]);
    return 2;
  }
  const core::Service& s = c.services[*svc];
  const core::ServicePort* sp = nullptr;
  for (const auto& p : s.ports) {
    bool match = p.port == port->port || (o.nodeport && p.node_port == port->port);
    if (match && p.protocol == port->protocol) sp = &p;
  }
  if (!sp) {
    fmt::print(stderr, "error: --explain: service {} has no {} {}\n", s.key(),
               o.nodeport ? "nodePort" : "port", port->key());
    return 2;
  }
  core::NodeId entry = 0;
  if (!o.entry_node.empty()) {
    auto n = c.find_node(o.entry_node);
    if (!n) {
      fmt::print(stderr, "error: --entry-node: no node \"{}\"\n", o.entry_node);
      return 2;
    }
    entry = *n;
  }
  auto verdicts = pol::check_service(engine, src_pod, src_ip.value_or(core::Ipv4{}), *svc, *sp,
                                     o.nodeport ? pol::ServiceEntry::NodePort : pol::ServiceEntry::ClusterIp,
                                     entry);
  Json arr = Json::array();
  if (o.output != "json") {
    if (!warning.empty()) fmt::print("{}\n", warning);
    fmt::print("{} -> service {} {} ({}): {} ready backend(s), judged after DNAT\n", o.explain[0],
               s.key(), port->key(), o.nodeport ? "NodePort on " + c.nodes[entry].name : "ClusterIP",
               verdicts.size());
  }
  for (const auto& v : verdicts) {
    std::string target = c.pods[v.backend].key() + ":" + std::to_string(v.target_port);
    if (o.output == "json") {
      arr.push_back({{"backend", c.pods[v.backend].key()}, {"targetPort", v.target_port},
                     {"seenSource", v.seen_source.str()}, {"masqueraded", v.masqueraded},
                     {"masqueradeReason", v.masquerade_reason}, {"allowed", v.verdict.allowed},
                     {"allowedAsWritten", v.verdict.allowed_as_written}, {"reason", v.verdict.reason}});
    } else {
      fmt::print("  {:<40} source seen {:<15} {} (as written: {})\n    {}\n", target,
                 v.seen_source.str(), word(v.verdict.allowed), word(v.verdict.allowed_as_written),
                 v.verdict.reason);
    }
  }
  if (o.output == "json") {
    Json j{{"service", s.key()}, {"backends", arr}};
    if (!warning.empty()) j["warning"] = warning;
    std::cout << j.dump(2) << "\n";
  }
  return 0;
}

int run_diff(const Opts& o) {
  auto a = load_or_report(o.diff[0], o.output == "json");
  if (!a) return 2;
  auto b = load_or_report(o.diff[1], o.output == "json");
  if (!b) return 2;
  pol::ReachDiff d = pol::diff_reachability(a->cluster, b->cluster, o.self == "evaluate");
  std::cout << (o.output == "json" ? pol::render_diff_json(d) : pol::render_diff_text(d));
  return 0;
}

int run_matrix(const Opts& o, const Loaded& in) {
  const core::Cluster& c = in.cluster;
  pol::ReachOptions ro;
  ro.evaluate_self = o.self == "evaluate";
  std::string error;
  auto from = pol::select_pods(c, o.from, error);
  if (!from) {
    fmt::print(stderr, "error: --from: {}\n", error);
    return 2;
  }
  auto to = pol::select_pods(c, o.to, error);
  if (!to) {
    fmt::print(stderr, "error: --to: {}\n", error);
    return 2;
  }
  ro.from = *from;
  ro.to = *to;
  if (!o.ports.empty()) {
    std::vector<pol::PortProto> ports;
    for (const auto& p : o.ports) {
      auto pp = pol::parse_port_proto(p);
      if (!pp) {
        fmt::print(stderr, "error: --port: \"{}\" is not PORT/PROTO (e.g. 80/TCP)\n", p);
        return 2;
      }
      ports.push_back(*pp);
    }
    ro.ports = ports;
  }
  pol::Reachability r = pol::Reachability::compute(c, ro);
  // Every format but CSV carries the warning itself; CSV rows cannot, so it goes to stderr.
  if (!r.enforcement().warning.empty() && o.output == "csv") {
    fmt::print(stderr, "{}\n", r.enforcement().warning);
  }
  if (r.ports().empty()) {
    fmt::print(stderr, "warning: no container ports declared; pass --port PORT/PROTO\n");
  }
  if (o.output == "json") std::cout << pol::render_json(c, r);
  else if (o.output == "csv") std::cout << pol::render_csv(c, r);
  else if (o.output == "md") std::cout << pol::render_markdown(c, r);
  else if (o.output == "dot") std::cout << pol::render_dot(c, r);
  else std::cout << pol::render_table(c, r);
  return 0;
}

}  // namespace

void add_reach_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "reach", "Policy reachability: who can reach whom, on which port, and why");
  auto o = std::make_shared<Opts>();
  cmd->add_option("file", o->file, "Scenario or Kubernetes manifest file");
  cmd->add_option("-o,--output", o->output, "Output format (table, json, csv, md, dot)")
      ->check(CLI::IsMember({"table", "json", "csv", "md", "dot"}));
  cmd->add_option("--port", o->ports, "PORT/PROTO to evaluate (repeatable); default: every declared container port");
  cmd->add_option("--from", o->from, "Sources: ns/name, ns/*, ns/k=v,..., k=v,... or * (default)");
  cmd->add_option("--to", o->to, "Destinations, same forms as --from");
  cmd->add_option("--self", o->self, "Self traffic: allow (default, the e2e convention) or evaluate")
      ->check(CLI::IsMember({"allow", "evaluate"}));
  cmd->add_option("--explain", o->explain, "SRC DST PORT/PROTO: the verdict and the rules that decided it")
      ->expected(3);
  cmd->add_flag("--nodeport", o->nodeport, "With --explain and a service DST: enter through its NodePort");
  cmd->add_option("--entry-node", o->entry_node, "With --nodeport: the node receiving the connection");
  cmd->add_option("--diff", o->diff, "A B: connections gained and lost from policy set A to B")->expected(2);
  cmd->callback([o, &exit_code] {
    if (!o->diff.empty()) {
      exit_code = run_diff(*o);
      return;
    }
    if (o->file.empty()) {
      fmt::print(stderr, "error: reach needs FILE (or --diff A B)\n");
      exit_code = 2;
      return;
    }
    auto loaded = load_or_report(o->file, o->output != "table");
    if (!loaded) {
      exit_code = 2;
      return;
    }
    exit_code = o->explain.empty() ? run_matrix(*o, *loaded) : run_explain(*o, *loaded);
  });
}

}  // namespace knetsim::cli
