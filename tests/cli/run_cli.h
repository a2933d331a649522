// Runs the built knetsim binary for end-to-end tests: exit status, stdout and stderr.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace knetsim::testing {

struct CliResult {
  int status = -1;
  std::string out;
  std::string err;
};

inline std::string knetsim_binary() { return std::string(KNETSIM_BINARY_DIR) + "/sim/cli/knetsim"; }

// `args` is appended to the binary path as written (shell-quoted by the caller).
inline CliResult run_knetsim(const std::string& args) {
  std::string err_file = "/tmp/knetsim-cli-test-" + std::to_string(getpid()) + ".err";
  std::string cmd = knetsim_binary() + " " + args + " 2>" + err_file;
  CliResult r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int raw = pclose(p);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  std::ifstream e(err_file);
  std::stringstream ss;
  ss << e.rdbuf();
  r.err = ss.str();
  std::remove(err_file.c_str());
  return r;
}

}  // namespace knetsim::testing
