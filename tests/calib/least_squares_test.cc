#include "sim/calib/least_squares.h"

#include <gtest/gtest.h>

namespace knetsim::calib {
namespace {

TEST(Percentile, InterpolatesBetweenOrderStatistics) {
  EXPECT_DOUBLE_EQ(median({5, 1, 3}), 3);
  EXPECT_DOUBLE_EQ(median({4, 1, 3, 2}), 2.5);
  EXPECT_DOUBLE_EQ(percentile({1, 2, 3, 4, 5}, 100), 5);
  EXPECT_DOUBLE_EQ(percentile({1, 2, 3, 4, 5}, 0), 1);
  EXPECT_DOUBLE_EQ(percentile({}, 50), 0);
}

TEST(FitLine, RecoversAnExactLine) {
  auto f = fit_line({10, 100, 1000}, {1030, 1300, 4000});  // 1000 + 3x
  ASSERT_TRUE(f);
  EXPECT_NEAR(f->slope, 3, 1e-9);
  EXPECT_NEAR(f->intercept, 1000, 1e-6);
  EXPECT_EQ(f->points, 3u);
}

TEST(FitLine, NeedsTwoDistinctX) {
  EXPECT_FALSE(fit_line({5, 5, 5}, {1, 2, 3}));
  EXPECT_FALSE(fit_line({5}, {1}));
}

TEST(FitLinear, SolvesTwoRegressorsWithoutIntercept) {
  // y = 2 a + 7 b
  std::vector<double> a = {1, 2, 3, 4}, b = {1, 0, 2, 5}, y;
  for (size_t i = 0; i < a.size(); ++i) y.push_back(2 * a[i] + 7 * b[i]);
  auto beta = fit_linear({a, b}, y);
  ASSERT_TRUE(beta);
  EXPECT_NEAR((*beta)[0], 2, 1e-9);
  EXPECT_NEAR((*beta)[1], 7, 1e-9);
}

TEST(FitLinear, RejectsParallelColumns) {
  EXPECT_FALSE(fit_linear({{1, 2, 3}, {2, 4, 6}}, {1, 2, 3}));
  EXPECT_FALSE(fit_linear({{1, 2}}, {}));
}

TEST(RelativeError, IsSignedAgainstTheMeasurement) {
  EXPECT_DOUBLE_EQ(relative_error(110, 100), 0.1);
  EXPECT_DOUBLE_EQ(relative_error(90, 100), -0.1);
  EXPECT_DOUBLE_EQ(relative_error(5, 0), 0);
}

}  // namespace
}  // namespace knetsim::calib
