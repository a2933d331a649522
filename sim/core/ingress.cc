#include "sim/core/ingress.h"

namespace knetsim::core {

const char* path_type_name(PathType t) {
  switch (t) {
    case PathType::Exact:
      return "Exact";
    case PathType::Prefix:
      return "Prefix";
    case PathType::ImplementationSpecific:
      return "ImplementationSpecific";
  }
  return "?";
}

}  // namespace knetsim::core
