// Parsing of the unit-bearing quantities scenarios use: durations ("50us", "1.5s"), byte sizes
// ("2KiB", "1500") and bit rates ("25Gbps"). Each returns nullopt on malformed text; the located
// wrappers in field_quantity.h turn that into a user-facing error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/core/yaml_field.h"

namespace knetsim::core {

// ns, us, ms, s, m, h (and Kubernetes' "1m30s" compound form).
std::optional<int64_t> parse_duration_ns(std::string_view text);
// B, KB/MB/GB (powers of 1000), KiB/MiB/GiB (powers of 1024); a bare number is bytes.
std::optional<int64_t> parse_bytes(std::string_view text);
// bps, Kbps, Mbps, Gbps, Tbps (powers of 1000).
std::optional<double> parse_bits_per_second(std::string_view text);

std::string format_duration(int64_t ns);

// Located forms: the field must hold such a quantity, else a ScenarioError.
int64_t field_duration_ns(const Field& f);
int64_t field_bytes(const Field& f);
double field_bits_per_second(const Field& f);

}  // namespace knetsim::core
