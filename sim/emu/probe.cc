#include "sim/emu/probe.h"

#include <fmt/core.h>

#include <boost/asio/post.hpp>
#include <map>
#include <set>

#include "sim/emu/address_map.h"

namespace knetsim::emu {

namespace asio = boost::asio;

namespace {

bool probeable(const core::Pod& p) {
  return p.node != core::kNoNode && p.ip.value != 0 && !p.spec.host_network &&
         p.phase == "Running";
}

std::string hostname_of(const core::Pod& p) {
  return p.spec.hostname.empty() ? p.name : p.spec.hostname;
}

// Runs the exchanges with at most `limit` in flight.
class Scheduler {
 public:
  Scheduler(asio::io_context& io, std::vector<Exchange> exchanges, size_t limit,
            std::vector<ExchangeResult>& results)
      : io_(io), ex_(std::move(exchanges)), limit_(limit), results_(results) {
    results_.resize(ex_.size());
  }
  void start() {
    for (size_t i = 0; i < limit_ && next_ < ex_.size(); ++i) launch();
  }

 private:
  void launch() {
    size_t i = next_++;
    async_exchange(io_, ex_[i], [this, i](ExchangeResult r) {
      results_[i] = std::move(r);
      if (next_ < ex_.size()) launch();
    });
  }
  asio::io_context& io_;
  std::vector<Exchange> ex_;
  size_t limit_;
  size_t next_ = 0;
  std::vector<ExchangeResult>& results_;
};

}  // namespace

ProbeReport run_probe(Emulator& emu, const ProbeOptions& options) {
  auto model = emu.model();
  const auto& c = model->cluster();
  const auto& ports = emu.runtime().options().ports;
  ProbeReport report;
  std::set<ProbeTarget> targets;
  std::map<core::PodId, std::set<ProbeTarget>> served;
  for (core::PodId id = 0; id < c.pods.size(); ++id) {
    const auto& p = c.pods[id];
    if (!probeable(p)) continue;
    report.pods.push_back(id);
    for (const auto& ctr : p.spec.containers) {
      for (const auto& cp : ctr.ports) {
        if (cp.protocol == core::Protocol::SCTP) continue;
        ProbeTarget t{cp.container_port, cp.protocol};
        targets.insert(t);
        served[id].insert(t);
      }
    }
  }
  report.targets.assign(targets.begin(), targets.end());
  std::vector<Exchange> exchanges;
  for (const auto& t : report.targets) {
    for (core::PodId src : report.pods) {
      for (core::PodId dst : report.pods) {
        if (!served[dst].count(t)) continue;  // nothing listens there: no cell
        ProbeCell cell;
        cell.src = src;
        cell.dst = dst;
        cell.target = t;
        auto v = model->policy().check(src, dst, t.port, t.protocol);
        cell.expected = v.allowed;
        cell.reason = v.reason;
        report.cells.push_back(cell);
        Exchange ex;
        ex.protocol = t.protocol;
        ex.from = mapped_address(c.pods[src].ip);
        ex.to = mapped_address(c.pods[dst].ip);
        ex.port = ports.map(t.port).value_or(0);
        ex.timeout = options.timeout;
        ex.payload = t.protocol == core::Protocol::UDP
                         ? std::string("hostname")
                         : http_get(c.pods[dst].ip.str(), "/hostname");
        exchanges.push_back(std::move(ex));
      }
    }
  }
  asio::io_context io;
  std::vector<ExchangeResult> results;
  Scheduler sched(io, std::move(exchanges), std::max<size_t>(1, options.concurrency), results);
  sched.start();
  io.run();
  for (size_t i = 0; i < report.cells.size(); ++i) {
    auto& cell = report.cells[i];
    const auto& r = results[i];
    cell.outcome = r.outcome;
    std::string want = hostname_of(c.pods[cell.dst]);
    if (r.outcome == Outcome::Ok) {
      std::string got = r.reply;
      if (cell.target.protocol == core::Protocol::TCP) {
        auto http = parse_http_reply(r.reply);
        got = http ? http->body : std::string();
      }
      cell.observed = got == want;
      if (!cell.observed) cell.detail = fmt::format("answered \"{}\", expected \"{}\"", got, want);
    } else {
      cell.observed = false;
      cell.detail = fmt::format("{}{}{}", outcome_name(r.outcome), r.detail.empty() ? "" : ": ",
                                r.detail);
    }
    if (cell.observed != cell.expected) ++report.mismatches;
  }
  return report;
}

std::string format_probe(const core::Cluster& c, const ProbeReport& report) {
  std::string out;
  // Short row/column labels: the pod's index; the legend maps them to names.
  std::map<core::PodId, size_t> label;
  for (size_t i = 0; i < report.pods.size(); ++i) label[report.pods[i]] = i;
  out += "PODS\n";
  for (size_t i = 0; i < report.pods.size(); ++i) {
    const auto& p = c.pods[report.pods[i]];
    out += fmt::format("  {:>3}  {:<40} {}\n", i, p.key(), p.ip.str());
  }
  std::map<std::tuple<core::PodId, core::PodId, int, core::Protocol>, const ProbeCell*> at;
  for (const auto& cell : report.cells) {
    at[{cell.src, cell.dst, cell.target.port, cell.target.protocol}] = &cell;
  }
  for (const auto& t : report.targets) {
    out += fmt::format("\n{}/{}  (rows: from, columns: to; . connected, X blocked, ! differs "
                       "from the policy engine, - not served)\n",
                       t.port, core::protocol_name(t.protocol));
    out += "     ";
    for (size_t i = 0; i < report.pods.size(); ++i) out += fmt::format("{:>4}", i);
    out += "\n";
    for (core::PodId src : report.pods) {
      out += fmt::format("{:>4} ", label[src]);
      for (core::PodId dst : report.pods) {
        auto it = at.find({src, dst, t.port, t.protocol});
        char ch = '-';
        if (it != at.end()) {
          const auto* cell = it->second;
          ch = cell->observed != cell->expected ? '!' : cell->observed ? '.' : 'X';
        }
        out += fmt::format("{:>4}", ch);
      }
      out += "\n";
    }
  }
  size_t allowed = 0;
  for (const auto& cell : report.cells) allowed += cell.observed;
  out += fmt::format("\n{} cells probed, {} connected, {} blocked, {} mismatches\n",
                     report.cells.size(), allowed, report.cells.size() - allowed,
                     report.mismatches);
  for (const auto& cell : report.cells) {
    if (cell.observed == cell.expected) continue;
    out += fmt::format("MISMATCH {} -> {} {}/{}: policy engine says {}, connection {} ({})\n  {}\n",
                       c.pods[cell.src].key(), c.pods[cell.dst].key(), cell.target.port,
                       core::protocol_name(cell.target.protocol),
                       cell.expected ? "allowed" : "denied",
                       cell.observed ? "connected" : "failed", cell.detail, cell.reason);
  }
  return out;
}

}  // namespace knetsim::emu
