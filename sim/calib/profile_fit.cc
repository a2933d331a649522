#include "sim/calib/profile_fit.h"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "sim/calib/calibration_error.h"
#include "sim/calib/least_squares.h"
#include "sim/models/kubeproxy/datapath_cost.h"
#include "sim/models/kubeproxy/sync_model.h"

namespace knetsim::calib {

namespace kp = models::kubeproxy;

namespace {

using Mode = core::KubeProxyMode;

// The model's first-packet cost for each probed service of a measurement.
std::vector<kp::PacketCost> first_packets(const ModeMeasurement& m, const core::Profile& p) {
  std::vector<kp::PacketCost> out;
  auto compute = [&](const core::Cluster& c) {
    kp::DatapathCost cost(c, 0, p);
    for (const auto& pos : m.positions) out.push_back(cost.first_packet(pos.service, 0, 0));
  };
  if (m.cluster->kube_proxy.mode == m.mode) {
    compute(*m.cluster);
  } else {
    core::Cluster c = *m.cluster;
    c.kube_proxy.mode = m.mode;
    compute(c);
  }
  return out;
}

double full_sync_ns(const ModeMeasurement& m, const core::Profile& p) {
  kp::ProxyOptions opt = kp::ProxyOptions::for_cluster(*m.cluster);
  opt.nfacct = false;
  return kp::estimate_sync(*m.cluster, 0, m.mode, opt, p).full_sync_ns;
}

void set_constant(CalibrationFit& fit, const core::Profile& base, const std::string& key,
                  double value, const std::string& prov, const std::string& how) {
  const core::ProfileConstant* old = base.find(key);
  core::ProfileConstant c = old ? *old : core::ProfileConstant{};
  // Four significant digits: more would only be noise of one run.
  value = std::stod(fmt::format("{:.4g}", value));
  FittedConstant f{key, value, old ? old->value : 0, c.unit, how};
  c.value = value;
  c.source = prov + ": " + how;
  c.where = {};
  fit.profile.set(key, c);
  fit.fitted.push_back(f);
}

std::string us(double ns) { return fmt::format("{:.2f} us", ns / 1e3); }

}  // namespace

double Comparison::error() const { return relative_error(predicted_ns, measured_ns); }

std::string provenance(const MachineInfo& m) {
  return fmt::format("knetsim calibrate --kernel, {}, {} ({}, {} cores), Linux {}, {}", m.date_utc,
                     m.hostname, m.cpu_model.empty() ? "cpu unknown" : m.cpu_model, m.cores,
                     m.kernel, m.iptables_version);
}

CalibrationFit fit_calibration(const CalibrationRun& run, const core::Profile& base) {
  CalibrationFit fit;
  fit.profile = base;
  std::string prov = provenance(run.machine);
  // Which service counts are fitted: the smallest `fit_counts`; the rest are held back.
  std::set<int> all;
  for (const auto& m : run.measurements) all.insert(m.services);
  std::vector<int> sorted(all.begin(), all.end());
  size_t nfit = std::min<size_t>(std::max(1, run.options.fit_counts), sorted.size());
  fit.fit_services.assign(sorted.begin(), sorted.begin() + static_cast<long>(nfit));
  fit.held_back_services.assign(sorted.begin() + static_cast<long>(nfit), sorted.end());
  auto fitted_n = [&](int n) {
    return std::find(fit.fit_services.begin(), fit.fit_services.end(), n) !=
           fit.fit_services.end();
  };

  // --- iptables per-rule cost: connect latency against rules walked ---
  // The slope is pooled over the positions probed within each loaded ruleset (one intercept per
  // service count): those samples were taken interleaved, while the counts were measured one
  // after another, so drift on a shared machine between them does not bias the slope.
  double sxx = 0, sxy = 0;
  size_t points = 0;
  for (const auto& m : run.measurements) {
    if (m.mode != Mode::Iptables || !fitted_n(m.services) || m.positions.empty()) continue;
    double mx = 0, my = 0;
    for (const auto& p : m.positions) {
      mx += p.rules_walked;
      my += p.typical_ns;
    }
    mx /= static_cast<double>(m.positions.size());
    my /= static_cast<double>(m.positions.size());
    for (const auto& p : m.positions) {
      sxx += (p.rules_walked - mx) * (p.rules_walked - mx);
      sxy += (p.rules_walked - mx) * (p.typical_ns - my);
      ++points;
    }
  }
  if (sxx <= 0) {
    throw CalibrationError("cannot fit the per-rule cost: the fitted service counts give fewer "
                           "than two distinct rule walks");
  }
  double slope = sxy / sxx;
  std::string rule_how = fmt::format(
      "slope of new-connection (connect) latency against the rules knetsim says the first packet "
      "walks, least squares over {} points (first/middle/last service in KUBE-SERVICES at {} "
      "services, one intercept per count)",
      points, [&] {
        std::string s;
        for (int n : fit.fit_services) s += (s.empty() ? "" : ", ") + std::to_string(n);
        return s;
      }());
  set_constant(fit, base, "iptables_rule_eval_ns", slope, prov, rule_how);
  set_constant(fit, base, "nft_rule_eval_ns", slope, prov,
               "the iptables per-rule slope: iptables-nft rules run on the same nf_tables engine");

  // What the node adds to a connection besides the modelled rule walk (forwarding, NAT, the
  // second veth): the mean of measured minus the direct path timed alongside minus modelled,
  // over the fitted points (for the fitted and, separately, the base profile).
  auto baseline_for = [&](const core::Profile& p, Mode mode) {
    double sum = 0;
    int n = 0;
    for (const auto& m : run.measurements) {
      if (m.mode != mode || !fitted_n(m.services)) continue;
      auto cost = first_packets(m, p);
      for (size_t i = 0; i < m.positions.size(); ++i) {
        sum += m.positions[i].typical_ns - m.direct_typical_ns - cost[i].cpu_ns;
        ++n;
      }
    }
    return n ? sum / n : 0.0;
  };
  double baseline = baseline_for(fit.profile, Mode::Iptables);
  double base_baseline = baseline_for(base, Mode::Iptables);
  fit.connect_baseline_ns = baseline;

  // --- nftables per-lookup cost: extra set-lookup rules against none (same ruleset) ---
  {
    std::vector<double> per_rule;
    for (const auto& m : run.measurements) {
      if (m.mode != Mode::Nftables || !fitted_n(m.services) || m.lookup_rules <= 0) continue;
      per_rule.push_back((m.lookup_connect_ns - m.no_lookup_connect_ns) / m.lookup_rules);
    }
    if (!per_rule.empty()) {
      double mean = 0;
      for (double v : per_rule) mean += v;
      mean /= static_cast<double>(per_rule.size());
      // A lookup rule is a rule (priced by nft_rule_eval_ns) plus its lookup.
      double lookup = mean - slope;
      if (lookup > 0) {
        set_constant(fit, base, "nft_map_lookup_ns", lookup, prov,
                     fmt::format("connect latency with {} extra nft rules, each one "
                                 "ip daddr . meta l4proto . th dport set lookup, against none: "
                                 "{:.1f} ns per rule, minus nft_rule_eval_ns",
                                 run.measurements.empty() ? 0 : [&] {
                                   for (const auto& m : run.measurements) {
                                     if (m.lookup_rules > 0) return m.lookup_rules;
                                   }
                                   return 0;
                                 }(),
                                 mean));
      } else {
        fit.notes.push_back(fmt::format(
            "nft_map_lookup_ns not resolved: a set-lookup rule measured {:.1f} ns, not more than "
            "a plain rule ({:.1f} ns); the base value is kept",
            mean, slope));
      }
    }
  }

  // --- sync costs ---
  {
    std::vector<double> rules, chains, load, update;
    for (const auto& m : run.measurements) {
      if (m.mode != Mode::Iptables || !fitted_n(m.services)) continue;
      rules.push_back(static_cast<double>(m.rules));
      chains.push_back(static_cast<double>(m.chains));
      load.push_back(m.load_ns);
      update.push_back(m.update_ns);
    }
    auto two = fit_linear({rules, chains}, load);
    if (two && (*two)[0] > 0 && (*two)[1] > 0) {
      set_constant(fit, base, "iptables_restore_per_rule_ns", (*two)[0], prov,
                   "iptables-restore of the full dump, least squares on rules and chains");
      set_constant(fit, base, "iptables_restore_per_chain_ns", (*two)[1], prov,
                   "iptables-restore of the full dump, least squares on rules and chains");
    } else {
      // Rules and chains grow together (fixed endpoints per service): keep the base ratio of
      // the two constants and fit their common scale.
      double r0 = base.get("iptables_restore_per_rule_ns");
      double c0 = base.get("iptables_restore_per_chain_ns");
      std::vector<double> combined;
      for (size_t i = 0; i < rules.size(); ++i) combined.push_back(rules[i] * r0 + chains[i] * c0);
      auto k = fit_linear({combined}, load);
      if (k && (*k)[0] > 0) {
        std::string how = fmt::format(
            "iptables-restore of the full dump: rules and chains grow together here, so the base "
            "profile's rule:chain cost ratio is kept and scaled by {:.3f} (least squares)",
            (*k)[0]);
        set_constant(fit, base, "iptables_restore_per_rule_ns", r0 * (*k)[0], prov, how);
        set_constant(fit, base, "iptables_restore_per_chain_ns", c0 * (*k)[0], prov, how);
      }
    }
    auto upd = fit_line(rules, update);
    if (upd && upd->slope > 0) {
      set_constant(fit, base, "iptables_restore_per_existing_rule_ns", upd->slope, prov,
                   "slope of a one-chain iptables-restore against the rules already loaded");
    } else {
      fit.notes.push_back("iptables_restore_per_existing_rule_ns not resolved: a one-chain "
                          "update did not grow with the rules loaded");
    }
    std::vector<double> objects, nload;
    for (const auto& m : run.measurements) {
      if (m.mode != Mode::Nftables || !fitted_n(m.services)) continue;
      objects.push_back(static_cast<double>(m.sync_objects));
      nload.push_back(m.load_ns);
    }
    auto nl = fit_line(objects, nload);
    if (nl && nl->slope > 0) {
      set_constant(fit, base, "nft_transaction_per_object_ns", nl->slope, prov,
                   "slope of nft -f of the full dump against the objects written");
      set_constant(fit, base, "nft_transaction_fixed_ns", std::max(0.0, nl->intercept), prov,
                   "intercept of nft -f of the full dump against the objects written");
    }
    // Update rows: the intercept of the one-chain update is this machine's process start-up.
    for (const auto& m : run.measurements) {
      Comparison c;
      c.services = m.services;
      c.held_back = !fitted_n(m.services);
      c.measured_ns = m.load_ns;
      c.predicted_ns = full_sync_ns(m, fit.profile);
      c.default_ns = full_sync_ns(m, base);
      c.what = m.mode == Mode::Iptables ? "iptables-restore full load" : "nft -f full load";
      fit.comparisons.push_back(c);
      if (m.mode == Mode::Iptables && upd) {
        Comparison u;
        u.what = "iptables one-chain update";
        u.services = m.services;
        u.held_back = c.held_back;
        u.measured_ns = m.update_ns;
        u.predicted_ns = upd->intercept +
                         static_cast<double>(m.rules) *
                             fit.profile.get("iptables_restore_per_existing_rule_ns");
        u.default_ns = upd->intercept + static_cast<double>(m.rules) *
                                            base.get("iptables_restore_per_existing_rule_ns");
        fit.comparisons.push_back(u);
      }
    }
  }

  // --- connect predictions, growth above the first service, established round trips ---
  double nft_baseline = baseline;  // the model has one path; nftables differs by its own walk
  double rtt_sum = 0;
  int rtt_n = 0;
  for (const auto& m : run.measurements) {
    if (m.mode == Mode::Iptables && fitted_n(m.services)) {
      rtt_sum += m.rtt_median_ns;
      ++rtt_n;
    }
  }
  double rtt_pred = rtt_n ? rtt_sum / rtt_n : 0;
  for (const auto& m : run.measurements) {
    bool held = !fitted_n(m.services);
    auto cost = first_packets(m, fit.profile);
    auto base_cost = first_packets(m, base);
    std::string mode = m.mode == Mode::Iptables ? "iptables" : "nftables";
    for (size_t i = 0; i < m.positions.size(); ++i) {
      Comparison c;
      c.what = mode + " connect";
      c.services = m.services;
      c.position = m.positions[i].position;
      c.held_back = held;
      c.measured_ns = m.positions[i].typical_ns;
      // The direct path measured alongside carries the machine's state at that moment.
      c.predicted_ns = m.direct_typical_ns +
                       (m.mode == Mode::Iptables ? baseline : nft_baseline) + cost[i].cpu_ns;
      c.default_ns = m.direct_typical_ns + base_baseline + base_cost[i].cpu_ns;
      fit.comparisons.push_back(c);
      if (m.mode == Mode::Iptables) {
        double e = std::abs(c.error());
        if (held) {
          fit.held_back_connect_error = std::max(fit.held_back_connect_error.value_or(0), e);
        } else {
          fit.fitted_connect_error = std::max(fit.fitted_connect_error, e);
        }
      }
    }
    if (m.mode == Mode::Iptables) {
      for (size_t i = 1; i < m.positions.size(); ++i) {
        Comparison g;
        g.what = "iptables connect growth";
        g.services = m.services;
        g.position = m.positions[i].position;
        g.held_back = held;
        g.measured_ns = m.positions[i].typical_ns - m.positions[0].typical_ns;
        g.predicted_ns = cost[i].cpu_ns - cost[0].cpu_ns;
        g.default_ns = base_cost[i].cpu_ns - base_cost[0].cpu_ns;
        fit.comparisons.push_back(g);
        if (held && i + 1 == m.positions.size()) {
          fit.held_back_growth_error =
              std::max(fit.held_back_growth_error.value_or(0), std::abs(g.error()));
        }
      }
    }
    Comparison r;
    r.what = mode + " established RTT";
    r.services = m.services;
    r.held_back = held;
    r.measured_ns = m.rtt_median_ns;
    r.predicted_ns = rtt_pred;
    r.default_ns = rtt_pred;
    fit.comparisons.push_back(r);
  }

  // --- VXLAN ---
  if (run.vxlan.measured) {
    const VxlanMeasurement& v = run.vxlan;
    double per_packet = (v.overlay_rtt_ns - v.underlay_rtt_ns) / 2;
    double enc0 = base.get("vxlan_encap_ns");
    double dec0 = base.get("vxlan_decap_ns");
    if (per_packet > 0) {
      std::string how = fmt::format(
          "half the extra 1-byte TCP round trip over VXLAN vs the same veth underlay ({} vs {}), "
          "split in the base profile's encap:decap ratio",
          us(v.overlay_rtt_ns), us(v.underlay_rtt_ns));
      set_constant(fit, base, "vxlan_encap_ns", per_packet * enc0 / (enc0 + dec0), prov, how);
      set_constant(fit, base, "vxlan_decap_ns", per_packet * dec0 / (enc0 + dec0), prov, how);
    } else {
      fit.notes.push_back("VXLAN cost not resolved: the overlay round trip was not slower than "
                          "the underlay's");
    }
    if (v.underlay_mtu > 0 && v.vxlan_mtu > 0) {
      set_constant(fit, base, "vxlan_header_bytes", v.underlay_mtu - v.vxlan_mtu, prov,
                   fmt::format("underlay MTU {} minus the MTU the kernel gave the VXLAN device "
                               "({})",
                               v.underlay_mtu, v.vxlan_mtu));
    }
    Comparison c;
    c.what = "VXLAN extra RTT";
    c.measured_ns = v.overlay_rtt_ns - v.underlay_rtt_ns;
    c.predicted_ns =
        2 * (fit.profile.get("vxlan_encap_ns") + fit.profile.get("vxlan_decap_ns"));
    c.default_ns = 2 * (enc0 + dec0);
    fit.comparisons.push_back(c);
  }
  return fit;
}

}  // namespace knetsim::calib
