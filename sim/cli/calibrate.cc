// knetsim calibrate --kernel [--services 100,1000,...] [--out profile.yaml]
// Measures this machine's kernel with the rules knetsim generates (network namespaces of its own,
// real iptables-restore/nft and real sockets), fits the profile constants the measurements
// determine, writes the profile with the machine recorded, and prints every measurement beside
// the fitted model's prediction. Needs root; says so otherwise.
#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "sim/calib/calibration_error.h"
#include "sim/calib/kernel_calibration.h"
#include "sim/calib/least_squares.h"
#include "sim/calib/profile_fit.h"
#include "sim/cli/commands.h"
#include "sim/core/diagnostics.h"
#include "sim/models/profiles/profiles.h"

namespace knetsim::cli {

namespace {

struct CalibrateOptions {
  bool kernel = false;
  std::string services = "100,1000,5000,10000";
  int fit = 2;
  int endpoints = 1;
  int rounds = 2000;
  double percentile = 10;
  std::string out = "profile.yaml";
  std::string base = "default";
  bool no_nftables = false;
  bool no_vxlan = false;
};

std::string us(double ns) { return fmt::format("{:.2f} us", ns / 1e3); }

std::string human(double ns) {
  if (std::abs(ns) >= 1e9) return fmt::format("{:.2f} s", ns / 1e9);
  if (std::abs(ns) >= 1e6) return fmt::format("{:.1f} ms", ns / 1e6);
  return us(ns);
}

std::string percent(double e) { return fmt::format("{:+.1f}%", e * 100); }

bool parse_services(const std::string& s, std::vector<int>& out) {
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item.empty() || item.find_first_not_of("0123456789") != std::string::npos) return false;
    if (item.size() > 6) return false;
    int n = std::stoi(item);
    if (n < 10 || n > 100000) return false;
    out.push_back(n);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out.size() >= 2;
}

void print_report(const calib::CalibrationRun& run, const calib::CalibrationFit& fit) {
  const calib::MachineInfo& m = run.machine;
  fmt::print("knetsim calibrate --kernel\n");
  fmt::print("machine: {} ({}, {} cores), Linux {}\n", m.hostname, m.cpu_model, m.cores, m.kernel);
  fmt::print("tools: {}; {}\n", m.iptables_version, m.nft_version);
  fmt::print("IPVS: {}\n", run.ipvs.available ? "available (not measured by this version)"
                                               : "unavailable: " + run.ipvs.reason);
  auto list = [](const std::vector<int>& v) {
    std::string s;
    for (int n : v) s += (s.empty() ? "" : ", ") + std::to_string(n);
    return s.empty() ? std::string("none") : s;
  };
  fmt::print("services: {} endpoint(s) each; fitted on {}; held back: {} (marked *)\n\n",
             run.options.endpoints_per_service, list(fit.fit_services),
             list(fit.held_back_services));

  fmt::print("MEASUREMENTS (connect: p{:g}/median of {} new connections, p99 in brackets; the "
             "p{:g} is fitted)\n",
             run.options.latency_percentile, run.options.connect_rounds,
             run.options.latency_percentile);
  fmt::print("{:>9} {:<9} {:>7} {:>7} {:>10} {:>10} {:>29} {:>29} {:>29} {:>10} {:>10}\n",
             "SERVICES", "MODE", "RULES", "CHAINS", "LOAD", "UPDATE", "CONNECT FIRST",
             "CONNECT MIDDLE", "CONNECT LAST", "DIRECT", "EST. RTT");
  for (const auto& r : run.measurements) {
    bool ipt = r.mode == core::KubeProxyMode::Iptables;
    std::vector<std::string> cells;
    for (const auto& p : r.positions) {
      cells.push_back(fmt::format("{}/{} [{}]", us(p.typical_ns), us(p.median_ns), us(p.p99_ns)));
    }
    while (cells.size() < 3) cells.push_back("-");
    bool held = std::find(fit.held_back_services.begin(), fit.held_back_services.end(),
                          r.services) != fit.held_back_services.end();
    fmt::print("{:>8}{} {:<9} {:>7} {:>7} {:>10} {:>10} {:>29} {:>29} {:>29} {:>10} {:>10}\n",
               r.services, held ? "*" : " ", ipt ? "iptables" : "nftables", r.rules, r.chains,
               human(r.load_ns), ipt ? human(r.update_ns) : "-", cells[0], cells[1], cells[2],
               us(r.direct_typical_ns), us(r.rtt_median_ns));
  }
  if (run.vxlan.measured) {
    const auto& v = run.vxlan;
    fmt::print("VXLAN: underlay MTU {}, VXLAN device MTU {}; 1-byte RTT underlay {} [{}], "
               "overlay {} [{}]\n",
               v.underlay_mtu, v.vxlan_mtu, us(v.underlay_rtt_ns), us(v.underlay_rtt_p99_ns),
               us(v.overlay_rtt_ns), us(v.overlay_rtt_p99_ns));
  }
  fmt::print("\nFITTED CONSTANTS (the node's connect cost besides the rule walk, not a profile "
             "constant: {})\n",
             us(fit.connect_baseline_ns));
  fmt::print("  {:<40} {:>14} {:>14}  {}\n", "CONSTANT", "FITTED", "WAS", "FROM");
  for (const auto& f : fit.fitted) {
    fmt::print("  {:<40} {:>14} {:>14}  {}\n", f.key, fmt::format("{:.4g} {}", f.value, f.unit),
               fmt::format("{:.4g}", f.previous), f.how);
  }
  for (const auto& n : fit.notes) fmt::print("  note: {}\n", n);

  fmt::print("\nMEASURED vs PREDICTED (connect predicted = direct path timed alongside + node "
             "cost + modelled rule walk; DEFAULT = the same with the base profile)\n");
  fmt::print("  {:<28} {:>9} {:<8} {:>11} {:>11} {:>8} {:>11} {:>8}\n", "WHAT", "SERVICES",
             "POSITION", "MEASURED", "PREDICTED", "ERROR", "DEFAULT", "ERROR");
  for (const auto& c : fit.comparisons) {
    std::string n = c.services ? fmt::format("{}{}", c.services, c.held_back ? "*" : " ") : "-";
    double de = calib::relative_error(c.default_ns, c.measured_ns);
    fmt::print("  {:<28} {:>9} {:<8} {:>11} {:>11} {:>8} {:>11} {:>8}\n", c.what, n,
               c.position.empty() ? "-" : c.position, human(c.measured_ns), human(c.predicted_ns),
               percent(c.error()), human(c.default_ns), percent(de));
  }
  fmt::print("\n");
  fmt::print("iptables connection setup, fitted counts: largest error {:.1f}%\n",
             fit.fitted_connect_error * 100);
  if (fit.held_back_connect_error) {
    fmt::print("iptables connection setup, held-back counts: largest error {:.1f}% (target 25%): "
               "{}\n",
               *fit.held_back_connect_error * 100,
               *fit.held_back_connect_error <= 0.25 ? "within target" : "OUTSIDE target");
  }
  if (fit.held_back_growth_error) {
    fmt::print("iptables rule-walk growth (last minus first service), held-back counts: largest "
               "error {:.1f}%\n",
               *fit.held_back_growth_error * 100);
  }
}

int run_calibrate(const CalibrateOptions& o) {
  if (!o.kernel) {
    fmt::print(stderr, "error: calibrate needs a source to measure; the one available is --kernel "
                       "(this machine's Linux kernel, as root)\n");
    return 2;
  }
  calib::CalibrationOptions co;
  co.services.clear();
  if (!parse_services(o.services, co.services)) {
    fmt::print(stderr, "error: --services expects at least two distinct comma-separated counts "
                       "between 10 and 100000, e.g. 100,1000,5000\n");
    return 2;
  }
  if (o.fit < 2 || o.fit > static_cast<int>(co.services.size())) {
    fmt::print(stderr, "error: --fit must be between 2 and the number of service counts ({})\n",
               co.services.size());
    return 2;
  }
  if (o.rounds < 20 || o.rounds > 100000 || o.endpoints < 1 || o.endpoints > 100 ||
      o.percentile < 1 || o.percentile > 99) {
    fmt::print(stderr,
               "error: --rounds must be 20..100000, --endpoints 1..100, --percentile 1..99\n");
    return 2;
  }
  co.fit_counts = o.fit;
  co.endpoints_per_service = o.endpoints;
  co.connect_rounds = o.rounds;
  co.rtt_rounds = o.rounds;
  co.latency_percentile = o.percentile;
  co.warmup_rounds = std::max(10, o.rounds / 10);
  co.nftables = !o.no_nftables;
  co.vxlan = !o.no_vxlan;
  co.progress = [](const std::string& line) { fmt::print(stderr, "calibrate: {}\n", line); };
  core::Profile base;
  try {
    base = models::load_profile(o.base, "./calibrate");
  } catch (const core::ScenarioError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  }
  std::string blocker = calib::kernel_calibration_blocker(co.nftables);
  if (!blocker.empty()) {
    fmt::print(stderr, "error: {}\n", blocker);
    return 2;
  }
  try {
    calib::CalibrationRun run = calib::run_kernel_calibration(co);
    calib::CalibrationFit fit = calib::fit_calibration(run, base);
    fit.profile.set_name("calibrated");
    fit.profile.set_info("machine", fmt::format("{} ({}, {} cores)", run.machine.hostname,
                                                run.machine.cpu_model, run.machine.cores));
    fit.profile.set_info("kernel", "Linux " + run.machine.kernel);
    fit.profile.set_info("tools", run.machine.iptables_version + "; " + run.machine.nft_version);
    fit.profile.set_info("calibrated", run.machine.date_utc + " by knetsim calibrate --kernel --services " +
                                           o.services);
    fit.profile.set_info("base", base.name());
    print_report(run, fit);
    std::ofstream out(o.out);
    out << "# Written by `knetsim calibrate --kernel`: constants measured on the machine in\n"
           "# metadata; every other constant is the base profile's (see each `source`).\n"
        << fit.profile.to_yaml();
    if (!out) {
      fmt::print(stderr, "error: cannot write {}\n", o.out);
      return 2;
    }
    fmt::print("wrote {} (profile \"calibrated\"; use it with `profile: {}` in a scenario)\n",
               o.out, o.out);
    return 0;
  } catch (const calib::CalibrationError& e) {
    fmt::print(stderr, "error: calibration failed: {}\n", e.what());
    return 3;
  }
}

}  // namespace

void add_calibrate_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<CalibrateOptions>();
  auto* cmd = app.add_subcommand(
      "calibrate", "Measure the real kernel (as root) and fit a calibration profile");
  cmd->add_flag("--kernel", o->kernel,
                "Measure this machine's Linux kernel in network namespaces of its own");
  cmd->add_option("--services", o->services, "Service counts to load and probe")
      ->capture_default_str();
  cmd->add_option("--fit", o->fit,
                  "How many of the smallest counts are fitted; the others are held back and "
                  "predicted")
      ->capture_default_str();
  cmd->add_option("--endpoints", o->endpoints, "Endpoints per generated service")
      ->capture_default_str();
  cmd->add_option("--rounds", o->rounds, "Timed connections (and round trips) per probed service")
      ->capture_default_str();
  cmd->add_option("--percentile", o->percentile,
                  "Percentile of the connect latencies fitted (low: least disturbed by other work)")
      ->capture_default_str();
  cmd->add_option("--out", o->out, "Where to write the fitted profile")->capture_default_str();
  cmd->add_option("--profile", o->base, "Base profile: bundled name or file")
      ->capture_default_str();
  cmd->add_flag("--no-nftables", o->no_nftables, "Skip the nftables measurements");
  cmd->add_flag("--no-vxlan", o->no_vxlan, "Skip the VXLAN measurement");
  cmd->callback([o, &exit_code] { exit_code = run_calibrate(*o); });
}

}  // namespace knetsim::cli
