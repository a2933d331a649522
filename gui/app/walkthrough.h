// One routed request for the teaching view: the path model's hops (models::path::PathModel::
// predict_request, with a DNS lookup and a new connection) for a client and a service port under
// a chosen kube-proxy mode and CNI, plus the rule lines its first packet meets on the client's
// node and the CNI's encapsulation figures. Changing mode or CNI copies the cluster and re-runs
// the model; the GUI computes nothing itself.
#pragma once

#include <optional>
#include <string>

#include "gui/app/rule_walk.h"
#include "gui/app/scenario_document.h"
#include "sim/models/path/path_model.h"

namespace knetsim::gui {

struct CniChoice {
  core::CniPlugin plugin = core::CniPlugin::Calico;
  std::string mode = "vxlan";
  std::string encryption = "none";
  std::string label() const;
};

struct WalkthroughRequest {
  std::optional<core::PodId> client;  // nullopt: an external client
  core::ServiceId service = 0;
  size_t port_index = 0;
  core::KubeProxyMode mode = core::KubeProxyMode::Iptables;
  CniChoice cni;
};

struct Walkthrough {
  models::path::RequestSpec spec;
  models::path::Prediction prediction;
  core::KubeProxyMode effective_mode = core::KubeProxyMode::Iptables;  // eBPF when the CNI replaces kube-proxy
  std::string cni_label;
  std::string encap;
  int overhead_bytes = 0;
  int pod_mtu = 0;
  int underlay_mtu = 0;
  std::string lookup_node;  // where the service lookup runs (the client's node)
  std::string vip;
  std::string endpoint;  // "ip:port" the request was DNATed to
  std::optional<RuleWalk> rules;
};

Walkthrough run_walkthrough(const ScenarioDocument& doc, const WalkthroughRequest& request);

// The scenario's own settings as a choice, and the choices offered for comparison.
CniChoice cni_choice_of(const core::CniSpec& spec);
std::vector<CniChoice> cni_choices();

}  // namespace knetsim::gui
