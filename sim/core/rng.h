// Deterministic random numbers that are identical on every platform and library version
// (std:: distributions are implementation-defined, so they are not used for anything that
// reaches output). One seed drives everything; independent streams are derived by name.
#pragma once

#include <cmath>
#include <cstdint>
#include <string_view>

namespace knetsim::core {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  // An independent stream for one purpose ("pod-names", "cluster-ips", ...).
  Rng(uint64_t seed, std::string_view stream) : state_(seed ^ fnv1a64(stream)) { next(); }

  // SplitMix64 (Steele, Lea, Flood 2014): passes BigCrush, one add and three mixes per draw.
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) by Lemire's multiply-shift (bias below 2^-32 for n < 2^32).
  uint64_t below(uint64_t n) {
    __extension__ using Wide = unsigned __int128;
    return static_cast<uint64_t>((static_cast<Wide>(next()) * n) >> 64);
  }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Exponential with the given mean.
  double exponential(double mean) { return -mean * std::log1p(-uniform()); }
  // Standard normal by Box-Muller (one of the pair is discarded to stay stateless).
  double normal() {
    double u1 = uniform();
    double u2 = uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

  static constexpr uint64_t fnv1a64(std::string_view s) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (char c : s) {
      h ^= static_cast<unsigned char>(c);
      h *= 0x100000001b3ull;
    }
    return h;
  }

 private:
  uint64_t state_;
};

}  // namespace knetsim::core
