#include "sim/calib/netns_lab.h"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <regex>
#include <thread>

#include "sim/calib/calibration_error.h"
#include "sim/calib/command.h"

namespace knetsim::calib {

namespace {

// What the signal handler may touch: fixed buffers, no allocation.
constexpr int kMaxNamespaces = 8;
char g_paths[kMaxNamespaces][96];
volatile sig_atomic_t g_count = 0;
struct sigaction g_previous[3];
constexpr int kSignals[3] = {SIGINT, SIGTERM, SIGHUP};

// Deleting a named namespace is what `ip netns del` does: detach the bind mount and remove the
// file; the namespace itself goes when its last user (our sockets, a running tool) exits.
void on_signal(int sig) {
  for (int i = 0; i < g_count; ++i) {
    umount2(g_paths[i], MNT_DETACH);
    unlink(g_paths[i]);
  }
  g_count = 0;
  signal(sig, SIG_DFL);
  raise(sig);
}

void register_path(const std::string& name) {
  if (g_count >= kMaxNamespaces) return;
  std::string path = "/run/netns/" + name;
  std::snprintf(g_paths[g_count], sizeof g_paths[0], "%s", path.c_str());
  g_count = g_count + 1;
}

void unregister_all() { g_count = 0; }

}  // namespace

NetnsLab::NetnsLab() : prefix_("knc-" + std::to_string(getpid())) {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &sa, &g_previous[i]);
}

NetnsLab::~NetnsLab() {
  teardown();
  for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &g_previous[i], nullptr);
}

void NetnsLab::teardown() {
  unregister_all();
  for (auto it = created_.rbegin(); it != created_.rend(); ++it) {
    run_command({"ip", "netns", "del", *it});
  }
  created_.clear();
}

std::vector<std::string> NetnsLab::existing_namespaces(int pid) {
  std::vector<std::string> out;
  std::string prefix = "knc-" + std::to_string(pid) + "-";
  if (DIR* d = opendir("/run/netns")) {
    while (dirent* e = readdir(d)) {
      std::string name = e->d_name;
      if (name.rfind(prefix, 0) == 0) out.push_back(name);
    }
    closedir(d);
  }
  return out;
}

std::vector<std::string> NetnsLab::remove_leftovers() {
  std::vector<std::string> removed;
  static const std::regex kName("knc-([0-9]+)-[a-z0-9]+");
  std::vector<std::string> names;
  if (DIR* d = opendir("/run/netns")) {
    while (dirent* e = readdir(d)) names.push_back(e->d_name);
    closedir(d);
  }
  for (const auto& name : names) {
    std::smatch m;
    if (!std::regex_match(name, m, kName)) continue;
    long pid = std::stol(m[1].str());
    if (pid == getpid()) continue;
    if (kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // still running
    if (run_command({"ip", "netns", "del", name}).ok()) removed.push_back(name);
  }
  return removed;
}

std::string NetnsLab::add_netns(const std::string& role) {
  std::string name = prefix_ + "-" + role;
  run_command({"ip", "netns", "del", name});  // our own pid's leftover: impossible, but harmless
  run_checked({"ip", "netns", "add", name});
  created_.push_back(name);
  register_path(name);
  run_checked({"ip", "-n", name, "link", "set", "lo", "up"});
  return name;
}

void write_sysctl(const std::string& netns, const std::string& key, const std::string& value) {
  // /proc/sys/net belongs to the namespace of the thread that opens it.
  std::string error;
  std::thread t([&] {
    int fd = open(("/run/netns/" + netns).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) {
      error = "cannot enter network namespace " + netns + ": " + std::strerror(errno);
      if (fd >= 0) close(fd);
      return;
    }
    close(fd);
    std::ofstream f("/proc/sys/" + key);
    f << value << "\n";
    f.flush();
    if (!f) error = "cannot write /proc/sys/" + key + " in " + netns;
  });
  t.join();
  if (!error.empty()) throw CalibrationError(error);
}

void NetnsLab::build_service_path(const core::Cidr& pod_cidr) {
  using A = LabAddresses;
  client_ = add_netns("client");
  node_ = add_netns("node");
  backend_ = add_netns("backend");
  auto ip = [](const std::string& ns, std::vector<std::string> args) {
    args.insert(args.begin(), {"ip", "-n", ns});
    run_checked(args);
  };
  ip(node_, {"link", "add", "to-client", "type", "veth", "peer", "name", "eth0", "netns", client_});
  ip(node_, {"link", "add", "to-backend", "type", "veth", "peer", "name", "eth0", "netns",
             backend_});
  ip(client_, {"link", "add", "direct0", "type", "veth", "peer", "name", "direct0", "netns",
               backend_});
  ip(client_, {"addr", "add", std::string(A::kClientDirect) + "/24", "dev", "direct0"});
  ip(backend_, {"addr", "add", std::string(A::kBackendDirect) + "/24", "dev", "direct0"});
  ip(client_, {"link", "set", "direct0", "up"});
  ip(backend_, {"link", "set", "direct0", "up"});
  ip(node_, {"addr", "add", std::string(A::kNodeClientSide) + "/24", "dev", "to-client"});
  ip(node_, {"addr", "add", std::string(A::kNodeBackendSide) + "/24", "dev", "to-backend"});
  ip(client_, {"addr", "add", std::string(A::kClient) + "/24", "dev", "eth0"});
  ip(backend_, {"addr", "add", std::string(A::kBackend) + "/24", "dev", "eth0"});
  ip(node_, {"link", "set", "to-client", "up"});
  ip(node_, {"link", "set", "to-backend", "up"});
  ip(client_, {"link", "set", "eth0", "up"});
  ip(backend_, {"link", "set", "eth0", "up"});
  ip(client_, {"route", "add", "default", "via", A::kNodeClientSide});
  ip(backend_, {"route", "add", "default", "via", A::kNodeBackendSide});
  ip(backend_, {"route", "add", "local", pod_cidr.str(), "dev", "lo"});
  ip(node_, {"route", "add", pod_cidr.str(), "via", A::kBackend});
  write_sysctl(node_, "net/ipv4/ip_forward", "1");
}

void NetnsLab::build_vxlan_pair() {
  using A = LabAddresses;
  vxa_ = add_netns("vxa");
  vxb_ = add_netns("vxb");
  auto ip = [](const std::string& ns, std::vector<std::string> args) {
    args.insert(args.begin(), {"ip", "-n", ns});
    run_checked(args);
  };
  ip(vxa_, {"link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", vxb_});
  ip(vxa_, {"addr", "add", std::string(A::kVxaUnderlay) + "/24", "dev", "eth0"});
  ip(vxb_, {"addr", "add", std::string(A::kVxbUnderlay) + "/24", "dev", "eth0"});
  ip(vxa_, {"link", "set", "eth0", "up"});
  ip(vxb_, {"link", "set", "eth0", "up"});
  struct Side {
    std::string ns, local, remote, overlay;
  };
  for (const Side& s : {Side{vxa_, A::kVxaUnderlay, A::kVxbUnderlay, A::kVxaOverlay},
                        Side{vxb_, A::kVxbUnderlay, A::kVxaUnderlay, A::kVxbOverlay}}) {
    ip(s.ns, {"link", "add", "vxlan0", "type", "vxlan", "id", "42", "local", s.local, "remote",
              s.remote, "dstport", "4789", "dev", "eth0"});
    ip(s.ns, {"addr", "add", s.overlay + "/24", "dev", "vxlan0"});
    ip(s.ns, {"link", "set", "vxlan0", "up"});
  }
}

int NetnsLab::mtu_of(const std::string& netns, const std::string& device) {
  CommandResult r = run_command({"ip", "-n", netns, "-o", "link", "show", "dev", device});
  if (!r.ok()) return 0;
  static const std::regex kMtu(" mtu ([0-9]+) ");
  std::smatch m;
  if (!std::regex_search(r.output, m, kMtu)) return 0;
  return std::stoi(m[1].str());
}

}  // namespace knetsim::calib
