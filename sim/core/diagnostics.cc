#include "sim/core/diagnostics.h"

namespace knetsim::core {

std::string Diagnostic::str() const {
  std::string out = where.str();
  if (!out.empty()) out += ": ";
  if (!field.empty()) out += field + ": ";
  return out + message;
}

}  // namespace knetsim::core
