// Golden-file comparison for rule dumps: tests/golden/kubeproxy/<name>. Set
// KNETSIM_UPDATE_GOLDEN=1 to rewrite them (deliberately, then review the diff).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace knetsim::models::kubeproxy::testing {

inline std::string golden_path(const std::string& name) {
  return std::string(KNETSIM_SOURCE_DIR) + "/tests/golden/kubeproxy/" + name;
}

inline void expect_golden(const std::string& name, const std::string& actual) {
  std::string path = golden_path(name);
  if (std::getenv("KNETSIM_UPDATE_GOLDEN")) {
    std::ofstream(path) << actual;
    return;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in.good()) << "missing golden file " << path
                         << " (run with KNETSIM_UPDATE_GOLDEN=1 to create it)";
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), actual) << "golden file " << path << " differs";
}

// kube-proxy's tests compare rulesets after sorting: per table, KUBE-NODEPORTS and KUBE-SERVICES
// first, the other chains by name, each chain's rules in their original order.
inline std::string normalize_iptables(const std::string& dump) {
  std::istringstream in(dump);
  std::string line, out;
  std::vector<std::string> chains;
  std::map<std::string, std::vector<std::string>> rules;
  auto rank = [](const std::string& c) {
    return c == "KUBE-NODEPORTS" ? 0 : c == "KUBE-SERVICES" ? 1 : 2;
  };
  auto flush = [&]() {
    std::sort(chains.begin(), chains.end(), [&](const std::string& a, const std::string& b) {
      return rank(a) != rank(b) ? rank(a) < rank(b) : a < b;
    });
    for (const auto& c : chains) out += ":" + c + " - [0:0]\n";
    for (const auto& c : chains) {
      for (const auto& r : rules[c]) out += r + "\n";
    }
    out += "COMMIT\n";
    chains.clear();
    rules.clear();
  };
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (line[0] == '*') {
      out += line + "\n";
    } else if (line[0] == ':') {
      chains.push_back(line.substr(1, line.find(' ') - 1));
    } else if (line.rfind("-A ", 0) == 0) {
      std::string chain = line.substr(3, line.find(' ', 3) - 3);
      rules[chain].push_back(line);
    } else if (line == "COMMIT") {
      flush();
    }
  }
  return out;
}

inline size_t count_lines(const std::string& text, const std::string& prefix) {
  std::istringstream in(text);
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) n += line.rfind(prefix, 0) == 0;
  return n;
}

}  // namespace knetsim::models::kubeproxy::testing
