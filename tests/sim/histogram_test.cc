// The latency histogram: quantiles within its stated relative error.
#include <gtest/gtest.h>

#include "sim/engine/histogram.h"

namespace knetsim::sim {
namespace {

TEST(Histogram, QuantilesAreWithinOnePercent) {
  Histogram h;
  for (int64_t v = 1; v <= 100'000; ++v) h.add(v * 1000);  // 1 us .. 100 ms uniformly
  EXPECT_EQ(h.count(), 100'000u);
  EXPECT_NEAR(h.quantile(0.5), 50'000'000, 50'000'000 * 0.01);
  EXPECT_NEAR(h.quantile(0.99), 99'000'000, 99'000'000 * 0.01);
  EXPECT_EQ(h.quantile(1.0), 100'000'000);
  EXPECT_EQ(h.max(), 100'000'000);
  uint64_t total = 0;
  for (const auto& b : h.buckets()) total += b.count;
  EXPECT_EQ(total, h.count());
}

TEST(Histogram, EmptyHistogramReportsZero) {
  Histogram h;
  EXPECT_EQ(h.quantile(0.5), 0);
  EXPECT_EQ(h.count(), 0u);
}

}  // namespace
}  // namespace knetsim::sim
