// knetsim describe FILE [-o table|json|yaml]: the resolved cluster. describe DIR of a results
// folder says whether the run finished (exit 4 when not) and lists its files.
#include <fmt/core.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "sim/cli/commands.h"
#include "sim/cli/load.h"
#include "sim/core/cluster_json.h"
#include "sim/core/run_folder.h"

namespace knetsim::cli {

namespace {

void print_table(const core::Cluster& c) {
  fmt::print("Cluster {}: {} nodes, {} pods, {} services  (CNI {} {}, kube-proxy {})\n\n", c.name,
             c.nodes.size(), c.pods.size(), c.services.size(), core::cni_plugin_name(c.cni.plugin),
             c.cni.mode, core::kube_proxy_mode_name(c.kube_proxy.mode));
  fmt::print("NODES\n{:<20} {:<16} {:<18} {:<8} {:>5} {:>6}\n", "NAME", "IP", "POD CIDR", "ZONE",
             "CPU", "PODS");
  std::vector<size_t> per_node(c.nodes.size(), 0);
  for (const auto& p : c.pods) {
    if (p.node != core::kNoNode) ++per_node[p.node];
  }
  for (size_t i = 0; i < c.nodes.size(); ++i) {
    const auto& n = c.nodes[i];
    fmt::print("{:<20} {:<16} {:<18} {:<8} {:>5} {:>6}\n", n.name, n.ip.str(), n.pod_cidr.str(),
               n.zone.empty() ? "-" : n.zone, n.cpu_cores, per_node[i]);
  }
  fmt::print("\nPODS\n{:<14} {:<40} {:<16} {:<16} {}\n", "NAMESPACE", "NAME", "NODE", "IP",
             "STATUS");
  for (const auto& p : c.pods) {
    std::string status = p.phase + (p.ready ? "" : " (not ready)") + (p.spec.host_network ? " hostNetwork" : "");
    fmt::print("{:<14} {:<40} {:<16} {:<16} {}\n", p.ns, p.name,
               p.node == core::kNoNode ? "<none>" : c.nodes[p.node].name,
               p.ip.value ? p.ip.str() : "<none>", status);
  }
  fmt::print("\nSERVICES\n{:<14} {:<24} {:<13} {:<16} {}\n", "NAMESPACE", "NAME", "TYPE",
             "CLUSTER-IP", "PORTS -> ENDPOINTS");
  for (core::ServiceId id = 0; id < c.services.size(); ++id) {
    const auto& s = c.services[id];
    std::string ip = s.headless ? "None" : s.cluster_ip ? s.cluster_ip->str() : "-";
    fmt::print("{:<14} {:<24} {:<13} {:<16}", s.ns, s.name, core::service_type_name(s.type), ip);
    if (s.ports.empty()) fmt::print(" (no ports)");
    if (!s.load_balancer_ingress.empty()) {
      std::string lbs;
      for (auto lb : s.load_balancer_ingress) lbs += (lbs.empty() ? "" : ",") + lb.str();
      fmt::print(" LB {}", lbs);
    }
    fmt::print("\n");
    for (const auto& p : s.ports) {
      std::string np = p.node_port ? fmt::format(":{}", p.node_port) : "";
      std::string eps;
      size_t shown = 0;
      auto backends = c.backends_of(id, p);
      for (const auto& b : backends) {
        if (shown++ == 8) {
          eps += fmt::format(" ... ({} in all)", backends.size());
          break;
        }
        eps += fmt::format(" {}:{}{}", b.ip.str(), b.port, b.endpoint->ready ? "" : "(not ready)");
      }
      if (backends.empty()) eps = " <none>";
      fmt::print("    {}/{}{} ->{}\n", p.port, core::protocol_name(p.protocol), np, eps);
    }
  }
  if (!c.network_policies.empty()) {
    fmt::print("\nNETWORK POLICIES\n");
    for (const auto& p : c.network_policies) {
      fmt::print("{:<14} {:<30} podSelector {} ({}{})\n", p.ns, p.name, p.pod_selector.str(),
                 p.affects_ingress ? "Ingress" : "", p.affects_egress ? (p.affects_ingress ? ",Egress" : "Egress") : "");
    }
  }
  if (!c.cluster_network_policies.empty()) {
    fmt::print("\nCLUSTER NETWORK POLICIES\n");
    for (const auto& p : c.cluster_network_policies) {
      fmt::print("{:<45} {:<8} priority {:<4} subject {} ({} ingress, {} egress rules)\n", p.key(),
                 core::policy_tier_name(p.tier), p.priority, p.subject.str(), p.ingress.size(),
                 p.egress.size());
    }
  }
  if (!c.ingresses.empty()) {
    fmt::print("\nINGRESSES\n");
    for (const auto& i : c.ingresses) {
      for (const auto& r : i.rules) {
        for (const auto& p : r.paths) {
          fmt::print("{:<14} {:<20} {}{} ({}) -> {}:{}\n", i.ns, i.name, r.host.empty() ? "*" : r.host,
                     p.path, core::path_type_name(p.type), p.backend.service_name, p.backend.port.str());
        }
      }
    }
  }
}

// `describe DIR` of a `knetsim run` results folder: whether it is complete, what it holds.
int describe_run_folder(const std::string& dir) {
  auto check = core::check_run_folder(dir);
  if (!check.complete()) {
    fmt::print(stderr, "error: {}\n", check.message(dir));
    return check.state == core::RunFolderState::NotAFolder ? 2 : core::kExitIncompleteResults;
  }
  std::ifstream in(dir + "/summary.json");
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_object()) {
    fmt::print("Results of scenario {} (seed {}, {} s simulated): complete\n",
               j.value("scenario", std::string("?")), j.value("seed", uint64_t{0}),
               j.value("durationSeconds", 0.0));
  } else {
    fmt::print("Results folder {}: complete\n", dir);
  }
  fmt::print("{:<20} {:>12}\n", "FILE", "BYTES");
  for (const auto& [name, bytes] : core::manifest_files(dir)) {
    fmt::print("{:<20} {:>12}\n", name, bytes);
  }
  return 0;
}

}  // namespace

void add_describe_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("describe", "Print the resolved cluster: nodes, pods, services, endpoints");
  struct Opts {
    std::string file;
    std::string output = "table";
  };
  auto opts = std::make_shared<Opts>();
  cmd->add_option("file", opts->file,
                  "Scenario or Kubernetes manifest file, or a `knetsim run` results folder")
      ->required();
  cmd->add_option("-o,--output", opts->output, "Output format")
      ->check(CLI::IsMember({"table", "json", "yaml"}));
  cmd->callback([opts, &exit_code] {
    if (std::filesystem::is_directory(opts->file)) {
      exit_code = describe_run_folder(opts->file);
      return;
    }
    auto loaded = load_or_report(opts->file, opts->output != "table");
    if (!loaded) {
      exit_code = 2;
      return;
    }
    if (opts->output == "table") {
      print_table(loaded->cluster);
    } else {
      auto j = core::cluster_to_json(loaded->cluster, loaded->diags);
      if (opts->output == "json") std::cout << j.dump(2) << "\n";
      else std::cout << core::json_to_yaml(j);
    }
  });
}

}  // namespace knetsim::cli
