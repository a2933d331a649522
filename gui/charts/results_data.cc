#include "gui/charts/results_data.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

namespace knetsim::gui {
namespace {

using Row = std::vector<std::string>;

// Simple CSV (no quoting: knetsim writes none); the last column keeps any further commas.
std::vector<Row> read_csv(const std::string& path, size_t columns) {
  std::vector<Row> rows;
  std::ifstream in(path);
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (header) {
      header = false;
      continue;
    }
    if (line.empty()) continue;
    Row r;
    size_t pos = 0;
    while (r.size() + 1 < columns) {
      size_t c = line.find(',', pos);
      if (c == std::string::npos) break;
      r.push_back(line.substr(pos, c - pos));
      pos = c + 1;
    }
    r.push_back(line.substr(pos));
    if (r.size() == columns) rows.push_back(std::move(r));
  }
  return rows;
}

double num(const std::string& s) {
  try {
    return std::stod(s);
  } catch (...) {
    return 0;
  }
}

void latency_charts(const std::string& dir, ResultsCharts& out) {
  auto rows = read_csv(dir + "/histogram.csv", 5);  // traffic,kind,low_ms,high_ms,count
  ChartSpec cdf{.id = "latency_cdf",
                .title = "Request latency CDF per traffic class",
                .x_label = "latency (ms)",
                .y_label = "fraction of requests ≤ x",
                .log_x = true,
                .y_max = 1.0};
  ChartSpec hist{.id = "latency_histogram",
                 .title = "Request latency histogram per traffic class",
                 .x_label = "latency (ms, bucket upper bound)",
                 .y_label = "requests",
                 .log_x = true};
  std::map<std::string, std::vector<std::pair<double, double>>> buckets;  // series -> (high, count)
  std::vector<std::string> order;
  for (const auto& r : rows) {
    std::string name = r[1] == "all" ? r[0] : r[0] + " (new connections)";
    if (!buckets.count(name)) order.push_back(name);
    buckets[name].emplace_back(num(r[3]), num(r[4]));
  }
  for (const auto& name : order) {
    auto& b = buckets[name];
    std::sort(b.begin(), b.end());
    double total = 0;
    for (auto& [x, c] : b) total += c;
    if (total <= 0) continue;
    ChartSeries c{name, {}}, h{name, {}};
    double run = 0;
    for (auto& [x, count] : b) {
      run += count;
      c.points.emplace_back(x, run / total);
      h.points.emplace_back(x, count);
    }
    cdf.series.push_back(std::move(c));
    hist.series.push_back(std::move(h));
  }
  if (!cdf.series.empty()) {
    out.charts.push_back(std::move(cdf));
    out.charts.push_back(std::move(hist));
  }
}

void timeseries_chart(const std::string& dir, ResultsCharts& out) {
  auto rows = read_csv(dir + "/timeseries.csv", 5);  // second,traffic,ok,errors,mean_latency_ms
  ChartSpec ok{.id = "throughput", .title = "Completed requests and errors per second",
               .x_label = "simulated second", .y_label = "requests / s"};
  ChartSpec lat{.id = "latency_over_time", .title = "Mean latency per second",
                .x_label = "simulated second", .y_label = "mean latency (ms)"};
  std::map<std::string, size_t> idx;
  for (const auto& r : rows) {
    if (!idx.count(r[1])) {
      idx[r[1]] = ok.series.size() / 2;
      ok.series.push_back({r[1] + " ok", {}});
      ok.series.push_back({r[1] + " errors", {}});
      lat.series.push_back({r[1], {}});
    }
    size_t i = idx[r[1]];
    double s = num(r[0]);
    ok.series[2 * i].points.emplace_back(s, num(r[2]));
    ok.series[2 * i + 1].points.emplace_back(s, num(r[3]));
    if (num(r[2]) > 0) lat.series[i].points.emplace_back(s, num(r[4]));
  }
  if (!ok.series.empty()) {
    out.charts.push_back(std::move(ok));
    out.charts.push_back(std::move(lat));
  }
}

void cpu_chart(const std::string& dir, ResultsCharts& out) {
  auto rows = read_csv(dir + "/cpu.csv", 4);  // second,node,network_cpu_cores,application_cpu_cores
  std::map<std::string, std::vector<std::pair<double, double>>> per_node;
  std::map<std::string, double> total;
  std::map<double, std::pair<double, int>> mean;
  for (const auto& r : rows) {
    per_node[r[1]].emplace_back(num(r[0]), num(r[2]));
    total[r[1]] += num(r[2]);
    auto& m = mean[num(r[0])];
    m.first += num(r[2]);
    m.second += 1;
  }
  if (per_node.empty()) return;
  ChartSpec cpu{.id = "network_cpu_per_node",
                .title = "Network-stack CPU per node (cores busy)",
                .x_label = "simulated second",
                .y_label = "cores"};
  std::vector<std::pair<double, std::string>> busiest;
  for (auto& [n, t] : total) busiest.emplace_back(-t, n);
  std::sort(busiest.begin(), busiest.end());
  for (size_t i = 0; i < std::min(kMaxNodeSeries, busiest.size()); ++i)
    cpu.series.push_back({busiest[i].second, per_node[busiest[i].second]});
  if (per_node.size() > kMaxNodeSeries) {
    ChartSeries m{fmt::format("mean of {} nodes", per_node.size()), {}};
    for (auto& [s, v] : mean) m.points.emplace_back(s, v.first / v.second);
    cpu.series.push_back(std::move(m));
  }
  out.charts.push_back(std::move(cpu));
}

void sync_chart(const std::string& dir, ResultsCharts& out) {
  auto rows = read_csv(dir + "/syncs.csv", 6);  // start_s,node,duration_ms,rules,changed,reason
  if (rows.empty()) return;
  ChartSpec syncs{.id = "sync_duration",
                  .title = "kube-proxy sync duration over time (per node)",
                  .x_label = "simulated second",
                  .y_label = "sync duration (ms)"};
  std::map<std::string, size_t> idx;
  for (const auto& r : rows) {
    if (!idx.count(r[1])) {
      if (idx.size() >= kMaxNodeSeries) continue;
      idx[r[1]] = syncs.series.size();
      syncs.series.push_back({r[1], {}});
    }
    syncs.series[idx[r[1]]].points.emplace_back(num(r[0]), num(r[2]));
  }
  out.charts.push_back(std::move(syncs));
}

}  // namespace

ResultsCharts results_charts(const std::string& dir) {
  ResultsCharts out;
  std::string summary = dir + "/summary.json";
  if (!std::filesystem::exists(summary)) {
    out.error = dir + " is not a knetsim results folder (no summary.json)";
    return out;
  }
  try {
    std::ifstream in(summary);
    auto j = nlohmann::json::parse(in);
    auto str = [&](const char* k) {
      return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string();
    };
    out.title = str("scenario");
    if (!str("kubeProxyMode").empty()) out.title += " — kube-proxy " + str("kubeProxyMode");
    if (!str("cni").empty()) out.title += ", " + str("cni");
  } catch (const std::exception& e) {
    out.error = summary + ": " + e.what();
    return out;
  }
  latency_charts(dir, out);
  timeseries_chart(dir, out);
  cpu_chart(dir, out);
  sync_chart(dir, out);
  for (auto& c : out.charts)
    if (!out.title.empty()) c.title += " — " + out.title;
  return out;
}

}  // namespace knetsim::gui
