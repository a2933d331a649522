// A latency histogram with bounded relative error (log-linear buckets: 128 per power of two,
// < 0.8 % error), exact count, sum and max. Deterministic: integer arithmetic only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace knetsim::sim {

class Histogram {
 public:
  void add(int64_t ns);
  uint64_t count() const { return count_; }
  int64_t max() const { return max_; }
  double mean() const { return count_ ? static_cast<double>(sum_) / count_ : 0; }
  // The value at quantile q in [0, 1] (bucket midpoint; exact max for q = 1).
  int64_t quantile(double q) const;
  // Non-empty buckets as (low, high, count), ascending.
  struct Bucket {
    int64_t low;
    int64_t high;
    uint64_t count;
  };
  std::vector<Bucket> buckets() const;

 private:
  static size_t index_of(int64_t ns);
  static int64_t low_of(size_t index);
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  __extension__ __int128 sum_ = 0;
  int64_t max_ = 0;
};

}  // namespace knetsim::sim
