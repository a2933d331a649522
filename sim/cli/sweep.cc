// knetsim sweep FILE --set key=v1,v2 [--set ...] [--jobs N] [--out DIR]: runs the scenario once
// per combination of the values (a grid), each run a separate `knetsim run` process (SimGrid
// allows one engine per process; processes also use every core), then merges every run's
// summary into DIR/sweep.csv (one row per run and traffic class) and prints it.
#include <fmt/core.h>
#include <sys/wait.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "sim/cli/commands.h"
#include "sim/cli/load.h"
#include "sim/core/run_folder.h"

namespace knetsim::cli {

namespace {

struct Axis {
  std::string key;  // dotted path in the Scenario document: cni.mode, kubeProxy.mode, ...
  std::vector<std::string> values;
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  return out;
}

// Sets `path` (dots; numbers index sequences) in `doc` to the scalar `value`.
void set_path(YAML::Node doc, const std::string& path, const std::string& value) {
  std::vector<std::string> parts = split(path, '.');
  std::vector<YAML::Node> chain{doc};
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    const std::string& p = parts[i];
    bool index = !p.empty() && std::all_of(p.begin(), p.end(), ::isdigit);
    chain.push_back(index ? chain.back()[std::stoul(p)] : chain.back()[p]);
  }
  chain.back()[parts.back()] = YAML::Load(value);
}

}  // namespace

void add_sweep_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("sweep", "Run a scenario over a parameter grid; one merged CSV");
  struct Opts {
    std::string file;
    std::vector<std::string> sets;
    int jobs = 0;
    std::string out;
    std::optional<uint64_t> seed;
  };
  auto opts = std::make_shared<Opts>();
  cmd->add_option("file", opts->file, "Scenario file")->required();
  cmd->add_option("--set", opts->sets, "KEY=V1,V2,... (dotted path in the Scenario, e.g. cni.mode)")
      ->required();
  cmd->add_option("-j,--jobs", opts->jobs, "Parallel runs (default: the number of cores)");
  cmd->add_option("--out", opts->out, "Results folder (default: results/sweep-<scenario>)");
  cmd->add_option("--seed", opts->seed, "Seed for every run");
  cmd->callback([opts, &exit_code] {
    auto loaded = load_or_report(opts->file, true);
    if (!loaded) {
      exit_code = 2;
      return;
    }
    std::vector<Axis> axes;
    for (const std::string& s : opts->sets) {
      auto eq = s.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == s.size()) {
        fmt::print(stderr, "error: --set {}: expected KEY=V1,V2,...\n", s);
        exit_code = 2;
        return;
      }
      axes.push_back({s.substr(0, eq), split(s.substr(eq + 1), ',')});
    }
    std::vector<YAML::Node> docs = YAML::LoadAllFromFile(opts->file);
    std::string out = opts->out.empty() ? "results/sweep-" + loaded->scenario.name : opts->out;
    std::optional<core::RunFolderWriter> folder_writer;
    try {
      folder_writer.emplace(out);
    } catch (const std::exception& e) {
      fmt::print(stderr, "error: {}\n", e.what());
      exit_code = 3;
      return;
    }
    std::filesystem::path src(opts->file);
    std::string folder = src.parent_path().string();
    if (folder.empty()) folder = ".";

    // The grid, first axis slowest.
    std::vector<std::vector<std::string>> combos{{}};
    for (const Axis& a : axes) {
      std::vector<std::vector<std::string>> next;
      for (const auto& c : combos) {
        for (const auto& v : a.values) {
          auto n = c;
          n.push_back(v);
          next.push_back(n);
        }
      }
      combos = next;
    }
    std::vector<std::string> files;
    for (size_t i = 0; i < combos.size(); ++i) {
      std::vector<YAML::Node> copy;
      for (const auto& d : docs) copy.push_back(YAML::Clone(d));
      for (size_t k = 0; k < axes.size(); ++k) set_path(copy[0], axes[k].key, combos[i][k]);
      YAML::Emitter em;
      for (const auto& d : copy) em << YAML::BeginDoc << d;
      // Next to the original, so relative manifest paths still resolve.
      std::string f = fmt::format("{}/.knetsim-sweep-{}-{}.yaml", folder, getpid(), i);
      std::ofstream(f) << em.c_str() << "\n";
      files.push_back(f);
    }
    int jobs = opts->jobs > 0 ? opts->jobs : std::max(1, static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN)));
    size_t next = 0, running = 0;
    std::vector<int> status(combos.size(), -1);
    std::map<pid_t, size_t> pids;
    while (next < combos.size() || running > 0) {
      while (running < static_cast<size_t>(jobs) && next < combos.size()) {
        std::string run_dir = fmt::format("{}/run-{}", out, next);
        std::vector<std::string> args{"knetsim", "run", files[next], "--out", run_dir, "-q"};
        if (opts->seed) {
          args.push_back("--seed");
          args.push_back(std::to_string(*opts->seed));
        }
        pid_t pid = fork();
        if (pid == 0) {
          std::vector<char*> argv;
          for (auto& a : args) argv.push_back(a.data());
          argv.push_back(nullptr);
          execv("/proc/self/exe", argv.data());
          _exit(127);
        }
        pids[pid] = next++;
        ++running;
      }
      int st = 0;
      pid_t done = wait(&st);
      if (done <= 0) break;
      status[pids[done]] = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
      --running;
    }
    for (const auto& f : files) std::filesystem::remove(f);

    std::string csv = "run";
    for (const Axis& a : axes) csv += "," + a.key;
    csv += ",traffic,ok,throughput_per_s,p50_ms,p90_ms,p99_ms,p999_ms,max_ms,new_conn_p50_ms,"
           "errors,network_cpu_cores,application_cpu_cores,kube_proxy_rules,sync_mean_ms,sync_max_ms\n";
    for (size_t i = 0; i < combos.size(); ++i) {
      if (status[i] != 0) {
        fmt::print(stderr, "warning: run {} failed (exit {})\n", i, status[i]);
        exit_code = 1;
        continue;
      }
      std::string run_dir = fmt::format("{}/run-{}", out, i);
      auto check = core::check_run_folder(run_dir);
      if (!check.complete()) {  // not merged: its numbers would pass for a whole run's
        fmt::print(stderr, "warning: run {} not merged: {}\n", i, check.message(run_dir));
        if (exit_code == 0) exit_code = core::kExitIncompleteResults;
        continue;
      }
      std::ifstream in(run_dir + "/summary.json");
      nlohmann::json j = nlohmann::json::parse(in);
      double net = 0, app = 0;
      for (const auto& n : j["nodes"]) {
        net += n["networkCpuCores"].get<double>();
        app += n["applicationCpuCores"].get<double>();
      }
      for (const auto& t : j["traffic"]) {
        uint64_t errors = 0;
        for (const auto& [k, v] : t["errors"].items()) errors += v.get<uint64_t>();
        std::string row = std::to_string(i);
        for (const auto& v : combos[i]) row += "," + v;
        const auto& l = t["latency"];
        row += fmt::format(",{},{},{:.3f},{:.4f},{:.4f},{:.4f},{:.4f},{:.4f},{:.4f},{},{:.4f},{:.4f},{},{:.3f},{:.3f}\n",
                           t["name"].get<std::string>(), t["ok"].get<uint64_t>(),
                           t["throughputPerSecond"].get<double>(), l["p50Ms"].get<double>(),
                           l["p90Ms"].get<double>(), l["p99Ms"].get<double>(), l["p999Ms"].get<double>(),
                           l["maxMs"].get<double>(), t["newConnectionLatency"]["p50Ms"].get<double>(),
                           errors, net, app, j["kubeProxy"]["rulesPerNode"].get<uint64_t>(),
                           j["kubeProxy"]["syncMeanMs"].get<double>(), j["kubeProxy"]["syncMaxMs"].get<double>());
        csv += row;
      }
    }
    try {
      folder_writer->write("sweep.csv", csv);
      folder_writer->finish();
    } catch (const std::exception& e) {
      fmt::print(stderr, "error: {}\n", e.what());
      exit_code = 3;
      return;
    }
    std::cout << csv;
    fmt::print(stderr, "{} runs; merged table in {}/sweep.csv\n", combos.size(), out);
  });
}

}  // namespace knetsim::cli
