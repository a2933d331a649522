// Running the kernel's own tools (ip, iptables-restore, nft) for `knetsim calibrate`, optionally
// inside a named network namespace, with text on stdin and the wall time of the run measured.
// The child joins the namespace with setns() itself (no `ip netns exec`), so the time measured is
// the tool's, not a wrapper's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace knetsim::calib {

struct CommandResult {
  int status = -1;         // exit status; -1 when the program could not be started
  std::string output;      // stdout and stderr, interleaved
  int64_t elapsed_ns = 0;  // from fork to exit
  bool ok() const { return status == 0; }
};

// Runs argv[0] (searched in PATH) with `input` on stdin; inside /run/netns/<netns> when netns is
// not empty.
CommandResult run_command(const std::vector<std::string>& argv, const std::string& input = "",
                          const std::string& netns = "");

// Whether a program is in PATH.
bool have_program(const std::string& name);

// Throws CalibrationError naming the command and its output when it fails.
CommandResult run_checked(const std::vector<std::string>& argv, const std::string& input = "",
                          const std::string& netns = "");

}  // namespace knetsim::calib
