// Turns a fuzzer's bytes into choices for the structured targets (fuzz_policy, fuzz_rules). Our own
// instead of clang's FuzzedDataProvider so the targets also build with gcc for the regression
// replay in the normal test pass. Reads from the front; once the bytes run out every choice is
// its lowest value, so any input is a complete, valid description.
#pragma once

#include <cstddef>
#include <cstdint>

namespace knetsim::fuzz {

class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  // A value in [lo, hi] (hi >= lo), from as few bytes as the range needs.
  uint64_t range(uint64_t lo, uint64_t hi) {
    uint64_t span = hi - lo;
    uint64_t v = 0;
    for (uint64_t s = span; s != 0 && pos_ < size_; s >>= 8) v = (v << 8) | data_[pos_++];
    return span == UINT64_MAX ? v : lo + v % (span + 1);
  }
  int upto(int n) { return static_cast<int>(range(0, static_cast<uint64_t>(n))); }
  int between(int lo, int hi) {
    return lo + static_cast<int>(range(0, static_cast<uint64_t>(hi - lo)));
  }
  bool flag() { return range(0, 1) == 1; }
  uint32_t u32() { return static_cast<uint32_t>(range(0, UINT32_MAX)); }
  template <typename T, size_t N>
  const T& pick(const T (&arr)[N]) {
    return arr[range(0, N - 1)];
  }
  bool exhausted() const { return pos_ >= size_; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

}  // namespace knetsim::fuzz
