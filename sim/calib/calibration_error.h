// The error `knetsim calibrate` reports when the kernel environment does not allow a measurement
// (not root, a tool missing, a command rejected); the CLI prints it and exits non-zero.
#pragma once

#include <stdexcept>
#include <string>

namespace knetsim::calib {

class CalibrationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace knetsim::calib
