// Turning a kernel calibration run into a profile: the constants the measurements determine are
// fitted by least squares on the service counts chosen for fitting, then the model (DatapathCost
// and the sync model, with the fitted profile) predicts every measurement, including the
// held-back service counts, so the error of the model is visible beside each number.
//  - iptables_rule_eval_ns: slope of connect() latency against the rules knetsim says the first
//    packet walks (first/middle/last service, every fitted N, one intercept per N). A connect's
//    prediction is the direct client-backend path timed alongside it plus what the node adds
//    besides the rule walk (fitted once: forwarding, NAT, one more veth; not a profile
//    constant) plus the modelled first-packet CPU.
//  - nft_rule_eval_ns: the same slope (iptables-nft rules run on the same nf_tables engine);
//    nft_map_lookup_ns: what nftables connects cost above that baseline, per map lookup.
//  - iptables_restore_per_rule_ns / _per_chain_ns: full loads against rules and chains;
//    iptables_restore_per_existing_rule_ns: a one-chain update against the rules already loaded;
//    nft_transaction_per_object_ns / _fixed_ns: nft -f loads against objects.
//  - vxlan_encap_ns + vxlan_decap_ns: half the extra round trip over the overlay (two packets),
//    split in the base profile's ratio; vxlan_header_bytes: underlay MTU minus the kernel's
//    VXLAN MTU.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/calib/kernel_calibration.h"
#include "sim/core/profile.h"

namespace knetsim::calib {

struct Comparison {
  std::string what;      // e.g. "iptables connect", "nft -f load"
  int services = 0;
  std::string position;  // first/middle/last, or "" for whole-ruleset rows
  bool held_back = false;
  double measured_ns = 0;
  double predicted_ns = 0;  // by the fitted profile
  double default_ns = 0;    // by the base profile (same lab baseline), for comparison
  double error() const;     // (predicted - measured) / measured
};

struct FittedConstant {
  std::string key;
  double value = 0;
  double previous = 0;  // in the base profile
  std::string unit;
  std::string how;  // one line: what it was fitted from
};

struct CalibrationFit {
  core::Profile profile;
  std::vector<FittedConstant> fitted;
  std::vector<std::string> notes;  // what could not be resolved, and why
  std::vector<int> fit_services;
  std::vector<int> held_back_services;
  double connect_baseline_ns = 0;  // what the node adds besides the rule walk (fitted)
  std::vector<Comparison> comparisons;
  // Largest |error| of the held-back iptables connect rows, and of their growth above the first
  // service (nullopt when nothing is held back).
  std::optional<double> held_back_connect_error;
  std::optional<double> held_back_growth_error;
  // Largest |error| of the fitted iptables connect rows.
  double fitted_connect_error = 0;
};

// `base` supplies every constant the run does not measure (and the previous values).
// Throws CalibrationError when the run has too little data to fit (e.g. one service count).
CalibrationFit fit_calibration(const CalibrationRun& run, const core::Profile& base);

// "knetsim calibrate --kernel, 2026-12-05, host (cpu, 2 cores), Linux 6.18, iptables v1.8.9".
std::string provenance(const MachineInfo& m);

}  // namespace knetsim::calib
