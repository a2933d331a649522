// PathModel: shared state for predicting requests (see path_model.h).
#include "sim/models/path/path_model.h"

#include "sim/models/kubeproxy/datapath_cost.h"
#include "sim/models/path/path_builder.h"
#include "sim/models/policy/policy_engine.h"

namespace knetsim::models::path {

const char* outcome_name(Outcome o) {
  switch (o) {
    case Outcome::Ok:
      return "ok";
    case Outcome::PolicyDenied:
      return "policy denied";
    case Outcome::NoEndpoints:
      return "no endpoints";
    case Outcome::StaleEndpoint:
      return "stale endpoint";
    case Outcome::ConntrackFull:
      return "conntrack full";
    case Outcome::MtuBlackHole:
      return "MTU black hole";
    case Outcome::BadTarget:
      return "bad target";
  }
  return "?";
}

namespace {

const core::Cluster* effective_cluster(const core::Cluster& cluster,
                                       std::unique_ptr<core::Cluster>& owned) {
  if (cluster.cni.kube_proxy_replacement && cluster.kube_proxy.mode != core::KubeProxyMode::Ebpf) {
    owned = std::make_unique<core::Cluster>(cluster);
    owned->kube_proxy.mode = core::KubeProxyMode::Ebpf;
    owned->reindex();
    return owned.get();
  }
  return &cluster;
}

}  // namespace

PathModel::PathModel(const core::Cluster& cluster, const core::Profile& profile)
    : cluster_(effective_cluster(cluster, owned_)),
      profile_(profile),
      cni_(cni::cni_model(cluster.cni, cluster.spec.network.mtu, profile)),
      fabric_(*cluster_, profile),
      policy_(std::make_unique<policy::PolicyEngine>(*cluster_)) {
  for (core::PodId i = 0; i < cluster_->pods.size(); ++i) {
    const core::Pod& pod = cluster_->pods[i];
    auto it = pod.labels.find("app.kubernetes.io/component");
    if (pod.ready && pod.node != core::kNoNode && it != pod.labels.end() && it->second == "controller") {
      ingress_pod_ = i;
      ingress_node_ = pod.node;
      break;
    }
  }
}

PathModel::~PathModel() = default;

const kubeproxy::DatapathCost& PathModel::datapath(core::NodeId node) const {
  auto it = datapath_.find(node);
  if (it == datapath_.end()) {
    it = datapath_.emplace(node, std::make_unique<kubeproxy::DatapathCost>(*cluster_, node, profile_))
             .first;
  }
  return *it->second;
}

std::string PathModel::host_name(int32_t host) const {
  if (host == kClientHost) return "client";
  if (host == kLoadBalancerHost) return "load-balancer";
  return cluster_->nodes[static_cast<size_t>(host)].name;
}

std::optional<size_t> PathModel::port_index(core::ServiceId svc, int port) const {
  const auto& ports = cluster_->services[svc].ports;
  for (size_t i = 0; i < ports.size(); ++i) {
    if (ports[i].port == port) return i;
  }
  return std::nullopt;
}

Prediction PathModel::predict_request(const RequestSpec& request) const {
  Prediction p;
  PathBuilder b(*this, request, p);
  b.run();
  return p;
}

Prediction predict_request(const core::Cluster& cluster, const core::Profile& profile,
                           const RequestSpec& request) {
  PathModel m(cluster, profile);
  return m.predict_request(request);
}

}  // namespace knetsim::models::path
