// `knetsim probe`: the conformance-suite check of a policy set, done for real. Every pod
// connects to every pod on every declared port (TCP: an HTTP GET /hostname; UDP: netexec's
// "hostname" command) through a running emulator, from its own mapped address; a cell is
// "connected" only when the intended pod answered with its own name. The observed truth table
// is compared cell by cell with the policy engine's verdicts, which are what `knetsim reach`
// prints; any difference is a mismatch.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "sim/core/pod.h"
#include "sim/emu/client.h"
#include "sim/emu/emulator.h"

namespace knetsim::emu {

struct ProbeOptions {
  std::chrono::milliseconds timeout{1000};  // a dropped connection counts as denied after this
  size_t concurrency = 128;                  // exchanges in flight at once
};

struct ProbeTarget {
  int port = 0;
  core::Protocol protocol = core::Protocol::TCP;
  bool operator<(const ProbeTarget& o) const {
    return port != o.port ? port < o.port : protocol < o.protocol;
  }
  bool operator==(const ProbeTarget&) const = default;
};

struct ProbeCell {
  core::PodId src = 0;
  core::PodId dst = 0;
  ProbeTarget target;
  bool expected = false;  // the policy engine's verdict (as enforced)
  bool observed = false;  // the real connection reached dst
  Outcome outcome = Outcome::Error;
  std::string reason;     // the policy engine's reason
  std::string detail;     // what the connection saw when it failed or answered wrongly
};

struct ProbeReport {
  std::vector<core::PodId> pods;        // rows and columns, in cluster order
  std::vector<ProbeTarget> targets;     // one table per port/protocol
  std::vector<ProbeCell> cells;
  size_t mismatches = 0;
};

// Runs every cell against `emu`, which must be running (Emulator::run on another thread).
ProbeReport run_probe(Emulator& emu, const ProbeOptions& options);

// The truth tables (rows: from, columns: to; "." connected, "X" blocked, "!" where reality and
// the policy engine disagree) followed by the list of mismatches.
std::string format_probe(const core::Cluster& cluster, const ProbeReport& report);

}  // namespace knetsim::emu
