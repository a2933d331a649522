#include "sim/core/quantity.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace knetsim::core {

namespace {

// Splits "12.5ms" into 12.5 and "ms". Returns false when no number leads.
bool split_number(std::string_view text, double& number, std::string_view& unit) {
  size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) {
    ++i;
  }
  if (i == 0) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + i, number);
  if (ec != std::errc{} || ptr != text.data() + i) return false;
  unit = text.substr(i);
  return true;
}

}  // namespace

std::optional<int64_t> parse_duration_ns(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text == "0") return 0;
  double total = 0;
  while (!text.empty()) {
    double n = 0;
    std::string_view rest;
    if (!split_number(text, n, rest)) return std::nullopt;
    size_t unit_len = 0;
    while (unit_len < rest.size() && std::isalpha(static_cast<unsigned char>(rest[unit_len]))) {
      ++unit_len;
    }
    std::string_view unit = rest.substr(0, unit_len);
    double scale = 0;
    if (unit == "ns") scale = 1;
    else if (unit == "us" || unit == "µs") scale = 1e3;
    else if (unit == "ms") scale = 1e6;
    else if (unit == "s") scale = 1e9;
    else if (unit == "m") scale = 60e9;
    else if (unit == "h") scale = 3600e9;
    else return std::nullopt;
    total += n * scale;
    text = rest.substr(unit_len);
  }
  if (total > 9.2e18) return std::nullopt;
  return static_cast<int64_t>(std::llround(total));
}

std::optional<int64_t> parse_bytes(std::string_view text) {
  double n = 0;
  std::string_view unit;
  if (!split_number(text, n, unit)) return std::nullopt;
  double scale = 0;
  if (unit.empty() || unit == "B") scale = 1;
  else if (unit == "KB" || unit == "kB") scale = 1e3;
  else if (unit == "MB") scale = 1e6;
  else if (unit == "GB") scale = 1e9;
  else if (unit == "KiB" || unit == "Ki") scale = 1024;
  else if (unit == "MiB" || unit == "Mi") scale = 1024.0 * 1024;
  else if (unit == "GiB" || unit == "Gi") scale = 1024.0 * 1024 * 1024;
  else return std::nullopt;
  double v = n * scale;
  if (v > 9.2e18) return std::nullopt;
  return static_cast<int64_t>(std::llround(v));
}

std::optional<double> parse_bits_per_second(std::string_view text) {
  double n = 0;
  std::string_view unit;
  if (!split_number(text, n, unit)) return std::nullopt;
  if (unit == "bps") return n;
  if (unit == "Kbps" || unit == "kbps") return n * 1e3;
  if (unit == "Mbps") return n * 1e6;
  if (unit == "Gbps") return n * 1e9;
  if (unit == "Tbps") return n * 1e12;
  return std::nullopt;
}

std::string format_duration(int64_t ns) {
  char buf[64];
  double v = static_cast<double>(ns);
  if (ns % 1'000'000'000 == 0) std::snprintf(buf, sizeof buf, "%llds", (long long)(ns / 1'000'000'000));
  else if (ns >= 1'000'000'000) std::snprintf(buf, sizeof buf, "%.3gs", v / 1e9);
  else if (ns >= 1'000'000) std::snprintf(buf, sizeof buf, "%.3gms", v / 1e6);
  else if (ns >= 1'000) std::snprintf(buf, sizeof buf, "%.3gus", v / 1e3);
  else std::snprintf(buf, sizeof buf, "%lldns", (long long)ns);
  return buf;
}

int64_t field_duration_ns(const Field& f) {
  auto v = parse_duration_ns(f.str());
  if (!v) f.error("expected a duration such as 500us, 2ms, 1.5s or 1m30s, got " + f.describe());
  return *v;
}

int64_t field_bytes(const Field& f) {
  auto v = parse_bytes(f.str());
  if (!v) f.error("expected a size such as 200, 1500B, 2KiB or 1MB, got " + f.describe());
  return *v;
}

double field_bits_per_second(const Field& f) {
  auto v = parse_bits_per_second(f.str());
  if (!v) f.error("expected a bit rate such as 100Mbps, 10Gbps or 25Gbps, got " + f.describe());
  return *v;
}

}  // namespace knetsim::core
