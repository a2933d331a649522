#include "gui/app/details.h"

#include <fmt/format.h>

#include "sim/models/kubeproxy/datapath_cost.h"

namespace knetsim::gui {
namespace {

std::string esc(const std::string& s) { return QString::fromStdString(s).toHtmlEscaped().toStdString(); }

std::string labels_html(const core::Labels& l) {
  if (l.empty()) return "<i>none</i>";
  std::string out;
  for (const auto& [k, v] : l) out += "<code>" + esc(k) + "=" + esc(v) + "</code><br>";
  return out;
}

std::string row(const std::string& k, const std::string& v) {
  return "<tr><td><b>" + esc(k) + "</b></td><td>" + v + "</td></tr>";
}

std::string node_html(const ScenarioDocument& doc, core::NodeId id) {
  const auto& c = doc.cluster;
  const auto& n = c.nodes[id];
  models::kubeproxy::DatapathCost cost(c, id, doc.profile);
  std::string out = "<h3>Node " + esc(n.name) + "</h3><table>";
  out += row("InternalIP", n.ip.str()) + row("podCIDR", n.pod_cidr.str()) +
         row("zone", esc(n.zone)) +
         row("CPU", fmt::format("{} cores @ {} GHz", n.cpu_cores, n.cpu_ghz)) +
         row("NIC", fmt::format("{:g} Gbit/s", n.nic_bps / 1e9)) +
         row("ready", n.ready ? "yes" : "no") + row("schedulable", n.schedulable ? "yes" : "no") +
         row("pods", std::to_string(c.pods_on(id).size())) +
         row("kube-proxy rules", fmt::format("{} ({} mode)", cost.total_rules(),
                                             core::kube_proxy_mode_name(c.kube_proxy.mode))) +
         row("labels", labels_html(n.labels)) + row("defined at", esc(n.source.str()));
  return out + "</table>";
}

std::string pod_html(const ScenarioDocument& doc, core::PodId id) {
  const auto& c = doc.cluster;
  const auto& p = c.pods[id];
  std::string ports;
  for (const auto& ct : p.spec.containers)
    for (const auto& cp : ct.ports)
      ports += fmt::format("{}/{}{}<br>", cp.container_port, core::protocol_name(cp.protocol),
                           cp.name.empty() ? "" : " (" + esc(cp.name) + ")");
  std::string services;
  for (core::ServiceId s = 0; s < c.services.size(); ++s)
    for (uint32_t si : c.slices_of(s))
      for (const auto& ep : c.endpoint_slices[si].endpoints)
        if (ep.pod && *ep.pod == id) {
          services += esc(c.services[s].key()) + "<br>";
          goto next;
        }
  next:;
  std::string out = "<h3>Pod " + esc(p.key()) + "</h3><table>";
  out += row("IP", p.ip.str()) +
         row("node", p.node < c.nodes.size() ? esc(c.nodes[p.node].name) : "<i>Pending</i>") +
         row("phase", esc(p.phase)) + row("ready", p.ready ? "yes" : "no") +
         row("hostNetwork", p.spec.host_network ? "yes" : "no") +
         row("owner", esc(p.owner_kind + " " + p.owner_name)) +
         row("ports", ports.empty() ? "<i>none declared</i>" : ports) +
         row("endpoint of", services.empty() ? "<i>no service</i>" : services) +
         row("labels", labels_html(p.labels)) + row("defined at", esc(p.source.str()));
  return out + "</table>";
}

std::string service_html(const ScenarioDocument& doc, core::ServiceId id) {
  const auto& c = doc.cluster;
  const auto& s = c.services[id];
  std::string ports;
  for (const auto& p : s.ports) {
    ports += fmt::format("{} {}/{} → {}", esc(p.name), p.port, core::protocol_name(p.protocol),
                         esc(p.target_port.str()));
    if (p.node_port) ports += fmt::format(" (nodePort {})", p.node_port);
    ports += fmt::format(", {} backends<br>", c.backends_of(id, p).size());
  }
  std::string eps;
  for (uint32_t si : c.slices_of(id))
    for (const auto& ep : c.endpoint_slices[si].endpoints)
      eps += ep.address.str() + (ep.ready ? "" : " (not ready)") +
             (ep.pod ? " " + esc(c.pods[*ep.pod].key()) : "") + "<br>";
  std::string out = "<h3>Service " + esc(s.key()) + "</h3><table>";
  out += row("type", core::service_type_name(s.type)) +
         row("ClusterIP", s.headless ? "None (headless)"
                                     : (s.cluster_ip ? s.cluster_ip->str() : "-")) +
         row("ports", ports) +
         row("selector", s.selector ? labels_html(*s.selector) : "<i>none (manual endpoints)</i>") +
         row("endpoints", eps.empty() ? "<i>none</i>" : eps) +
         row("internalTrafficPolicy", core::traffic_policy_name(s.internal_traffic_policy)) +
         row("externalTrafficPolicy", core::traffic_policy_name(s.external_traffic_policy)) +
         row("defined at", esc(s.source.str()));
  return out + "</table>";
}

std::string ingress_html(const ScenarioDocument& doc, uint32_t id) {
  const auto& in = doc.cluster.ingresses[id];
  std::string rules;
  for (const auto& r : in.rules)
    for (const auto& p : r.paths)
      rules += fmt::format("{}{} ({}) → {}<br>", esc(r.host.empty() ? "*" : r.host), esc(p.path),
                           core::path_type_name(p.type), esc(p.backend.service_name));
  std::string out = "<h3>Ingress " + esc(in.key()) + "</h3><table>";
  out += row("class", esc(in.class_name)) + row("rules", rules) +
         row("defined at", esc(in.source.str()));
  return out + "</table>";
}

}  // namespace

QString details_html(const ScenarioDocument& doc, const ObjectRef& ref) {
  const auto& c = doc.cluster;
  std::string out;
  switch (ref.kind) {
    case ObjectKind::Node:
      if (ref.id < c.nodes.size()) out = node_html(doc, ref.id);
      break;
    case ObjectKind::Pod:
      if (ref.id < c.pods.size()) out = pod_html(doc, ref.id);
      break;
    case ObjectKind::Service:
      if (ref.id < c.services.size()) out = service_html(doc, ref.id);
      break;
    case ObjectKind::Ingress:
      if (ref.id < c.ingresses.size()) out = ingress_html(doc, ref.id);
      break;
    case ObjectKind::External:
      out = "<h3>External clients</h3><p>Traffic from outside the cluster: reaches services "
            "through NodePorts, load balancers or an ingress.</p>";
      break;
    case ObjectKind::Zone:
    case ObjectKind::Namespace:
      out = "<h3>" + esc(ref.name) + "</h3><p>Aggregated: select a smaller scenario to see "
            "every pod.</p>";
      break;
    case ObjectKind::None:
      out = fmt::format("<h3>{}</h3><p>{} nodes, {} pods, {} services, {} network policies. "
                        "kube-proxy {}, CNI {} ({}).</p><p>Select a node, pod or service.</p>",
                        esc(c.name), c.nodes.size(), c.pods.size(), c.services.size(),
                        c.network_policies.size(), core::kube_proxy_mode_name(c.kube_proxy.mode),
                        core::cni_plugin_name(c.cni.plugin), esc(c.cni.mode));
      break;
  }
  return QString::fromStdString(out);
}

}  // namespace knetsim::gui
