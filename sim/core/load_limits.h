// Bounds on what a load may consume, so hostile or accidental input (a huge file, an alias
// "bomb", a generator asking for 10^10 objects) is refused quickly with a clear message instead
// of exhausting memory. Documented in docs/RELIABILITY.md; overridable on the command line.
#pragma once

#include <cstddef>
#include <cstdint>

namespace knetsim::core {

struct LoadLimits {
  int64_t max_file_bytes = 64ll << 20;      // one input file
  size_t max_documents = 100'000;           // YAML documents in one file
  size_t max_yaml_nodes = 4'000'000;        // YAML nodes in one file, aliases expanded
  int max_yaml_depth = 256;                 // nesting of mappings/sequences
  int64_t max_objects = 10'000'000;         // pods + endpoints + services after expansion
};

// The limits in force for this process (the CLI sets them from its options).
LoadLimits& load_limits();

}  // namespace knetsim::core
