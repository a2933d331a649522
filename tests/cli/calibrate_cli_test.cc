// `knetsim calibrate`: the argument checks and the root requirement, without measuring (the
// measurement itself is tests/calib/kernel_calibration_test.cc).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "tests/cli/run_cli.h"

namespace knetsim::testing {
namespace {

TEST(CliCalibrate, WithoutASourceItSaysWhichOneExists) {
  CliResult r = run_knetsim("calibrate");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--kernel"), std::string::npos) << r.err;
}

TEST(CliCalibrate, BadServiceCountsAreInputErrors) {
  for (const char* bad : {"100", "100,abc", "5", "100,1000 --fit 3", "100,1000 --percentile 0"}) {
    CliResult r = run_knetsim(std::string("calibrate --kernel --services ") + bad);
    EXPECT_EQ(r.status, 2) << bad;
    EXPECT_NE(r.err.find("error:"), std::string::npos) << bad << ": " << r.err;
  }
}

TEST(CliCalibrate, AsAnOrdinaryUserItSaysItNeedsRoot) {
  if (geteuid() == 0) {
    // Drop to nobody for this one run; skip when the tool to do so is missing.
    if (std::system("command -v setpriv >/dev/null 2>&1") != 0) {
      GTEST_SKIP() << "setpriv (util-linux) is not installed";
    }
    std::string cmd = "setpriv --reuid=65534 --regid=65534 --clear-groups " + knetsim_binary() +
                      " calibrate --kernel --out /dev/null >/dev/null 2>/tmp/knetsim-calib-nonroot.err";
    int raw = std::system(cmd.c_str());
    int status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    if (status == 126 || status == 127) GTEST_SKIP() << "cannot run the binary as nobody here";
    EXPECT_EQ(status, 2);
    std::ifstream e("/tmp/knetsim-calib-nonroot.err");
    std::stringstream ss;
    ss << e.rdbuf();
    std::remove("/tmp/knetsim-calib-nonroot.err");
    EXPECT_NE(ss.str().find("needs root"), std::string::npos) << ss.str();
    return;
  }
  CliResult r = run_knetsim("calibrate --kernel --out /dev/null");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("needs root"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace knetsim::testing
