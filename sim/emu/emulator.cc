#include "sim/emu/emulator.h"

#include <fmt/core.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>

#include <csignal>
#include <map>
#include <set>

#include "sim/core/quantity.h"
#include "sim/models/profiles/profiles.h"

namespace knetsim::emu {

namespace asio = boost::asio;

void Runtime::report_limit() {
  int64_t now = now_ns();
  int64_t last = last_limit_report_ns_.load(std::memory_order_relaxed);
  if (now - last < 1'000'000'000) return;
  if (!last_limit_report_ns_.compare_exchange_strong(last, now)) return;
  fmt::print(stderr,
             "knetsim emulate: connection limit {} reached (--max-connections); new connections "
             "are reset ({} refused so far)\n",
             budget_.limit(), budget_.refused());
}

std::shared_ptr<Model> make_model(const core::Scenario& scenario, core::Cluster cluster) {
  auto profile = models::profile_for(scenario);
  uint64_t seed = cluster.seed;
  return std::make_shared<Model>(std::move(cluster), std::move(profile), seed);
}

namespace {

// Descriptors needed: two per proxied connection plus one per listener, plus headroom.
void check_descriptor_limit(size_t listeners, const Options& o) {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return;
  rlim_t need = static_cast<rlim_t>(listeners + 2 * o.max_connections + 64);
  if (rl.rlim_cur >= need) return;
  rlimit want = rl;
  want.rlim_cur = std::min(need, rl.rlim_max);
  setrlimit(RLIMIT_NOFILE, &want);
  getrlimit(RLIMIT_NOFILE, &rl);
  if (rl.rlim_cur < need) {
    throw EmuError(fmt::format(
        "--max-connections {} with {} listeners needs about {} file descriptors but the limit is "
        "{} (hard {}); lower --max-connections or raise the limit (ulimit -n)",
        o.max_connections, listeners, need, rl.rlim_cur, rl.rlim_max));
  }
}

// The default connection limit: what the descriptor limit allows (raised to its hard limit),
// leaving room for listeners, at most 10000.
size_t auto_max_connections() {
  constexpr size_t kDefault = 10000;
  constexpr size_t kReserve = 1024;  // listeners, event sinks, stdio
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return kDefault;
  if (rl.rlim_cur < rl.rlim_max) {
    rlimit want = rl;
    want.rlim_cur = rl.rlim_max == RLIM_INFINITY ? 1u << 20 : rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &want);
    getrlimit(RLIMIT_NOFILE, &rl);
  }
  if (rl.rlim_cur <= 2 * kReserve) return 64;
  return std::min<size_t>(kDefault, (rl.rlim_cur - kReserve) / 2);
}

}  // namespace

Emulator::Emulator(core::Scenario scenario, core::Cluster cluster, Options options)
    : scenario_(std::move(scenario)), base_(scenario_) {
  if (options.threads < 1) options.threads = 1;
  if (options.max_connections == 0) options.max_connections = auto_max_connections();
  auto model = make_model(scenario_, std::move(cluster));
  auto collisions = model->mapping_collisions();
  if (!collisions.empty()) {
    std::string msg = "addresses collide once mapped to 127.0.0.0/8 (the first octet is replaced):";
    for (const auto& c : collisions) msg += "\n  " + c;
    throw EmuError(msg + "\n  give the pod, service and node ranges distinct last three octets");
  }
  rt_ = std::make_unique<Runtime>(std::move(options), model);
  std::vector<BindError> errors;
  start_pod_servers(*model, errors);
  start_service_listeners(*model, errors);
  if (!errors.empty()) {
    std::string msg;
    size_t shown = 0;
    for (const auto& e : errors) {
      if (shown++ == 5) {
        msg += fmt::format("\n... and {} more", errors.size() - 5);
        break;
      }
      msg += (msg.empty() ? "" : "\n") + e.what;
    }
    throw EmuError(msg);
  }
  check_descriptor_limit(listener_count(), rt_->options());
  try {
    if (!rt_->options().events_file.empty()) rt_->events().open_file(rt_->options().events_file);
    if (!rt_->options().events_socket.empty()) {
      rt_->events().open_socket(io_, rt_->options().events_socket);
    }
  } catch (const std::exception& e) {
    throw EmuError(e.what());
  }
  write_state();
}

nlohmann::json state_json(const Model& model, const Options& options) {
  const auto& c = model.cluster();
  nlohmann::json j{{"port_offset", options.ports.offset}, {"pid", ::getpid()}};
  auto& pods = j["pods"] = nlohmann::json::object();
  for (const auto& p : c.pods) {
    if (p.ip.value == 0) continue;
    pods[p.key()] = {{"ip", p.ip.str()}, {"loopback", loopback_of(p.ip).str()},
                     {"hostNetwork", p.spec.host_network}};
  }
  auto& svcs = j["services"] = nlohmann::json::object();
  for (const auto& s : c.services) {
    if (!s.cluster_ip) continue;
    auto ports = nlohmann::json::array();
    for (const auto& port : s.ports) {
      ports.push_back({{"name", port.name}, {"port", port.port},
                       {"protocol", core::protocol_name(port.protocol)},
                       {"nodePort", port.node_port}});
    }
    svcs[s.key()] = {{"clusterIP", s.cluster_ip->str()},
                     {"loopback", loopback_of(*s.cluster_ip).str()}, {"ports", ports}};
  }
  j["domain"] = c.spec.dns_domain;
  return j;
}

void Emulator::write_state() const {
  const auto& path = rt_->options().state_file;
  if (path.empty()) return;
  std::string tmp = path + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "w");
  if (!f) return;
  std::string text = state_json(*rt_->model(), rt_->options()).dump(2);
  std::fwrite(text.data(), 1, text.size(), f);
  std::fclose(f);
  std::rename(tmp.c_str(), path.c_str());
}

Emulator::~Emulator() {
  shutdown();
  pods_.clear();
  retired_pods_.clear();
  services_.clear();
}

void Emulator::start_pod_servers(const Model& model, std::vector<BindError>& errors) {
  const auto& c = model.cluster();
  std::set<std::string> running;
  for (const auto& p : pods_) running.insert(p->key());
  std::set<std::pair<uint32_t, int>> host_ports;  // hostNetwork pods share their node's address
  for (core::PodId id = 0; id < c.pods.size(); ++id) {
    const auto& pod = c.pods[id];
    if (pod.node == core::kNoNode || pod.ip.value == 0 || pod.phase != "Running") continue;
    if (running.count(pod.key())) continue;
    bool has_ports = false;
    for (const auto& ctr : pod.spec.containers) has_ports |= !ctr.ports.empty();
    if (!has_ports) continue;
    auto server = std::make_unique<PodServer>(io_, *rt_, id, pod, pod.ip, errors);
    pods_.push_back(std::move(server));
  }
}

void Emulator::start_service_listeners(const Model& model, std::vector<BindError>& errors) {
  const auto& c = model.cluster();
  for (core::ServiceId id = 0; id < c.services.size(); ++id) {
    const auto& svc = c.services[id];
    if (svc.headless || !svc.cluster_ip) continue;
    for (size_t pi = 0; pi < svc.ports.size(); ++pi) {
      const auto& port = svc.ports[pi];
      if (port.protocol == core::Protocol::SCTP) continue;
      ListenerSpec spec{id, pi, svc.key(), port.name, port.port, port.protocol, *svc.cluster_ip,
                        std::nullopt};
      std::optional<BindError> err;
      services_.push_back(std::make_unique<ServiceListener>(io_, *rt_, spec, err));
      if (err) errors.push_back(*err);
      if (svc.has_node_ports() && port.node_port > 0) {
        for (core::NodeId n = 0; n < c.nodes.size(); ++n) {
          ListenerSpec np{id, pi, svc.key(), port.name, port.node_port, port.protocol,
                          c.nodes[n].ip, n};
          std::optional<BindError> e2;
          services_.push_back(std::make_unique<ServiceListener>(io_, *rt_, np, e2));
          if (e2) errors.push_back(*e2);
        }
      }
    }
  }
}

size_t Emulator::listener_count() const {
  size_t n = services_.size();
  for (const auto& p : pods_) n += p->listeners();
  return n;
}

std::string Emulator::listening_table() const {
  auto model = rt_->model();
  const auto& c = model->cluster();
  const auto& ports = rt_->options().ports;
  std::string out = fmt::format("{:<44} {:<16} {:<16} {}\n", "OBJECT", "MODEL ADDRESS",
                                "LOOPBACK", "PORTS (bound)");
  for (const auto& p : pods_) {
    auto id = c.find_pod(p->key());
    if (!id) continue;
    const auto& pod = c.pods[*id];
    std::string list;
    for (const auto& ctr : pod.spec.containers) {
      for (const auto& cp : ctr.ports) {
        list += fmt::format("{}{}/{}", list.empty() ? "" : " ", ports.map(cp.container_port).value_or(0),
                            core::protocol_name(cp.protocol));
      }
    }
    out += fmt::format("{:<44} {:<16} {:<16} {}\n", "pod " + pod.key(), pod.ip.str(),
                       loopback_of(pod.ip).str(), list);
  }
  std::set<std::string> serving;
  for (const auto& p : pods_) serving.insert(p->key());
  for (const auto& pod : c.pods) {  // pods without ports: still sources (bind to their address)
    if (serving.count(pod.key()) || pod.ip.value == 0 || pod.spec.host_network) continue;
    out += fmt::format("{:<44} {:<16} {:<16} {}\n", "pod " + pod.key(), pod.ip.str(),
                       loopback_of(pod.ip).str(), "(no ports: source only)");
  }
  for (const auto& s : services_) {
    const auto& sp = s->spec();
    std::string obj = (sp.node ? "nodeport " : "service ") + sp.service_key;
    if (sp.node) obj += " @" + c.nodes[*sp.node].name;
    out += fmt::format("{:<44} {:<16} {:<16} {}/{}\n", obj, sp.sim_ip.str(),
                       loopback_of(sp.sim_ip).str(), ports.map(sp.service_port).value_or(0),
                       core::protocol_name(sp.protocol));
  }
  return out;
}

namespace {

// The scenario that reproduces `target` while every pod already running in `current` keeps
// its node and IP, as a real cluster does when a Deployment is scaled: surviving pods become
// pinned standalone pods (nodeName and status.podIP given), pods new in `target` join unpinned
// IPs on the node the scheduler chose for them, and the workloads themselves are dropped (their
// pods are all listed).
core::Scenario frozen_scenario(const core::Scenario& base, const core::Cluster& current,
                               const core::Cluster& target) {
  core::Scenario out = base;
  out.objects.pods.clear();
  out.objects.pod_ip_given.clear();
  out.objects.workloads.clear();
  out.generate.deployments.clear();
  // Traffic and events name workloads that the frozen copy no longer has; the model takes them
  // from the live scenario, so the frozen cluster is built without them.
  out.traffic.clear();
  out.events.clear();
  for (const auto& p : target.pods) {
    core::Pod pod = p;
    bool given = false;
    if (auto old = current.find_pod(p.key())) {
      const auto& was = current.pods[*old];
      pod.ip = was.ip;
      pod.node = was.node;
      if (was.node != core::kNoNode) pod.spec.node_name = current.nodes[was.node].name;
      given = was.ip.value != 0 && !was.spec.host_network;
    } else if (p.node != core::kNoNode) {
      pod.spec.node_name = target.nodes[p.node].name;
    }
    out.objects.pods.push_back(std::move(pod));
    out.objects.pod_ip_given.push_back(given);
  }
  return out;
}

}  // namespace

std::string Emulator::apply_event(const core::EventSpec& ev) {
  core::Scenario next = base_;
  std::string note;
  if (ev.kind == core::EventKind::Scale) {
    bool found = false;
    for (auto& w : next.objects.workloads) {
      if (w.key() == ev.target) {
        w.replicas = ev.count;
        found = true;
      }
    }
    if (!found) return fmt::format("scale: no workload {}", ev.target);
    note = fmt::format("scaled {} to {} replicas", ev.target, ev.count);
  } else if (ev.kind == core::EventKind::DeletePod) {
    auto& pods = next.objects.pods;
    size_t before = pods.size();
    std::vector<bool> given;
    std::vector<core::Pod> kept;
    for (size_t i = 0; i < pods.size(); ++i) {
      if (pods[i].key() == ev.target) continue;
      kept.push_back(pods[i]);
      if (i < next.objects.pod_ip_given.size()) given.push_back(next.objects.pod_ip_given[i]);
    }
    if (kept.size() == before) {
      return fmt::format("deletePod: {} is not a standalone pod; not applied by the emulator",
                         ev.target);
    }
    pods = std::move(kept);
    next.objects.pod_ip_given = std::move(given);
    note = fmt::format("deleted pod {}", ev.target);
  } else {
    return fmt::format("event {} at {} is not applied by the emulator",
                       core::event_kind_name(ev.kind), core::format_duration(ev.at_ns));
  }
  core::Diagnostics diags;
  core::Cluster cluster;
  try {
    core::Cluster target = core::build_cluster(next, diags);
    cluster = core::build_cluster(frozen_scenario(next, rt_->model()->cluster(), target), diags);
  } catch (const std::exception& e) {
    return fmt::format("event not applied: {}", e.what());
  }
  base_ = next;
  auto model = make_model(next, std::move(cluster));
  if (!model->mapping_collisions().empty()) return "event not applied: address collision";
  // Pods that went away stop listening; new ones start; the rest keep their sockets.
  std::set<std::string> keys;
  for (const auto& p : model->cluster().pods) keys.insert(p.key());
  for (auto it = pods_.begin(); it != pods_.end();) {
    auto id = model->cluster().find_pod((*it)->key());
    auto old_id = rt_->model()->cluster().find_pod((*it)->key());
    bool same_ip = id && old_id &&
                   model->cluster().pods[*id].ip == rt_->model()->cluster().pods[*old_id].ip;
    if (!keys.count((*it)->key()) || !same_ip) {
      (*it)->close();
      retired_pods_.push_back(std::move(*it));
      it = pods_.erase(it);
    } else {
      ++it;
    }
  }
  rt_->set_model(model);
  std::vector<BindError> errors;
  start_pod_servers(*model, errors);
  write_state();
  for (const auto& e : errors) note += "\n  " + e.what;
  if (rt_->events().enabled()) {
    nlohmann::json endpoints = nlohmann::json::object();
    const auto& c = model->cluster();
    for (core::ServiceId s = 0; s < c.services.size(); ++s) {
      for (const auto& port : c.services[s].ports) {
        auto& list = endpoints[c.services[s].key() + ":" + std::to_string(port.port)];
        list = nlohmann::json::array();
        for (const auto& b : c.backends_of(s, port)) {
          list.push_back(fmt::format("{}:{}", b.ip.str(), b.port));
        }
      }
    }
    rt_->events().emit({{"t_ns", rt_->now_ns()},
                        {"kind", "model"},
                        {"event", core::event_kind_name(ev.kind)},
                        {"target", ev.target},
                        {"note", note},
                        {"endpoints", endpoints}});
  }
  return note;
}

void Emulator::schedule_events() {
  if (!rt_->options().apply_scenario_events) return;
  for (const auto& ev : scenario_.events) {
    auto t = std::make_unique<asio::steady_timer>(io_);
    t->expires_after(rt_->real_delay(ev.at_ns));
    auto copy = ev;
    t->async_wait([this, copy](boost::system::error_code ec) {
      if (ec) return;
      std::string note = apply_event(copy);
      if (!rt_->options().quiet) fmt::print(stderr, "knetsim emulate: {}\n", note);
    });
    event_timers_.push_back(std::move(t));
  }
}

void Emulator::run(bool handle_signals) {
  if (handle_signals) {
    signals_ = std::make_unique<asio::signal_set>(io_, SIGINT, SIGTERM);
    signals_->async_wait([this](boost::system::error_code ec, int sig) {
      if (ec) return;
      if (!rt_->options().quiet) {
        fmt::print(stderr, "knetsim emulate: {} received, shutting down\n",
                   sig == SIGINT ? "SIGINT" : "SIGTERM");
      }
      stop();
    });
  }
  if (rt_->options().duration_ns > 0) {
    duration_timer_ = std::make_unique<asio::steady_timer>(io_);
    duration_timer_->expires_after(std::chrono::nanoseconds(rt_->options().duration_ns));
    duration_timer_->async_wait([this](boost::system::error_code ec) {
      if (!ec) stop();
    });
  }
  schedule_events();
  std::vector<std::thread> extra;
  for (int i = 1; i < rt_->options().threads; ++i) extra.emplace_back([this] { io_.run(); });
  io_.run();
  for (auto& t : extra) t.join();
  shutdown();
}

void Emulator::stop() {
  if (stopping_.exchange(true)) return;
  asio::post(io_, [this] {
    for (auto& p : pods_) p->close();
    for (auto& s : services_) s->close();
    for (auto& t : event_timers_) t->cancel();
    if (duration_timer_) duration_timer_->cancel();
    if (signals_) {
      boost::system::error_code ec;
      signals_->cancel(ec);
    }
    rt_->events().close();
    io_.stop();  // open connections are closed when their handlers are destroyed
  });
}

void Emulator::shutdown() {
  stopping_ = true;
  if (!rt_->options().state_file.empty()) std::remove(rt_->options().state_file.c_str());
  if (!io_.stopped()) io_.stop();
}

}  // namespace knetsim::emu
