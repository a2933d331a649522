// Where a value came from in the user's input, so every later message can point at it.
#pragma once

#include <string>

namespace knetsim::core {

struct SourceRef {
  std::string file;  // as given by the user (or "<generated>")
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown

  std::string str() const {
    if (line == 0) return file;
    return file + ":" + std::to_string(line) + ":" + std::to_string(column);
  }
};

}  // namespace knetsim::core
