// Log-linear histogram (see histogram.h).
#include "sim/engine/histogram.h"

#include <algorithm>
#include <bit>

namespace knetsim::sim {

namespace {
constexpr int kSubBits = 7;  // 128 sub-buckets per power of two
constexpr int64_t kSub = int64_t{1} << kSubBits;
}  // namespace

size_t Histogram::index_of(int64_t ns) {
  uint64_t v = static_cast<uint64_t>(std::max<int64_t>(ns, 0));
  if (v < static_cast<uint64_t>(kSub)) return static_cast<size_t>(v);
  int msb = 63 - std::countl_zero(v);
  int shift = msb - kSubBits;
  uint64_t sub = (v >> shift) - kSub;
  return static_cast<size_t>((shift + 1) * kSub + sub);
}

int64_t Histogram::low_of(size_t index) {
  int64_t i = static_cast<int64_t>(index);
  if (i < kSub) return i;
  int64_t shift = i / kSub - 1;
  int64_t sub = i % kSub;
  return (kSub + sub) << shift;
}

void Histogram::add(int64_t ns) {
  size_t i = index_of(ns);
  if (i >= counts_.size()) counts_.resize(i + 1, 0);
  ++counts_[i];
  ++count_;
  sum_ += ns;
  max_ = std::max(max_, ns);
}

int64_t Histogram::quantile(double q) const {
  if (count_ == 0) return 0;
  if (q >= 1.0) return max_;
  uint64_t rank = static_cast<uint64_t>(q * static_cast<double>(count_));
  if (rank >= count_) rank = count_ - 1;
  uint64_t seen = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen > rank) {
      int64_t lo = low_of(i);
      int64_t hi = low_of(i + 1);
      return std::min(max_, lo + (hi - lo) / 2);
    }
  }
  return max_;
}

std::vector<Histogram::Bucket> Histogram::buckets() const {
  std::vector<Bucket> out;
  for (size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i]) out.push_back({low_of(i), low_of(i + 1), counts_[i]});
  }
  return out;
}

}  // namespace knetsim::sim
