// A network namespace of the test's own (knetsim-test-<pid>), deleted when the guard goes out of
// scope, for loading generated rules into the real iptables-restore / nft / ipset. Tests skip
// (with the reason) when not root or a tool is missing; CI runs as root, so they run there.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace knetsim::models::kubeproxy::testing {

inline bool have_tool(const std::string& name) {
  std::string cmd = "command -v " + name + " >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

// Why the kernel tests cannot run here, or "" when they can.
inline std::string kernel_test_blocker(std::initializer_list<const char*> tools) {
  if (geteuid() != 0) return "not root: network namespaces need CAP_SYS_ADMIN";
  for (const char* t : tools) {
    if (!have_tool(t)) return std::string(t) + " is not installed";
  }
  return "";
}

struct CommandResult {
  int status = -1;
  std::string output;  // stdout and stderr
};

inline CommandResult run_command(const std::string& cmd) {
  std::string out = "/tmp/knetsim-test-" + std::to_string(getpid()) + ".out";
  CommandResult r;
  r.status = std::system((cmd + " >" + out + " 2>&1").c_str());
  std::ifstream in(out);
  std::stringstream ss;
  ss << in.rdbuf();
  r.output = ss.str();
  std::remove(out.c_str());
  return r;
}

class Netns {
 public:
  Netns() : name_("knetsim-test-" + std::to_string(getpid())) {
    run_command("ip netns del " + name_);  // a leftover from a killed run
    ok_ = run_command("ip netns add " + name_).status == 0;
  }
  ~Netns() { run_command("ip netns del " + name_); }
  Netns(const Netns&) = delete;
  Netns& operator=(const Netns&) = delete;

  bool ok() const { return ok_; }
  const std::string& name() const { return name_; }
  // Runs `cmd` inside the namespace with `input` on stdin.
  CommandResult exec(const std::string& cmd, const std::string& input = "") const {
    std::string in = "/tmp/" + name_ + ".in";
    std::ofstream(in) << input;
    CommandResult r = run_command("ip netns exec " + name_ + " " + cmd + " <" + in);
    std::remove(in.c_str());
    return r;
  }

 private:
  std::string name_;
  bool ok_ = false;
};

inline size_t count_lines_starting(const std::string& text, const std::string& prefix) {
  std::istringstream in(text);
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) n += line.rfind(prefix, 0) == 0;
  return n;
}

}  // namespace knetsim::models::kubeproxy::testing
