// `knetsim emulate`: the modelled cluster as real sockets on 127.0.0.0/8. Pods get netexec-like
// servers on their mapped addresses, Services get kube-proxy-like listeners on their mapped
// cluster IPs and node ports, every connection is routed, policed and delayed by the model, and
// the scenario's events (scale a Deployment) change the endpoints while traffic flows.
// Single process; one io_context on Options::threads threads.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "sim/core/scenario.h"
#include "sim/emu/pod_server.h"
#include "sim/emu/runtime.h"
#include "sim/emu/service_proxy.h"

namespace knetsim::emu {

// A start-up failure with the complete message for the user (bind errors, collisions, limits).
class EmuError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Emulator {
 public:
  // Builds the model, binds every socket, opens the event sinks; throws EmuError.
  Emulator(core::Scenario scenario, core::Cluster cluster, Options options);
  ~Emulator();

  // Runs until the duration ends, stop() is called or SIGINT/SIGTERM arrives (when
  // `handle_signals`). Returns after every thread has joined.
  void run(bool handle_signals = true);
  // Thread-safe; run() returns soon after.
  void stop();

  Runtime& runtime() { return *rt_; }
  std::shared_ptr<Model> model() const { return rt_->model(); }
  // Human-readable table of what listens where (printed by the CLI at start).
  std::string listening_table() const;
  size_t listener_count() const;
  // Applies one scenario event now (also what the scheduled events call). Returns a note.
  std::string apply_event(const core::EventSpec& event);

 private:
  void start_pod_servers(const Model& model, std::vector<BindError>& errors);
  void start_service_listeners(const Model& model, std::vector<BindError>& errors);
  void schedule_events();
  void shutdown();
  void write_state() const;

  core::Scenario scenario_;
  core::Scenario base_;  // the scenario with every event applied so far (replicas changed)
  std::unique_ptr<Runtime> rt_;
  boost::asio::io_context io_;
  std::vector<std::unique_ptr<PodServer>> pods_;
  std::vector<std::unique_ptr<PodServer>> retired_pods_;  // closed; kept until shutdown
  std::vector<std::unique_ptr<ServiceListener>> services_;
  std::vector<std::unique_ptr<boost::asio::steady_timer>> event_timers_;
  std::unique_ptr<boost::asio::steady_timer> duration_timer_;
  std::unique_ptr<boost::asio::signal_set> signals_;
  std::atomic<bool> stopping_{false};
};

// The state file `knetsim client` reads: port offset, pods and services with their addresses.
nlohmann::json state_json(const Model& model, const Options& options);

// Builds the model snapshot for a cluster (profile from the scenario, seed from the cluster).
std::shared_ptr<Model> make_model(const core::Scenario& scenario, core::Cluster cluster);

}  // namespace knetsim::emu
