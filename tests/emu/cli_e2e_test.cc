// End to end through the real binary: `knetsim emulate` on a bundled scenario, curl acting
// as a pod with --interface, `knetsim client --from`, a policy-denied curl refused, SIGTERM
// ending the run cleanly with exit status 0.
#include <gtest/gtest.h>
#include <signal.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

extern char** environ;

namespace {

const std::string kBinary = std::string(KNETSIM_BINARY_DIR) + "/sim/cli/knetsim";

std::string run_capture(const std::string& cmd, int* status = nullptr) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int st = pclose(p);
  if (status) *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return out;
}

bool have_curl() { return std::system("curl --version > /dev/null 2>&1") == 0; }

class EmulateProcess {
 public:
  EmulateProcess(const std::string& scenario, int offset, const std::string& tag) {
    state_ = ::testing::TempDir() + "/knetsim-e2e-" + tag + "-" + std::to_string(::getpid()) + ".json";
    log_ = state_ + ".log";
    std::remove(state_.c_str());
    std::vector<std::string> args = {kBinary, "emulate", std::string(KNETSIM_SOURCE_DIR) + "/" + scenario,
                                     "--port-offset", std::to_string(offset), "--duration", "120s",
                                     "--deny", "reset", "--no-scenario-events", "--state", state_};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    EXPECT_EQ(posix_spawn(&pid_, kBinary.c_str(), &fa, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    for (int i = 0; i < 200; ++i) {  // up to 20 s on a loaded machine
      std::ifstream in(state_);
      if (in) {
        try {
          in >> state;
          return;
        } catch (...) {
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "emulate did not start: " << log();
  }
  ~EmulateProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    std::remove(log_.c_str());
  }
  // SIGTERM and wait; returns the exit status (-1 when killed by a signal or too slow).
  int terminate() {
    kill(pid_, SIGTERM);
    for (int i = 0; i < 100; ++i) {
      int st = 0;
      if (waitpid(pid_, &st, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return -1;
  }
  std::string log() const {
    std::ifstream in(log_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::string loopback_of_pod(const std::string& key) const {
    return state["pods"].contains(key) ? state["pods"][key]["loopback"].get<std::string>() : "";
  }
  std::string loopback_of_service(const std::string& key) const {
    return state["services"][key]["loopback"].get<std::string>();
  }
  const std::string& state_file() const { return state_; }
  nlohmann::json state;

 private:
  pid_t pid_ = -1;
  std::string state_, log_;
};

TEST(EmulateCli, CurlAsAPodSeesEveryBackendThenSigtermStopsCleanly) {
  if (!have_curl()) GTEST_SKIP() << "curl is not installed";
  EmulateProcess emu("scenarios/quickstart.yaml", 25000, "quick");
  ASSERT_TRUE(emu.state.is_object());
  std::string client;
  for (auto& [k, v] : emu.state["pods"].items()) {
    if (k.rfind("default/client-", 0) == 0) client = k;
  }
  ASSERT_FALSE(client.empty());
  std::string cmd = "curl -s --max-time 5 --interface " + emu.loopback_of_pod(client) +
                    " http://" + emu.loopback_of_service("default/web") + ":25080/hostname";
  std::map<std::string, int> seen;
  for (int i = 0; i < 90; ++i) ++seen[run_capture(cmd)];
  EXPECT_EQ(seen.count(""), 0u);
  EXPECT_EQ(seen.size(), 3u);
  for (const auto& [name, n] : seen) {
    EXPECT_EQ(name.rfind("web-", 0), 0u) << name;
    EXPECT_GE(n, 12) << name;  // 1/3 each of 90: P(n < 12) is below 1e-6
  }
  int status = 0;
  std::string out = run_capture(kBinary + " client --state " + emu.state_file() + " --from " +
                                    client + " http://web.default/clientip",
                                &status);
  EXPECT_EQ(status, 0);
  EXPECT_EQ(out.rfind(emu.loopback_of_pod(client) + ":", 0), 0u) << out;
  EXPECT_EQ(emu.terminate(), 0) << emu.log();
  std::string log = emu.log();
  EXPECT_NE(log.find("SIGTERM received"), std::string::npos) << log;
  EXPECT_NE(log.find("knetsim emulate: stopped."), std::string::npos) << log;
}

TEST(EmulateCli, PolicyDeniedCurlIsRefused) {
  if (!have_curl()) GTEST_SKIP() << "curl is not installed";
  EmulateProcess emu("scenarios/netpol-xyz.yaml", 25100, "xyz");
  ASSERT_TRUE(emu.state.is_object());
  std::string url = "http://" + emu.loopback_of_service("x/s-a") + ":25180/hostname";
  int status = 0;
  EXPECT_EQ(run_capture("curl -s --max-time 5 --interface " + emu.loopback_of_pod("y/b") + " " +
                            url,
                        &status),
            "a");
  EXPECT_EQ(status, 0);
  run_capture("curl -s --max-time 5 --interface " + emu.loopback_of_pod("z/a") + " " + url,
              &status);
  // The RST lands either while curl still checks its connect (7) or on its first read (56).
  EXPECT_TRUE(status == 56 || status == 7) << "curl exit status " << status;
  EXPECT_EQ(emu.terminate(), 0);
}

TEST(ProbeCli, AgreesWithTheEngineAndExitsZero) {
  int status = -1;
  std::string out = run_capture(kBinary + " probe " + KNETSIM_SOURCE_DIR +
                                    "/scenarios/netpol-xyz.yaml --deny reset --timeout 500ms "
                                    "--port-offset 25200",
                                &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("0 mismatches"), std::string::npos) << out;
}

}  // namespace
