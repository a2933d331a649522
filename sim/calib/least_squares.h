// Small statistics for calibration: order statistics of timing samples and ordinary least
// squares (a line, or several regressors without an intercept) to fit profile constants.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace knetsim::calib {

// The p-th percentile (0..100) by linear interpolation between order statistics; 0 for none.
double percentile(std::vector<double> samples, double p);
inline double median(std::vector<double> samples) { return percentile(std::move(samples), 50); }

struct LineFit {
  double intercept = 0;
  double slope = 0;
  size_t points = 0;
};

// y = intercept + slope * x; nullopt with fewer than two distinct x.
std::optional<LineFit> fit_line(const std::vector<double>& x, const std::vector<double>& y);

// y = sum_j beta_j * columns[j][i] (no intercept unless a column of ones is given); nullopt when
// the columns are (nearly) linearly dependent or there are fewer points than columns.
std::optional<std::vector<double>> fit_linear(const std::vector<std::vector<double>>& columns,
                                              const std::vector<double>& y);

// Signed relative error of a prediction, (predicted - measured) / measured; 0 when measured is 0.
double relative_error(double predicted, double measured);

}  // namespace knetsim::calib
