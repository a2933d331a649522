#include "sim/core/cluster_json.h"

#include <yaml-cpp/yaml.h>

namespace knetsim::core {

namespace {

OrderedJson labels_json(const Labels& l) {
  OrderedJson j = OrderedJson::object();
  for (const auto& [k, v] : l) j[k] = v;
  return j;
}

OrderedJson endpoint_json(const Cluster& c, const Endpoint& e) {
  OrderedJson j;
  j["ip"] = e.address.str();
  j["ready"] = e.ready;
  j["serving"] = e.serving;
  j["terminating"] = e.terminating;
  j["node"] = e.node_name;
  j["pod"] = e.pod ? c.pods[*e.pod].key() : "";
  return j;
}

void emit(YAML::Emitter& out, const OrderedJson& j) {
  switch (j.type()) {
    case OrderedJson::value_t::object:
      out << YAML::BeginMap;
      for (const auto& [k, v] : j.items()) {
        out << YAML::Key << k << YAML::Value;
        emit(out, v);
      }
      out << YAML::EndMap;
      break;
    case OrderedJson::value_t::array:
      out << YAML::BeginSeq;
      for (const auto& v : j) emit(out, v);
      out << YAML::EndSeq;
      break;
    case OrderedJson::value_t::string:
      out << YAML::DoubleQuoted << j.get<std::string>();
      break;
    case OrderedJson::value_t::boolean:
      out << (j.get<bool>() ? "true" : "false");
      break;
    case OrderedJson::value_t::null:
      out << YAML::Null;
      break;
    default:
      out << j.dump();
  }
}

}  // namespace

OrderedJson selector_to_json(const LabelSelector& sel) {
  OrderedJson j = OrderedJson::object();
  if (!sel.match_labels.empty()) j["matchLabels"] = labels_json(sel.match_labels);
  if (!sel.match_expressions.empty()) {
    OrderedJson exprs = OrderedJson::array();
    for (const auto& r : sel.match_expressions) {
      OrderedJson e;
      e["key"] = r.key;
      e["operator"] = selector_op_name(r.op);
      if (!r.values.empty()) e["values"] = r.values;
      exprs.push_back(e);
    }
    j["matchExpressions"] = exprs;
  }
  return j;
}

OrderedJson cluster_to_json(const Cluster& c, const Diagnostics& diags) {
  OrderedJson root;
  root["schema"] = "knetsim.describe/v1";
  OrderedJson cl;
  cl["name"] = c.name;
  cl["seed"] = c.seed;
  cl["podCIDR"] = c.spec.pod_cidr.str();
  cl["serviceCIDR"] = c.spec.service_cidr.str();
  cl["nodeCIDR"] = c.spec.node_cidr.str();
  cl["cni"] = {{"plugin", cni_plugin_name(c.cni.plugin)},
               {"mode", c.cni.mode},
               {"mtu", c.cni.mtu ? OrderedJson(*c.cni.mtu) : OrderedJson("auto")},
               {"encryption", c.cni.encryption},
               {"ebpf", c.cni.ebpf}};
  cl["kubeProxy"] = {{"mode", kube_proxy_mode_name(c.kube_proxy.mode)},
                     {"clusterCIDR", c.kube_proxy.cluster_cidr ? c.kube_proxy.cluster_cidr->str() : ""},
                     {"masqueradeAll", c.kube_proxy.masquerade_all}};
  root["cluster"] = cl;

  std::vector<size_t> pods_per_node(c.nodes.size(), 0);
  for (const auto& p : c.pods) {
    if (p.node != kNoNode) ++pods_per_node[p.node];
  }
  OrderedJson nodes = OrderedJson::array();
  for (size_t i = 0; i < c.nodes.size(); ++i) {
    const Node& n = c.nodes[i];
    OrderedJson j;
    j["name"] = n.name;
    j["ip"] = n.ip.str();
    j["podCIDR"] = n.pod_cidr.str();
    j["zone"] = n.zone;
    j["cpuCores"] = n.cpu_cores;
    j["cpuGHz"] = n.cpu_ghz;
    j["nicGbps"] = n.nic_bps / 1e9;
    j["schedulable"] = n.schedulable;
    j["pods"] = pods_per_node[i];
    j["labels"] = labels_json(n.labels);
    nodes.push_back(j);
  }
  root["nodes"] = nodes;

  OrderedJson namespaces = OrderedJson::array();
  for (const auto& ns : c.namespaces) namespaces.push_back({{"name", ns.name}, {"labels", labels_json(ns.labels)}});
  root["namespaces"] = namespaces;

  OrderedJson pods = OrderedJson::array();
  for (const auto& p : c.pods) {
    OrderedJson j;
    j["namespace"] = p.ns;
    j["name"] = p.name;
    j["node"] = p.node == kNoNode ? "" : c.nodes[p.node].name;
    j["ip"] = p.ip.value ? p.ip.str() : "";
    j["hostNetwork"] = p.spec.host_network;
    j["phase"] = p.phase;
    j["ready"] = p.ready;
    j["owner"] = p.owner_kind.empty() ? OrderedJson(nullptr)
                                      : OrderedJson({{"kind", p.owner_kind}, {"name", p.owner_name}});
    j["labels"] = labels_json(p.labels);
    OrderedJson ports = OrderedJson::array();
    for (const auto& ct : p.spec.containers) {
      for (const auto& cp : ct.ports) {
        ports.push_back({{"name", cp.name}, {"port", cp.container_port}, {"protocol", protocol_name(cp.protocol)}});
      }
    }
    j["ports"] = ports;
    pods.push_back(j);
  }
  root["pods"] = pods;

  OrderedJson services = OrderedJson::array();
  for (ServiceId id = 0; id < c.services.size(); ++id) {
    const Service& s = c.services[id];
    OrderedJson j;
    j["namespace"] = s.ns;
    j["name"] = s.name;
    j["type"] = service_type_name(s.type);
    j["clusterIP"] = s.headless ? "None" : (s.cluster_ip ? s.cluster_ip->str() : "");
    OrderedJson ports = OrderedJson::array();
    for (const auto& p : s.ports) {
      OrderedJson pj;
      pj["name"] = p.name;
      pj["protocol"] = protocol_name(p.protocol);
      pj["port"] = p.port;
      pj["targetPort"] = p.target_port.is_named() ? OrderedJson(p.target_port.name) : OrderedJson(p.target_port.number);
      pj["nodePort"] = p.node_port;
      OrderedJson eps = OrderedJson::array();
      for (const auto& b : c.backends_of(id, p)) {
        OrderedJson e = endpoint_json(c, *b.endpoint);
        e["port"] = b.port;
        eps.push_back(e);
      }
      pj["endpoints"] = eps;
      ports.push_back(pj);
    }
    j["ports"] = ports;
    j["selector"] = s.selector ? labels_json(*s.selector) : OrderedJson(nullptr);
    OrderedJson ext = OrderedJson::array();
    for (auto ip : s.external_ips) ext.push_back(ip.str());
    j["externalIPs"] = ext;
    OrderedJson lbs = OrderedJson::array();
    for (auto ip : s.load_balancer_ingress) lbs.push_back(ip.str());
    j["loadBalancerIPs"] = lbs;
    j["externalTrafficPolicy"] = traffic_policy_name(s.external_traffic_policy);
    j["internalTrafficPolicy"] = traffic_policy_name(s.internal_traffic_policy);
    j["sessionAffinity"] = s.session_affinity == SessionAffinity::ClientIP ? "ClientIP" : "None";
    if (s.type == ServiceType::ExternalName) j["externalName"] = s.external_name;
    services.push_back(j);
  }
  root["services"] = services;

  OrderedJson slices = OrderedJson::array();
  for (const auto& s : c.endpoint_slices) {
    OrderedJson j;
    j["namespace"] = s.ns;
    j["name"] = s.name;
    j["service"] = s.service_name;
    j["managed"] = s.managed;
    OrderedJson ports = OrderedJson::array();
    for (const auto& p : s.ports) ports.push_back({{"name", p.name}, {"protocol", protocol_name(p.protocol)}, {"port", p.port}});
    j["ports"] = ports;
    OrderedJson eps = OrderedJson::array();
    for (const auto& e : s.endpoints) eps.push_back(endpoint_json(c, e));
    j["endpoints"] = eps;
    slices.push_back(j);
  }
  root["endpointSlices"] = slices;

  OrderedJson policies = OrderedJson::array();
  for (const auto& p : c.network_policies) {
    OrderedJson types = OrderedJson::array();
    if (p.affects_ingress) types.push_back("Ingress");
    if (p.affects_egress) types.push_back("Egress");
    policies.push_back({{"namespace", p.ns},
                        {"name", p.name},
                        {"podSelector", selector_to_json(p.pod_selector)},
                        {"policyTypes", types},
                        {"ingressRules", p.ingress.size()},
                        {"egressRules", p.egress.size()}});
  }
  root["networkPolicies"] = policies;

  OrderedJson cluster_policies = OrderedJson::array();
  for (const auto& p : c.cluster_network_policies) {
    cluster_policies.push_back({{"kind", cluster_policy_kind_name(p.kind)},
                                {"name", p.name},
                                {"tier", policy_tier_name(p.tier)},
                                {"priority", p.priority},
                                {"subject", p.subject.str()},
                                {"ingressRules", p.ingress.size()},
                                {"egressRules", p.egress.size()}});
  }
  root["clusterNetworkPolicies"] = cluster_policies;

  OrderedJson ingresses = OrderedJson::array();
  for (const auto& ing : c.ingresses) {
    OrderedJson rules = OrderedJson::array();
    for (const auto& r : ing.rules) {
      OrderedJson paths = OrderedJson::array();
      for (const auto& p : r.paths) {
        paths.push_back({{"path", p.path},
                         {"pathType", path_type_name(p.type)},
                         {"service", p.backend.service_name},
                         {"port", p.backend.port.str()}});
      }
      rules.push_back({{"host", r.host}, {"paths", paths}});
    }
    ingresses.push_back({{"namespace", ing.ns}, {"name", ing.name}, {"class", ing.class_name}, {"rules", rules}});
  }
  root["ingresses"] = ingresses;

  OrderedJson warnings = OrderedJson::array();
  for (const auto& w : diags.warnings()) warnings.push_back(w.str());
  root["warnings"] = warnings;
  return root;
}

std::string json_to_yaml(const OrderedJson& j) {
  YAML::Emitter out;
  emit(out, j);
  return std::string(out.c_str()) + "\n";
}

}  // namespace knetsim::core
