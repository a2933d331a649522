// Reads plain Kubernetes YAML (multi-document files, `kind: List`) into a ManifestSet.
// Kinds knetsim models are parsed strictly; other well-formed kinds are noted and skipped.
#pragma once

#include <string>

#include "sim/core/diagnostics.h"
#include "sim/core/scenario.h"
#include "sim/core/yaml_field.h"

namespace knetsim::core {

// Parses one object (or a List of objects) into `out`.
void parse_manifest_object(const Field& doc, ManifestSet& out);

// Parses every document of a file. Empty documents are skipped.
void load_manifest_file(const std::string& path, ManifestSet& out, Diagnostics& diags);

}  // namespace knetsim::core
