#include "sim/calib/least_squares.h"

#include <algorithm>
#include <cmath>

namespace knetsim::calib {

double percentile(std::vector<double> s, double p) {
  if (s.empty()) return 0;
  std::sort(s.begin(), s.end());
  double pos = std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(s.size() - 1);
  auto lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, s.size() - 1);
  double frac = pos - static_cast<double>(lo);
  return s[lo] + (s[hi] - s[lo]) * frac;
}

std::optional<LineFit> fit_line(const std::vector<double>& x, const std::vector<double>& y) {
  size_t n = std::min(x.size(), y.size());
  if (n < 2) return std::nullopt;
  double mx = 0, my = 0;
  for (size_t i = 0; i < n; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxx = 0, sxy = 0;
  for (size_t i = 0; i < n; ++i) {
    sxx += (x[i] - mx) * (x[i] - mx);
    sxy += (x[i] - mx) * (y[i] - my);
  }
  if (sxx <= 1e-12 * std::max(1.0, mx * mx)) return std::nullopt;
  LineFit f;
  f.slope = sxy / sxx;
  f.intercept = my - f.slope * mx;
  f.points = n;
  return f;
}

std::optional<std::vector<double>> fit_linear(const std::vector<std::vector<double>>& cols,
                                              const std::vector<double>& y) {
  size_t k = cols.size();
  size_t n = y.size();
  if (k == 0 || n < k) return std::nullopt;
  for (const auto& c : cols) {
    if (c.size() != n) return std::nullopt;
  }
  // Normal equations A^T A beta = A^T y, columns scaled to unit norm for conditioning, solved
  // by Gaussian elimination with partial pivoting.
  std::vector<double> scale(k, 0);
  for (size_t j = 0; j < k; ++j) {
    double s = 0;
    for (double v : cols[j]) s += v * v;
    scale[j] = std::sqrt(s);
    if (scale[j] == 0) return std::nullopt;
  }
  std::vector<std::vector<double>> m(k, std::vector<double>(k + 1, 0));
  for (size_t a = 0; a < k; ++a) {
    for (size_t b = 0; b < k; ++b) {
      double s = 0;
      for (size_t i = 0; i < n; ++i) s += cols[a][i] * cols[b][i];
      m[a][b] = s / (scale[a] * scale[b]);
    }
    double s = 0;
    for (size_t i = 0; i < n; ++i) s += cols[a][i] * y[i];
    m[a][k] = s / scale[a];
  }
  for (size_t c = 0; c < k; ++c) {
    size_t piv = c;
    for (size_t r = c + 1; r < k; ++r) {
      if (std::abs(m[r][c]) > std::abs(m[piv][c])) piv = r;
    }
    // Unit-norm columns: a pivot this small means the columns are nearly parallel.
    if (std::abs(m[piv][c]) < 1e-9) return std::nullopt;
    std::swap(m[c], m[piv]);
    for (size_t r = 0; r < k; ++r) {
      if (r == c) continue;
      double f = m[r][c] / m[c][c];
      for (size_t q = c; q <= k; ++q) m[r][q] -= f * m[c][q];
    }
  }
  std::vector<double> beta(k);
  for (size_t j = 0; j < k; ++j) beta[j] = m[j][k] / m[j][j] / scale[j];
  return beta;
}

double relative_error(double predicted, double measured) {
  return measured == 0 ? 0 : (predicted - measured) / measured;
}

}  // namespace knetsim::calib
