#include "sim/core/load_limits.h"

namespace knetsim::core {

LoadLimits& load_limits() {
  static LoadLimits limits;
  return limits;
}

}  // namespace knetsim::core
