// The simulation driver (see simulation.h).
#include "sim/engine/simulation.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <tuple>
#include <unordered_map>

#include <simgrid/s4u.hpp>
#include <simgrid/simix.hpp>
#include <xbt/log.h>

#include "sim/core/rng.h"
#include "sim/engine/platform.h"
#include "sim/models/kubeproxy/datapath_cost.h"
#include "sim/models/path/path_model.h"

namespace knetsim::sim {

namespace sg4 = simgrid::s4u;
using models::path::HopKind;
using models::path::Outcome;
using models::path::Prediction;
using models::path::RequestSpec;
using models::path::ServerState;

namespace {

// A request's hops merged into SimGrid activities: consecutive CPU hops on one host become one
// exec; the application hop stays its own exec (its length is drawn per request).
struct Stage {
  enum class Kind : uint8_t { Exec, Comm, Wait } kind = Kind::Exec;
  bool app = false;
  int32_t host = 0;
  int32_t to = 0;
  double amount = 0;  // flops (= ns at the reference clock), bytes, or ns
};

struct Plan {
  std::vector<Stage> stages;
  Outcome outcome = Outcome::Ok;
  std::vector<std::pair<int32_t, double>> network_cpu;  // per host, ns
  int32_t app_host = -1;
  int rules = 0;
  bool first_packet = false;
  std::optional<core::PodId> server_pod;
  int32_t server_host = 0;
};

Plan make_plan(const Prediction& p, bool new_conn) {
  Plan plan;
  plan.outcome = p.outcome;
  plan.rules = p.rules_evaluated;
  plan.first_packet = new_conn && p.rules_evaluated > 0;
  plan.server_pod = p.server_pod;
  plan.server_host = p.server_host;
  std::map<int32_t, double> cpu;
  for (const auto& h : p.hops) {
    if (h.kind == HopKind::Cpu && h.application) {
      plan.stages.push_back({Stage::Kind::Exec, true, h.host, h.host, 0});
      plan.app_host = h.host;
      continue;
    }
    if (h.kind == HopKind::Cpu) {
      if (h.ns <= 0) continue;
      cpu[h.host] += static_cast<double>(h.ns);
      if (!plan.stages.empty() && plan.stages.back().kind == Stage::Kind::Exec &&
          !plan.stages.back().app && plan.stages.back().host == h.host) {
        plan.stages.back().amount += static_cast<double>(h.ns);
      } else {
        plan.stages.push_back({Stage::Kind::Exec, false, h.host, h.host, static_cast<double>(h.ns)});
      }
    } else if (h.kind == HopKind::Wire) {
      plan.stages.push_back({Stage::Kind::Comm, false, h.host, h.to_host, static_cast<double>(h.bytes)});
    } else {
      plan.stages.push_back({Stage::Kind::Wait, false, h.host, h.host, static_cast<double>(h.ns)});
    }
  }
  plan.network_cpu.assign(cpu.begin(), cpu.end());
  return plan;
}

struct Conn {
  size_t version = 0;
  size_t backend = 0;
};

struct TrafficState {
  const core::TrafficSpec* spec = nullptr;
  std::vector<core::PodId> sources;
  size_t rr = 0;
  size_t entry_rr = 0;
  std::optional<core::ServiceId> svc;
  std::vector<std::vector<Conn>> idle;  // per source: keep-alive connections not in use
  core::Rng rng{1};
  int64_t stop_ns = 0;
  double sigma = 0;  // lognormal service time
};

struct Request {
  uint32_t cls = 0;
  uint32_t source = 0;
  int64_t start_ns = 0;
  const Plan* plan = nullptr;
  uint32_t stage = 0;
  double app_ns = 0;
  bool new_conn = true;
  Conn conn;
  int32_t conntrack_node = -1;
  sg4::ActivityPtr act;
};

using PlanKey = std::tuple<size_t, uint32_t, int64_t, int32_t, int64_t, bool, int>;

class Simulator {
 public:
  Simulator(const core::Scenario& s, const core::Cluster& c, const core::Profile& p,
            const RunOptions& o)
      : scenario_(s), profile_(p), options_(o),
        end_ns_(s.duration_ns),
        cp_(s, c, p, s.duration_ns) {}

  SimulationResult run();

 private:
  void setup_traffic();
  void start_request(uint32_t cls);
  void launch(uint32_t id);
  void on_complete(const sg4::Activity& a);
  void finish(uint32_t id);
  void apply_truth(const TruthChange& t);
  int64_t now_ns() const { return static_cast<int64_t>(std::llround(sg4::Engine::get_clock() * 1e9)); }
  size_t second(int64_t ns) const { return static_cast<size_t>(std::max<int64_t>(0, ns) / 1'000'000'000); }
  double sample_service_ns(TrafficState& ts);
  const Plan* plan_for(const PlanKey& key, const RequestSpec& rs, size_t version);
  bool conntrack_admit(int32_t node, bool keepalive);
  size_t current_version(int64_t now) const;

  const core::Scenario& scenario_;
  const core::Profile& profile_;
  RunOptions options_;
  int64_t end_ns_;
  ControlPlane cp_;
  Platform pf_;
  SimulationResult res_;
  std::vector<TrafficState> traffic_;
  std::vector<size_t> node_version_;
  std::vector<bool> node_down_;
  std::set<std::string> down_pods_;
  std::vector<std::deque<int64_t>> conntrack_expiry_;
  std::vector<uint64_t> conntrack_long_;
  std::vector<uint64_t> conntrack_max_;
  std::map<PlanKey, std::unique_ptr<Plan>> plans_;
  std::vector<Request> reqs_;
  std::vector<uint32_t> free_;
  std::unordered_map<const sg4::Activity*, uint32_t> inflight_;
  std::vector<sg4::ActivityPtr> retired_;
  std::unique_ptr<Plan> conntrack_full_plan_;
  bool has_policies_ = false;
  int64_t timeout_ns_ = 0;
};

Simulator* g_sim = nullptr;

void Simulator::setup_traffic() {
  const core::Cluster& c0 = *cp_.versions()[0].cluster;
  for (const core::TrafficSpec& t : scenario_.traffic) {
    TrafficState ts;
    ts.spec = &t;
    ts.rng = core::Rng(options_.seed, "traffic/" + t.name);
    ts.stop_ns = std::min(end_ns_, t.stop_ns.value_or(end_ns_));
    if (!t.from.external) {
      if (!t.from.pod.empty()) {
        if (auto p = c0.find_pod(t.from.pod)) ts.sources.push_back(*p);
      } else {
        for (core::PodId i = 0; i < c0.pods.size(); ++i) {
          const core::Pod& pod = c0.pods[i];
          if (pod.ns == t.from.ns && pod.node != core::kNoNode && t.from.selector.matches(pod.labels)) {
            ts.sources.push_back(i);
          }
        }
      }
      if (ts.sources.empty()) {
        res_.warnings.push_back("traffic " + t.name + ": no pod matches its source; no requests");
      }
    } else {
      ts.sources.push_back(0);
    }
    if (t.to.kind == core::TargetKind::Service || t.to.kind == core::TargetKind::NodePort ||
        t.to.kind == core::TargetKind::LoadBalancer) {
      ts.svc = c0.find_service(t.to.name);
    }
    ts.idle.resize(ts.sources.size());
    if (t.service_time.dist == core::Distribution::Lognormal && t.service_time.value_ns > 0) {
      ts.sigma = std::log(static_cast<double>(t.service_time.p99_ns) / t.service_time.value_ns) / 2.326347874;
    }
    traffic_.push_back(std::move(ts));
    ClassMetrics m;
    m.name = t.name;
    res_.classes.push_back(std::move(m));
  }
}

double Simulator::sample_service_ns(TrafficState& ts) {
  const core::DurationDist& d = ts.spec->service_time;
  switch (d.dist) {
    case core::Distribution::Constant:
      return static_cast<double>(d.value_ns);
    case core::Distribution::Exponential:
      return ts.rng.exponential(static_cast<double>(d.value_ns));
    case core::Distribution::Lognormal:
      return static_cast<double>(d.value_ns) * std::exp(ts.sigma * ts.rng.normal());
    case core::Distribution::Uniform:
      return static_cast<double>(d.value_ns) + ts.rng.uniform() * static_cast<double>(d.high_ns - d.value_ns);
  }
  return 0;
}

size_t Simulator::current_version(int64_t now) const {
  size_t v = 0;
  const auto& vs = const_cast<ControlPlane&>(cp_).versions();
  while (v + 1 < vs.size() && vs[v + 1].visible_ns <= now) ++v;
  return v;
}

bool Simulator::conntrack_admit(int32_t node, bool keepalive) {
  if (node < 0) return true;
  auto& q = conntrack_expiry_[static_cast<size_t>(node)];
  int64_t now = now_ns();
  while (!q.empty() && q.front() <= now) q.pop_front();
  uint64_t used = q.size() + conntrack_long_[static_cast<size_t>(node)];
  if (used >= conntrack_max_[static_cast<size_t>(node)]) return false;
  if (keepalive) {
    ++conntrack_long_[static_cast<size_t>(node)];
  } else {
    q.push_back(now + static_cast<int64_t>(profile_.get("conntrack_tcp_timeout_ns")));
  }
  NodeMetrics& nm = res_.nodes[static_cast<size_t>(node)];
  nm.conntrack_peak = std::max<uint64_t>(nm.conntrack_peak, used + 1);
  return true;
}

const Plan* Simulator::plan_for(const PlanKey& key, const RequestSpec& rs, size_t version) {
  auto it = plans_.find(key);
  if (it != plans_.end()) return it->second.get();
  Prediction p = cp_.versions()[version].path->predict_request(rs);
  auto plan = std::make_unique<Plan>(make_plan(p, rs.new_connection));
  const Plan* out = plan.get();
  plans_.emplace(key, std::move(plan));
  return out;
}

void Simulator::start_request(uint32_t cls) {
  TrafficState& ts = traffic_[cls];
  const core::TrafficSpec& t = *ts.spec;
  int64_t now = now_ns();
  if (ts.sources.empty() || now >= ts.stop_ns) return;
  auto& versions = cp_.versions();
  const core::Cluster& c0 = *versions[0].cluster;

  // The client: the next source pod whose node is up (round robin).
  uint32_t src = 0;
  bool found = t.from.external;
  for (size_t k = 0; !found && k < ts.sources.size(); ++k) {
    src = static_cast<uint32_t>(ts.rr++ % ts.sources.size());
    const core::Pod& pod = c0.pods[ts.sources[src]];
    found = !node_down_[pod.node] && !down_pods_.count(pod.key());
  }
  if (!found) return;
  RequestSpec rs;
  rs.target = t.to;
  rs.protocol = t.protocol;
  rs.request_bytes = t.request_bytes;
  rs.response_bytes = t.response_bytes;
  rs.dns_lookup = t.dns_lookup;
  int32_t route_node = -1;
  bool external_entry = t.to.kind == core::TargetKind::NodePort ||
                        t.to.kind == core::TargetKind::LoadBalancer;
  if (!t.from.external) {
    rs.client_pod = ts.sources[src];
    route_node = static_cast<int32_t>(c0.pods[ts.sources[src]].node);
  } else if (external_entry) {
    core::NodeId entry = 0;
    if (auto n = t.to.node.empty() ? std::nullopt : c0.find_node(t.to.node)) {
      entry = *n;
    } else {
      // The cloud LB (or a client spreading over node addresses) picks a healthy node; with
      // externalTrafficPolicy Local, an LB's health checks keep only nodes with endpoints.
      std::vector<core::NodeId> candidates;
      const core::Cluster& cur = *versions[current_version(now)].cluster;
      bool local_lb = t.to.kind == core::TargetKind::LoadBalancer && ts.svc &&
                      cur.services[*ts.svc].external_traffic_policy == core::TrafficPolicy::Local;
      std::set<std::string> with_endpoints;
      if (local_lb) {
        for (const auto& sp : cur.services[*ts.svc].ports) {
          for (const auto& b : cur.backends_of(*ts.svc, sp)) {
            if (b.endpoint && b.endpoint->ready) with_endpoints.insert(b.endpoint->node_name);
          }
        }
      }
      for (core::NodeId n = 0; n < cur.nodes.size(); ++n) {
        if (node_down_[n] && t.to.kind == core::TargetKind::LoadBalancer) continue;
        if (local_lb && !with_endpoints.count(cur.nodes[n].name)) continue;
        candidates.push_back(n);
      }
      if (candidates.empty()) candidates.push_back(0);
      entry = candidates[ts.entry_rr++ % candidates.size()];
    }
    rs.entry_node = entry;
    route_node = static_cast<int32_t>(entry);
  } else {
    route_node = static_cast<int32_t>(versions[0].path->ingress_controller_node());
  }
  size_t version = route_node >= 0 ? node_version_[static_cast<size_t>(route_node)] : 0;

  Request r;
  r.cls = cls;
  r.source = src;
  r.start_ns = now;
  bool keepalive = t.keepalive;
  auto& idle = ts.idle[src];
  if (keepalive && !idle.empty()) {
    r.conn = idle.back();
    idle.pop_back();
    r.new_conn = false;
    version = r.conn.version;
  } else {
    r.new_conn = true;
    r.conn.version = version;
  }
  rs.new_connection = r.new_conn;
  ClusterVersion& cv = versions[version];
  bool local_external = external_entry && ts.svc &&
                        cv.cluster->services[*ts.svc].external_traffic_policy == core::TrafficPolicy::Local;
  int64_t backend_key = -1;
  if (r.new_conn && ts.svc && !local_external) {
    std::optional<size_t> pi;
    const auto& ports = cv.cluster->services[*ts.svc].ports;
    for (size_t i = 0; i < ports.size(); ++i) {
      if (ports[i].port == t.to.port || (external_entry && ports[i].node_port == t.to.port)) pi = i;
    }
    core::Ipv4 client_ip = rs.client_pod ? c0.pods[*rs.client_pod].ip : core::Ipv4{0xC6336401};
    std::optional<size_t> b = pi ? cv.selector->choose(*ts.svc, *pi, client_ip, now) : std::nullopt;
    if (b) r.conn.backend = *b;
    backend_key = b ? static_cast<int64_t>(*b) : -2;
  } else if (!r.new_conn && ts.svc) {
    backend_key = static_cast<int64_t>(r.conn.backend);
  }
  if (backend_key >= 0) rs.backend_index = static_cast<size_t>(backend_key);

  int64_t client_key = has_policies_ && rs.client_pod ? static_cast<int64_t>(*rs.client_pod)
                                                      : static_cast<int64_t>(route_node) - 1000000;
  PlanKey key{version, cls, client_key, route_node, backend_key, r.new_conn, 0};
  const Plan* plan = plan_for(key, rs, version);
  // Is the endpoint this version routes to still there?
  ServerState state = ServerState::Alive;
  if (plan->outcome == Outcome::Ok || plan->outcome == Outcome::PolicyDenied) {
    if (plan->server_host >= 0 && node_down_[static_cast<size_t>(plan->server_host)]) {
      state = ServerState::NodeDown;
    } else if (plan->server_pod && down_pods_.count(cv.cluster->pods[*plan->server_pod].key())) {
      state = ServerState::PodGone;
    }
  }
  if (state != ServerState::Alive) {
    rs.server_state = state;
    std::get<6>(key) = static_cast<int>(state);
    plan = plan_for(key, rs, version);
  }
  if (r.new_conn && plan->outcome == Outcome::Ok) {
    r.conntrack_node = route_node;
    if (!conntrack_admit(route_node, keepalive)) plan = conntrack_full_plan_.get();
  }
  r.plan = plan;
  r.app_ns = plan->app_host != -1 || !plan->stages.empty() ? sample_service_ns(ts) : 0;

  // CPU accounting per node and second.
  size_t sec = second(now);
  for (const auto& [host, ns] : plan->network_cpu) {
    if (host < 0) continue;
    auto& v = res_.nodes[static_cast<size_t>(host)].network_cpu_ns_per_s;
    if (sec < v.size()) v[sec] += ns;
  }
  if (plan->app_host >= 0) {
    auto& v = res_.nodes[static_cast<size_t>(plan->app_host)].app_cpu_ns_per_s;
    if (sec < v.size()) v[sec] += r.app_ns;
  }
  ++res_.classes[cls].started;
  ++res_.requests_simulated;

  uint32_t id;
  if (!free_.empty()) {
    id = free_.back();
    free_.pop_back();
    reqs_[id] = std::move(r);
  } else {
    id = static_cast<uint32_t>(reqs_.size());
    reqs_.push_back(std::move(r));
  }
  launch(id);
}

void Simulator::launch(uint32_t id) {
  Request& r = reqs_[id];
  while (r.stage < r.plan->stages.size()) {
    const Stage& s = r.plan->stages[r.stage];
    double amount = s.app ? r.app_ns : s.amount;
    if (amount <= 0) {
      ++r.stage;
      continue;
    }
    sg4::ActivityPtr act;
    if (s.kind == Stage::Kind::Comm) {
      act = sg4::Comm::sendto_async(pf_.host(s.host), pf_.host(s.to), static_cast<uint64_t>(amount));
    } else {
      sg4::Host* h = s.kind == Stage::Kind::Wait ? pf_.timer : pf_.host(s.host);
      sg4::ExecPtr e = sg4::Exec::init();
      e->set_host(h);
      e->set_flops_amount(amount);
      e->start();
      act = e;
    }
    ++res_.activities;
    inflight_[act.get()] = id;
    r.act = std::move(act);
    return;
  }
  finish(id);
}

void Simulator::on_complete(const sg4::Activity& a) {
  auto it = inflight_.find(&a);
  if (it == inflight_.end()) return;
  uint32_t id = it->second;
  inflight_.erase(it);
  // Keep the finished activity alive until SimGrid is done with it (freed at the next one).
  retired_.clear();
  retired_.push_back(std::move(reqs_[id].act));
  ++reqs_[id].stage;
  launch(id);
}

void Simulator::finish(uint32_t id) {
  Request& r = reqs_[id];
  int64_t now = now_ns();
  ClassMetrics& m = res_.classes[r.cls];
  TrafficState& ts = traffic_[r.cls];
  bool counted = r.start_ns >= scenario_.warmup_ns;
  size_t sec = second(r.start_ns);
  Outcome o = r.plan->outcome;
  if (o == Outcome::Ok) {
    if (counted) {
      m.latency.add(now - r.start_ns);
      if (r.new_conn) m.new_connection.add(now - r.start_ns);
      ++m.ok;
      if (r.plan->first_packet) {
        m.first_packet_rules_sum += r.plan->rules;
        ++m.first_packets;
      }
    }
    if (sec < m.ok_per_s.size()) {
      ++m.ok_per_s[sec];
      m.latency_sum_ns_per_s[sec] += static_cast<double>(now - r.start_ns);
    }
    if (ts.spec->keepalive) ts.idle[r.source].push_back(r.conn);
  } else {
    if (counted) ++m.errors[models::path::outcome_name(o)];
    if (sec < m.errors_per_s.size()) ++m.errors_per_s[sec];
    if (ts.spec->keepalive && !r.new_conn && r.conntrack_node >= 0) {
      --conntrack_long_[static_cast<size_t>(r.conntrack_node)];
    }
  }
  uint32_t cls = r.cls;
  free_.push_back(id);
  if (ts.spec->concurrency > 0) start_request(cls);  // closed loop: the next request at once
}

void Simulator::apply_truth(const TruthChange& t) {
  switch (t.kind) {
    case TruthChange::Kind::PodDown:
      down_pods_.insert(t.pod);
      break;
    case TruthChange::Kind::PodUp:
      down_pods_.erase(t.pod);
      break;
    case TruthChange::Kind::NodeDown:
      node_down_[t.node] = true;
      break;
    case TruthChange::Kind::NodeUp:
      node_down_[t.node] = false;
      break;
  }
}

SimulationResult Simulator::run() {
  const core::Cluster& c0 = *cp_.versions()[0].cluster;
  res_.scenario = scenario_.name;
  res_.seed = options_.seed;
  res_.duration_ns = end_ns_;
  res_.warmup_ns = scenario_.warmup_ns;
  res_.cni = cp_.versions()[0].path->cni().label();
  res_.kube_proxy_mode = core::kube_proxy_mode_name(cp_.versions()[0].path->proxy_mode());
  res_.pod_mtu = cp_.versions()[0].path->cni().pod_mtu;
  res_.services = c0.services.size();
  res_.pods = c0.pods.size();
  res_.warnings = cp_.warnings();
  has_policies_ = !c0.network_policies.empty();
  size_t seconds = static_cast<size_t>((end_ns_ + 999'999'999) / 1'000'000'000);
  for (const auto& n : c0.nodes) {
    res_.node_names.push_back(n.name);
    res_.node_cores.push_back(n.cpu_cores);
    NodeMetrics nm;
    nm.network_cpu_ns_per_s.assign(seconds, 0);
    nm.app_cpu_ns_per_s.assign(seconds, 0);
    int per_core = scenario_.kube_proxy.conntrack_max_per_core.value_or(
        static_cast<int>(profile_.get("conntrack_max_per_core")));
    nm.conntrack_max = std::max<uint64_t>(static_cast<uint64_t>(per_core) * n.cpu_cores,
                                          static_cast<uint64_t>(profile_.get("conntrack_min")));
    conntrack_max_.push_back(nm.conntrack_max);
    res_.nodes.push_back(std::move(nm));
  }
  conntrack_expiry_.resize(c0.nodes.size());
  conntrack_long_.assign(c0.nodes.size(), 0);
  node_version_.assign(c0.nodes.size(), 0);
  node_down_.assign(c0.nodes.size(), false);
  setup_traffic();
  for (auto& m : res_.classes) {
    m.ok_per_s.assign(seconds, 0);
    m.errors_per_s.assign(seconds, 0);
    m.latency_sum_ns_per_s.assign(seconds, 0);
  }
  timeout_ns_ = static_cast<int64_t>(profile_.get("connect_timeout_ns"));
  conntrack_full_plan_ = std::make_unique<Plan>();
  conntrack_full_plan_->outcome = Outcome::ConntrackFull;
  conntrack_full_plan_->stages.push_back(
      {Stage::Kind::Wait, false, 0, 0, static_cast<double>(timeout_ns_)});

  int argc = 1;
  char arg0[] = "knetsim";
  char* argv[] = {arg0, nullptr};
  xbt_log_control_set("root.thresh:critical");
  sg4::Engine e(&argc, argv);
  sg4::Engine::set_config("network/model:CM02");
  sg4::Engine::set_config("network/latency-factor:1");
  sg4::Engine::set_config("network/bandwidth-factor:1");
  sg4::Engine::set_config("network/crosstraffic:0");
  sg4::Engine::set_config("network/weight-S:0");
  pf_ = build_platform(c0, cp_.versions()[0].path->fabric(), profile_);
  g_sim = this;
  sg4::Activity::on_completion_cb([](const sg4::Activity& a) { g_sim->on_complete(a); });

  sg4::Host* ctl = pf_.timer;
  // Arrivals: one actor per traffic class.
  for (uint32_t k = 0; k < traffic_.size(); ++k) {
    sg4::Actor::create("traffic-" + traffic_[k].spec->name, ctl, [this, k] {
      TrafficState& ts = traffic_[k];
      const core::TrafficSpec& t = *ts.spec;
      sg4::this_actor::sleep_until(t.start_ns * 1e-9);
      if (t.concurrency > 0) {
        simgrid::kernel::actor::simcall_answered([this, k, &t] {
          for (int i = 0; i < t.concurrency; ++i) start_request(k);
        });
        return;
      }
      double next = static_cast<double>(t.start_ns);
      double mean = 1e9 / t.rate_per_s;
      while (true) {
        next += t.arrival == core::Arrival::Poisson ? ts.rng.exponential(mean) : mean;
        if (next >= static_cast<double>(ts.stop_ns)) break;
        sg4::this_actor::sleep_until(next * 1e-9);
        // Requests start in maestro context: SimGrid signals completion of such activities.
        simgrid::kernel::actor::simcall_answered([this, k] { start_request(k); });
      }
    });
  }
  // The control plane: endpoint truth changes and the end of each node's kube-proxy sync.
  sg4::Actor::create("control-plane", ctl, [this] {
    struct Step {
      int64_t at;
      int order;
      size_t index;
    };
    std::vector<Step> steps;
    for (size_t i = 0; i < cp_.truth_changes().size(); ++i) {
      steps.push_back({cp_.truth_changes()[i].at_ns, 0, i});
    }
    for (size_t i = 0; i < cp_.syncs().size(); ++i) {
      if (cp_.syncs()[i].version != 0) steps.push_back({cp_.syncs()[i].end_ns, 1, i});
    }
    std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) {
      return std::tie(a.at, a.order, a.index) < std::tie(b.at, b.order, b.index);
    });
    for (const Step& s : steps) {
      if (s.at >= end_ns_) break;
      sg4::this_actor::sleep_until(s.at * 1e-9);
      if (s.order == 0) {
        apply_truth(cp_.truth_changes()[s.index]);
      } else {
        const SyncRecord& r = cp_.syncs()[s.index];
        node_version_[r.node] = std::max(node_version_[r.node], r.version);
      }
    }
  });
  if (options_.progress) {
    sg4::Actor::create("progress", ctl, [this] {
      for (int i = 1; i <= 100; ++i) {
        sg4::this_actor::sleep_until(end_ns_ * 1e-9 * i / 100.0);
        options_.progress(i / 100.0);
      }
    });
  }
  e.run();
  retired_.clear();
  res_.syncs = cp_.syncs();
  res_.events = cp_.events();
  return std::move(res_);
}

}  // namespace

SimulationResult run_simulation(const core::Scenario& scenario, const core::Cluster& cluster,
                                const core::Profile& profile, const RunOptions& options) {
  Simulator sim(scenario, cluster, profile, options);
  return sim.run();
}

}  // namespace knetsim::sim
