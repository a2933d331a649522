// The resolved cluster as JSON: the documented, stable schema of `knetsim describe -o json`
// (docs/CLI.md, schema "knetsim.describe/v1"). Key order is fixed so output is byte-stable.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "sim/core/cluster.h"
#include "sim/core/diagnostics.h"

namespace knetsim::core {

using OrderedJson = nlohmann::ordered_json;

OrderedJson cluster_to_json(const Cluster& cluster, const Diagnostics& diags);
OrderedJson selector_to_json(const LabelSelector& sel);

// Any JSON value as block-style YAML (for `-o yaml`).
std::string json_to_yaml(const OrderedJson& j);

}  // namespace knetsim::core
