// A fixed-size bit vector over equivalence classes, with the few whole-word operations the
// class-compressed engine needs (and, or, and-not). Words are 64 bits; bits past size() stay 0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace knetsim::models::policy {

class Bits {
 public:
  Bits() = default;
  explicit Bits(size_t n, bool value = false)
      : n_(n), w_((n + 63) / 64, value ? ~uint64_t{0} : 0) {
    trim();
  }
  size_t size() const { return n_; }
  bool test(size_t i) const { return (w_[i >> 6] >> (i & 63)) & 1u; }
  void set(size_t i) { w_[i >> 6] |= uint64_t{1} << (i & 63); }
  void set_all() {
    for (auto& w : w_) w = ~uint64_t{0};
    trim();
  }
  bool none() const {
    for (auto w : w_) {
      if (w) return false;
    }
    return true;
  }
  Bits& operator|=(const Bits& o) {
    for (size_t i = 0; i < w_.size(); ++i) w_[i] |= o.w_[i];
    return *this;
  }
  Bits& operator&=(const Bits& o) {
    for (size_t i = 0; i < w_.size(); ++i) w_[i] &= o.w_[i];
    return *this;
  }
  // this &= ~o
  Bits& and_not(const Bits& o) {
    for (size_t i = 0; i < w_.size(); ++i) w_[i] &= ~o.w_[i];
    return *this;
  }
  Bits operator~() const {
    Bits r = *this;
    for (auto& w : r.w_) w = ~w;
    r.trim();
    return r;
  }
  friend Bits operator&(Bits a, const Bits& b) { return a &= b; }
  friend Bits operator|(Bits a, const Bits& b) { return a |= b; }
  bool operator==(const Bits&) const = default;
  size_t bytes() const { return w_.size() * sizeof(uint64_t); }
  size_t words() const { return w_.size(); }
  uint64_t word(size_t i) const { return w_[i]; }
  void set_word(size_t i, uint64_t w) {
    w_[i] = w;
    if (i + 1 == w_.size()) trim();
  }

 private:
  void trim() {
    if (n_ % 64 && !w_.empty()) w_.back() &= (uint64_t{1} << (n_ % 64)) - 1;
  }
  size_t n_ = 0;
  std::vector<uint64_t> w_;
};

}  // namespace knetsim::models::policy
