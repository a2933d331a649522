#include "gui/app/walkthrough.h"

#include <fmt/format.h>

#include "sim/models/kubeproxy/service_ports.h"

namespace knetsim::gui {

std::string CniChoice::label() const {
  std::string s = std::string(core::cni_plugin_name(plugin)) + "/" + mode;
  if (encryption != "none") s += "+" + encryption;
  return s;
}

CniChoice cni_choice_of(const core::CniSpec& spec) {
  return {spec.plugin, spec.mode, spec.encryption};
}

std::vector<CniChoice> cni_choices() {
  using P = core::CniPlugin;
  return {{P::Calico, "vxlan", "none"},   {P::Calico, "ipip", "none"},
          {P::Calico, "bgp", "none"},     {P::Calico, "vxlan", "wireguard"},
          {P::Flannel, "vxlan", "none"},  {P::Flannel, "host-gw", "none"},
          {P::Weave, "fastdp", "none"},   {P::Cilium, "vxlan", "none"},
          {P::Cilium, "geneve", "none"},  {P::Cilium, "native", "none"}};
}

Walkthrough run_walkthrough(const ScenarioDocument& doc, const WalkthroughRequest& req) {
  core::Cluster cluster = doc.cluster;
  cluster.reindex();
  cluster.kube_proxy.mode = req.mode;
  cluster.cni.plugin = req.cni.plugin;
  cluster.cni.mode = req.cni.mode;
  cluster.cni.encryption = req.cni.encryption;
  cluster.cni.mtu.reset();

  Walkthrough w;
  models::path::PathModel model(cluster, doc.profile);
  const auto& svc = cluster.services[req.service];
  const auto& port = svc.ports[req.port_index];
  w.spec.client_pod = req.client;
  w.spec.target.kind = core::TargetKind::Service;
  w.spec.target.name = svc.key();
  w.spec.target.port = port.port;
  w.spec.protocol = port.protocol;
  w.spec.new_connection = true;
  w.spec.dns_lookup = true;
  w.prediction = model.predict_request(w.spec);
  w.effective_mode = model.proxy_mode();
  const auto& cni = model.cni();
  w.cni_label = cni.label();
  w.encap = models::cni::encap_name(cni.encap);
  w.overhead_bytes = cni.overhead_bytes;
  w.pod_mtu = cni.pod_mtu;
  w.underlay_mtu = cni.underlay_mtu;
  w.vip = svc.cluster_ip ? svc.cluster_ip->str() : "";
  if (w.prediction.service || w.prediction.server_pod)
    w.endpoint = fmt::format("{}:{}", w.prediction.server_ip.str(), w.prediction.server_port);

  core::NodeId node = 0;
  if (req.client && cluster.pods[*req.client].node < cluster.nodes.size())
    node = cluster.pods[*req.client].node;
  w.lookup_node = cluster.nodes.empty() ? "" : cluster.nodes[node].name;
  const core::Cluster& effective = model.cluster();
  if (!w.vip.empty() && !w.endpoint.empty()) {
    if (auto listing = rule_listing(effective, node, w.effective_mode)) {
      std::string proto = port.protocol == core::Protocol::UDP ? "udp"
                          : port.protocol == core::Protocol::SCTP ? "sctp"
                                                                  : "tcp";
      w.rules = find_rule_walk(*listing, w.vip, port.port, proto, w.endpoint);
    }
  }
  return w;
}

}  // namespace knetsim::gui
