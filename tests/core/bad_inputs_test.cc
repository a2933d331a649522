// The bad-input suite: every file under tests/core/bad_inputs/ must be rejected with exactly
// the message recorded in tests/golden/core/bad_inputs.tsv (file:line:column, field path, what
// was expected). Regenerate the golden file only deliberately, after reading each message.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "sim/core/cluster.h"
#include "sim/core/scenario_loader.h"
#include "sim/models/profiles/profiles.h"

namespace knetsim::core {
namespace {

namespace fs = std::filesystem;

const char* kDir = "tests/core/bad_inputs";

std::map<std::string, std::string> expected_messages() {
  std::map<std::string, std::string> out;
  std::ifstream in("tests/golden/core/bad_inputs.tsv");
  std::string line;
  while (std::getline(in, line)) {
    auto tab = line.find('\t');
    if (tab != std::string::npos) out[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return out;
}

// The message the full load (scenario, cluster, profile) fails with, or "" when it succeeds.
std::string load_error(const std::string& path) {
  Diagnostics diags;
  try {
    Scenario sc = load_scenario(path, diags);
    build_cluster(sc, diags);
    models::profile_for(sc);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

TEST(BadInputs, SuiteHasAtLeastThirtyCasesAllWithExpectations) {
  auto expected = expected_messages();
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(kDir)) {
    if (e.path().extension() != ".yaml") continue;
    ++files;
    EXPECT_TRUE(expected.count(e.path().filename().string())) << e.path();
  }
  EXPECT_GE(files, 30u);
  EXPECT_EQ(files, expected.size());
}

TEST(BadInputs, EachFileFailsWithItsExactLocatedMessage) {
  for (const auto& [file, message] : expected_messages()) {
    std::string path = std::string(kDir) + "/" + file;
    EXPECT_EQ(load_error(path), message) << path;
    // Every message names the file first.
    EXPECT_EQ(message.rfind(path, 0), 0u) << message;
  }
}

TEST(BadInputs, MostMessagesCarryLineAndColumn) {
  size_t located = 0, total = 0;
  for (const auto& [file, message] : expected_messages()) {
    ++total;
    std::string prefix = std::string(kDir) + "/" + file + ":";
    if (message.rfind(prefix, 0) == 0 && std::isdigit(static_cast<unsigned char>(message[prefix.size()]))) {
      ++located;
    }
  }
  // Only input without any position (an empty file) may lack line:column.
  EXPECT_GE(located + 1, total);
}

}  // namespace
}  // namespace knetsim::core
