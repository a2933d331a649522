#include "sim/calib/command.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <sstream>

#include "sim/calib/calibration_error.h"

namespace knetsim::calib {

namespace {

// An anonymous in-memory file: stdin and output go through these, so a large input and a chatty
// tool can never deadlock on a pipe.
int memfd(const char* name) { return memfd_create(name, MFD_CLOEXEC); }

bool write_all(int fd, const std::string& s) {
  size_t done = 0;
  while (done < s.size()) {
    ssize_t n = write(fd, s.data() + done, s.size() - done);
    if (n < 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

std::string read_all(int fd) {
  std::string out;
  lseek(fd, 0, SEEK_SET);
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  return out;
}

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv, const std::string& input,
                          const std::string& netns) {
  CommandResult r;
  int in_fd = memfd("knetsim-in");
  int out_fd = memfd("knetsim-out");
  if (in_fd < 0 || out_fd < 0 || !write_all(in_fd, input)) {
    if (in_fd >= 0) close(in_fd);
    if (out_fd >= 0) close(out_fd);
    r.output = "cannot create a memory file for the command's input/output";
    return r;
  }
  lseek(in_fd, 0, SEEK_SET);
  // Everything the child needs is prepared before fork(): it only calls async-signal-safe
  // functions afterwards.
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::string ns_path = netns.empty() ? "" : "/run/netns/" + netns;
  int ns_fd = -1;
  if (!ns_path.empty()) {
    ns_fd = open(ns_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (ns_fd < 0) {
      close(in_fd);
      close(out_fd);
      r.output = "cannot open network namespace " + ns_path;
      return r;
    }
  }
  auto t0 = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    if (ns_fd >= 0 && setns(ns_fd, CLONE_NEWNET) != 0) _exit(126);
    dup2(in_fd, 0);
    dup2(out_fd, 1);
    dup2(out_fd, 2);
    execvp(args[0], args.data());
    _exit(127);
  }
  if (pid > 0) {
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    r.elapsed_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::steady_clock::now() - t0)
                       .count();
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    r.output = read_all(out_fd);
    if (r.status == 126) r.output += "(could not enter network namespace " + netns + ")";
    if (r.status == 127) r.output += "(could not run " + argv[0] + ")";
  } else {
    r.output = "fork failed";
  }
  if (ns_fd >= 0) close(ns_fd);
  close(in_fd);
  close(out_fd);
  return r;
}

bool have_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream ss(path ? path : "/usr/sbin:/usr/bin:/sbin:/bin");
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    if (!dir.empty() && access((dir + "/" + name).c_str(), X_OK) == 0) return true;
  }
  return false;
}

CommandResult run_checked(const std::vector<std::string>& argv, const std::string& input,
                          const std::string& netns) {
  CommandResult r = run_command(argv, input, netns);
  if (!r.ok()) {
    std::string cmd;
    for (const auto& a : argv) cmd += (cmd.empty() ? "" : " ") + a;
    if (!netns.empty()) cmd += " (in netns " + netns + ")";
    // Long outputs (a rejected 40k-line restore) are cut to their start.
    std::string out = r.output.size() > 2000 ? r.output.substr(0, 2000) + "..." : r.output;
    throw CalibrationError("`" + cmd + "` failed with status " + std::to_string(r.status) +
                           ": " + out);
  }
  return r;
}

}  // namespace knetsim::calib
