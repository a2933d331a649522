// No data loss, end to end: a `knetsim run` killed with SIGKILL half-way leaves a folder that
// `plot`, `describe` and the next reader call incomplete (exit 4, plot --partial overrides);
// a finished run is complete, plots, and the same seed gives byte-identical files, manifest
// included.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/cli/run_cli.h"

namespace knetsim::cli {
namespace {

namespace fs = std::filesystem;
using knetsim::testing::knetsim_binary;
using knetsim::testing::run_knetsim;

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string temp_dir(const std::string& name) {
  std::string d = "/tmp/knetsim-results-test-" + std::to_string(getpid()) + "/" + name;
  fs::remove_all(d);
  fs::create_directories(fs::path(d).parent_path());
  return d;
}

// quickstart with another duration and rate, in a folder of its own (with the manifest it
// names, as manifest paths are relative to the scenario).
std::string quickstart_variant(const std::string& name, const std::string& duration,
                               const std::string& rate) {
  std::string src = std::string(KNETSIM_SOURCE_DIR) + "/scenarios/";
  std::string y = read(src + "quickstart.yaml");
  auto replace = [&](const std::string& from, const std::string& to) {
    auto at = y.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) y.replace(at, from.size(), to);
  };
  replace("duration: 30s", "duration: " + duration);
  replace("perSecond: 500,", "perSecond: " + rate + ",");
  std::string dir = temp_dir(name);
  fs::create_directories(dir + "/apps");
  fs::copy_file(src + "apps/web.yaml", dir + "/apps/web.yaml");
  std::ofstream(dir + "/scenario.yaml") << y;
  return dir + "/scenario.yaml";
}

bool plot_available() { return run_knetsim("plot --help").status == 0; }

TEST(ResultsFolder, FinishedRunIsCompleteAndSameSeedGivesIdenticalFilesAndManifest) {
  std::string file = quickstart_variant("short", "3s", "500");
  std::string a = temp_dir("a"), b = temp_dir("b");
  ASSERT_EQ(run_knetsim("run " + file + " --out " + a + " -q --seed 5").status, 0);
  ASSERT_EQ(run_knetsim("run " + file + " --out " + b + " -q --seed 5").status, 0);
  EXPECT_FALSE(fs::exists(a + "/.knetsim-in-progress"));
  for (const char* f : {"manifest.json", "summary.json", "timeseries.csv", "histogram.csv",
                        "cpu.csv", "syncs.csv", "events.csv"}) {
    EXPECT_FALSE(read(a + "/" + f).empty()) << f;
    EXPECT_EQ(read(a + "/" + f), read(b + "/" + f)) << f;
  }
  for (const auto& e : fs::directory_iterator(a)) {  // no temporary file left behind
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
  }
  auto d = run_knetsim("describe " + a);
  EXPECT_EQ(d.status, 0) << d.err;
  EXPECT_NE(d.out.find("Results of scenario quickstart (seed 5"), std::string::npos) << d.out;
  EXPECT_NE(d.out.find("summary.json"), std::string::npos) << d.out;
  if (!plot_available()) GTEST_SKIP() << "this build has no GUI, so no `knetsim plot`";
  auto p = run_knetsim("plot " + a + " -o " + a + "/charts");
  EXPECT_EQ(p.status, 0) << p.err;
  EXPECT_TRUE(fs::exists(a + "/charts/latency_cdf.png"));
}

TEST(ResultsFolder, RunKilledHalfWayIsReportedIncompleteByPlotAndDescribe) {
  std::string dir = temp_dir("killed");
  std::string quick = quickstart_variant("short-2", "3s", "500");
  // A finished run first, so the killed one leaves old, whole-looking files behind it.
  ASSERT_EQ(run_knetsim("run " + quick + " --out " + dir + " -q").status, 0);
  std::string scenario = quickstart_variant("long", "3000s", "5000");  // minutes of work
  pid_t pid = fork();
  if (pid == 0) {
    std::string bin = knetsim_binary();
    execl(bin.c_str(), bin.c_str(), "run", scenario.c_str(), "--out", dir.c_str(), "-q",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  ASSERT_GT(pid, 0);
  auto t0 = std::chrono::steady_clock::now();
  while (!fs::exists(dir + "/.knetsim-in-progress") &&
         std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(fs::exists(dir + "/.knetsim-in-progress")) << "the run never started";
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // well inside the simulation
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run ended before it was killed";

  auto d = run_knetsim("describe " + dir);
  EXPECT_EQ(d.status, 4);
  EXPECT_NE(d.err.find("this run did not finish (killed or crashed); results are incomplete"),
            std::string::npos)
      << d.err;
  if (!plot_available()) GTEST_SKIP() << "this build has no GUI, so no `knetsim plot`";
  auto p = run_knetsim("plot " + dir + " -o " + dir + "/charts");
  EXPECT_EQ(p.status, 4);
  EXPECT_NE(p.err.find("this run did not finish (killed or crashed); results are incomplete"),
            std::string::npos)
      << p.err;
  EXPECT_NE(p.err.find("--partial"), std::string::npos) << p.err;
  EXPECT_FALSE(fs::exists(dir + "/charts/latency_cdf.png"));
  auto partial = run_knetsim("plot --partial " + dir + " -o " + dir + "/charts");
  EXPECT_EQ(partial.status, 0) << partial.err;
  EXPECT_NE(partial.err.find("warning:"), std::string::npos) << partial.err;
  EXPECT_TRUE(fs::exists(dir + "/charts/latency_cdf.png"));
}

}  // namespace
}  // namespace knetsim::cli
