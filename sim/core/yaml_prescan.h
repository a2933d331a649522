// A pass over a YAML stream's parser events, before any node is built: it enforces the
// documents-per-file limit while parsing (not after), and refuses the inputs on which
// yaml-cpp 0.7's LoadAll never returns (a "," or other stray token where a document should start
// makes it emit empty documents forever, allocating each; yaml-cpp issue #1040, fixed upstream in
// 0.8.0+ by PR #1319). Costs about a third of LoadAll's time (docs/PERFORMANCE.md).
#pragma once

#include <string>

namespace knetsim::core {

// Throws a located ScenarioError naming `name` when the stream is refused.
void prescan_yaml_stream(const std::string& text, const std::string& name);

}  // namespace knetsim::core
