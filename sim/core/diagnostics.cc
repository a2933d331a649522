#include "sim/core/diagnostics.h"

namespace knetsim::core {

std::string Diagnostic::str() const {
  std::string out = where.str();
  if (!out.empty()) out += ": ";
  if (field.size() > 120) {
    out += field.substr(0, 40) + "..." + field.substr(field.size() - 60) + ": ";
  } else if (!field.empty()) {
    out += field + ": ";
  }
  return out + message;
}

}  // namespace knetsim::core
