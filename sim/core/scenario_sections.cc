// The cluster, cni, kubeProxy and generate sections of a knetsim/v1 Scenario.
#include "sim/core/scenario_sections.h"

#include "sim/core/names.h"
#include "sim/core/parse_common.h"
#include "sim/core/quantity.h"

namespace knetsim::core {

namespace {

void parse_node_resources(const Field& f, int& cores, double& ghz, double& nic_bps) {
  Field cpu = f["cpu"];
  cpu.check_keys({"cores", "ghz"});
  cores = static_cast<int>(cpu["cores"].integer_or(cores, 1, 1024));
  if (cpu["ghz"].defined()) ghz = cpu["ghz"].number(0.1, 10);
  Field nic = f["nic"];
  nic.check_keys({"gbps"});
  if (nic["gbps"].defined()) nic_bps = nic["gbps"].number(0.001, 1000) * 1e9;
}

ExplicitNode parse_listed_node(const Field& f, const NodeGroupSpec& defaults) {
  f.expect_map();
  f.check_keys({"name", "zone", "cpu", "nic", "ip", "podCIDR", "labels", "unschedulable"});
  ExplicitNode en;
  Node& n = en.node;
  Field name = f.require("name");
  n.name = name.str();
  std::string e = check_dns1123_subdomain(n.name);
  if (!e.empty()) name.error("invalid node name \"" + n.name + "\": " + e);
  n.zone = f["zone"].str_or("");
  n.cpu_cores = defaults.cpu_cores;
  n.cpu_ghz = defaults.cpu_ghz;
  n.nic_bps = defaults.nic_bps;
  parse_node_resources(f, n.cpu_cores, n.cpu_ghz, n.nic_bps);
  if (f["ip"].defined()) {
    n.ip = parse_ipv4_field(f["ip"]);
    en.ip_given = true;
  }
  if (f["podCIDR"].defined()) {
    n.pod_cidr = parse_cidr_field(f["podCIDR"], true);
    en.pod_cidr_given = true;
  }
  n.labels = parse_labels(f["labels"]);
  n.schedulable = !f["unschedulable"].boolean_or(false);
  n.source = f.where();
  return en;
}

}  // namespace

void parse_cluster_section(const Field& f, ClusterSpec& out) {
  out.source = f.where();
  if (!f.defined()) return;
  f.expect_map();
  if (f["nodes"].defined()) out.source = f["nodes"].where();
  f.check_keys({"nodes", "network", "podCIDR", "nodeCIDRMaskSize", "serviceCIDR", "nodeCIDR",
                "nodePortRange", "dnsDomain", "apiServerService", "loadBalancerCIDR"});
  Field nodes = f["nodes"];
  if (nodes.is_seq()) {
    out.nodes_listed = true;
    for (const Field& n : nodes.items()) out.explicit_nodes.push_back(parse_listed_node(n, out.nodes));
    if (out.explicit_nodes.empty()) nodes.error("a cluster needs at least one node");
  } else if (nodes.defined()) {
    nodes.expect_map();
    nodes.check_keys({"count", "namePrefix", "cpu", "nic", "zones", "labels"});
    out.nodes.count = static_cast<int>(nodes["count"].integer_or(3, 1, 100'000));
    out.nodes.name_prefix = nodes["namePrefix"].str_or("node-");
    parse_node_resources(nodes, out.nodes.cpu_cores, out.nodes.cpu_ghz, out.nodes.nic_bps);
    for (const Field& z : nodes["zones"].items()) out.nodes.zones.push_back(z.str());
    out.nodes.labels = parse_labels(nodes["labels"]);
  }
  Field net = f["network"];
  if (net.defined()) {
    net.expect_map();
    net.check_keys({"fabric", "latency", "bandwidth", "nodesPerRack", "spineLatency", "mtu"});
    if (net["fabric"].defined()) {
      out.network.fabric =
          net["fabric"].one_of({"flat", "leaf-spine"}) == "flat" ? Fabric::Flat : Fabric::LeafSpine;
    }
    if (net["latency"].defined()) out.network.latency_ns = field_duration_ns(net["latency"]);
    if (net["bandwidth"].defined()) out.network.bandwidth_bps = field_bits_per_second(net["bandwidth"]);
    out.network.nodes_per_rack =
        static_cast<int>(net["nodesPerRack"].integer_or(out.network.nodes_per_rack, 1, 10'000));
    if (net["spineLatency"].defined()) {
      out.network.spine_latency_ns = field_duration_ns(net["spineLatency"]);
    }
    out.network.mtu = static_cast<int>(net["mtu"].integer_or(out.network.mtu, 576, 65535));
  }
  if (f["podCIDR"].defined()) out.pod_cidr = parse_cidr_field(f["podCIDR"], true);
  if (f["serviceCIDR"].defined()) out.service_cidr = parse_cidr_field(f["serviceCIDR"], true);
  if (f["nodeCIDR"].defined()) out.node_cidr = parse_cidr_field(f["nodeCIDR"], true);
  Field mask = f["nodeCIDRMaskSize"];
  out.node_cidr_mask = static_cast<int>(mask.integer_or(out.node_cidr_mask, 8, 30));
  if (out.node_cidr_mask < out.pod_cidr.prefix) {
    mask.error("nodeCIDRMaskSize /" + std::to_string(out.node_cidr_mask) +
               " is larger than the pod CIDR " + out.pod_cidr.str());
  }
  Field range = f["nodePortRange"];
  if (range.defined()) {
    std::string r = range.str();
    auto dash = r.find('-');
    int lo = 0, hi = 0;
    if (dash == std::string::npos || std::sscanf(r.c_str(), "%d-%d", &lo, &hi) != 2 || lo < 1 ||
        hi > 65535 || lo > hi) {
      range.error("expected a port range such as 30000-32767, got " + range.describe());
    }
    out.node_port_min = lo;
    out.node_port_max = hi;
  }
  out.dns_domain = f["dnsDomain"].str_or(out.dns_domain);
  out.api_server_service = f["apiServerService"].boolean_or(true);
  if (f["loadBalancerCIDR"].defined()) {
    out.load_balancer_cidr = parse_cidr_field(f["loadBalancerCIDR"], true);
  }
}

const char* cni_plugin_name(CniPlugin p) {
  switch (p) {
    case CniPlugin::Calico:
      return "calico";
    case CniPlugin::Flannel:
      return "flannel";
    case CniPlugin::Weave:
      return "weave";
    case CniPlugin::Cilium:
      return "cilium";
  }
  return "?";
}

void parse_cni_section(const Field& f, CniSpec& out) {
  if (!f.defined()) return;
  f.expect_map();
  f.check_keys({"plugin", "mode", "mtu", "encryption", "ebpf", "kubeProxyReplacement"});
  std::string plugin =
      f["plugin"].defined() ? f["plugin"].one_of({"calico", "flannel", "weave", "cilium"}) : "calico";
  Field mode = f["mode"];
  if (plugin == "calico") {
    out.plugin = CniPlugin::Calico;
    out.mode = mode.defined() ? mode.one_of({"bgp", "ipip", "vxlan"}) : "ipip";
  } else if (plugin == "flannel") {
    out.plugin = CniPlugin::Flannel;
    out.mode = mode.defined() ? mode.one_of({"vxlan", "host-gw", "wireguard"}) : "vxlan";
  } else if (plugin == "weave") {
    out.plugin = CniPlugin::Weave;
    out.mode = mode.defined() ? mode.one_of({"fastdp", "sleeve"}) : "fastdp";
  } else {
    out.plugin = CniPlugin::Cilium;
    out.mode = mode.defined() ? mode.one_of({"vxlan", "geneve", "native"}) : "vxlan";
  }
  Field mtu = f["mtu"];
  if (mtu.defined() && !(mtu.is_scalar() && mtu.str() == "auto")) {
    out.mtu = static_cast<int>(mtu.integer(576, 65535));
  }
  if (f["encryption"].defined()) out.encryption = f["encryption"].one_of({"none", "wireguard", "ipsec"});
  out.ebpf = f["ebpf"].boolean_or(out.plugin == CniPlugin::Cilium);
  if (f["ebpf"].defined() && out.ebpf &&
      (out.plugin == CniPlugin::Flannel || out.plugin == CniPlugin::Weave)) {
    f["ebpf"].error(std::string(cni_plugin_name(out.plugin)) + " has no eBPF dataplane");
  }
  out.kube_proxy_replacement = f["kubeProxyReplacement"].boolean_or(false);
  if (out.kube_proxy_replacement && !out.ebpf) {
    f["kubeProxyReplacement"].error("kubeProxyReplacement needs an eBPF dataplane (ebpf: true)");
  }
}

const char* kube_proxy_mode_name(KubeProxyMode m) {
  switch (m) {
    case KubeProxyMode::Userspace:
      return "userspace";
    case KubeProxyMode::Iptables:
      return "iptables";
    case KubeProxyMode::Ipvs:
      return "ipvs";
    case KubeProxyMode::Nftables:
      return "nftables";
    case KubeProxyMode::Ebpf:
      return "ebpf";
  }
  return "?";
}

std::optional<KubeProxyMode> parse_kube_proxy_mode(const std::string& s) {
  for (auto m : {KubeProxyMode::Userspace, KubeProxyMode::Iptables, KubeProxyMode::Ipvs,
                 KubeProxyMode::Nftables, KubeProxyMode::Ebpf}) {
    if (s == kube_proxy_mode_name(m)) return m;
  }
  return std::nullopt;
}

void parse_kube_proxy_section(const Field& f, KubeProxySpec& out) {
  if (!f.defined()) return;
  f.expect_map();
  f.check_keys({"mode", "minSyncPeriod", "syncPeriod", "masqueradeAll", "clusterCIDR",
                "nodePortAddresses", "localhostNodePorts", "ipvs", "conntrack"});
  out.source = f.where();
  if (f["mode"].defined()) {
    out.mode = *parse_kube_proxy_mode(
        f["mode"].one_of({"userspace", "iptables", "ipvs", "nftables", "ebpf"}));
  }
  if (f["minSyncPeriod"].defined()) out.min_sync_period_ns = field_duration_ns(f["minSyncPeriod"]);
  if (f["syncPeriod"].defined()) {
    out.sync_period_ns = field_duration_ns(f["syncPeriod"]);
    if (out.sync_period_ns <= 0) f["syncPeriod"].error("syncPeriod must be positive");
  }
  out.masquerade_all = f["masqueradeAll"].boolean_or(false);
  if (f["clusterCIDR"].defined()) out.cluster_cidr = parse_cidr_field(f["clusterCIDR"]);
  for (const Field& a : f["nodePortAddresses"].items()) {
    std::string s = a.str();
    if (s != "primary" && !Cidr::parse(s)) {
      a.error("expected a CIDR or \"primary\", got " + a.describe());
    }
    out.node_port_addresses.push_back(s);
  }
  out.localhost_node_ports = f["localhostNodePorts"].boolean_or(true);
  Field ipvs = f["ipvs"];
  ipvs.check_keys({"scheduler", "strictARP", "tcpTimeout"});
  if (ipvs["scheduler"].defined()) {
    out.ipvs_scheduler =
        ipvs["scheduler"].one_of({"rr", "wrr", "lc", "wlc", "lblc", "lblcr", "sh", "dh", "sed", "nq", "mh"});
  }
  out.ipvs_strict_arp = ipvs["strictARP"].boolean_or(false);
  if (ipvs["tcpTimeout"].defined()) out.ipvs_tcp_timeout_ns = field_duration_ns(ipvs["tcpTimeout"]);
  Field ct = f["conntrack"];
  ct.check_keys({"maxPerCore"});
  if (ct["maxPerCore"].defined()) {
    out.conntrack_max_per_core = static_cast<int>(ct["maxPerCore"].integer(0, 1 << 30));
  }
}

void parse_generate_section(const Field& f, GenerateSpec& out) {
  for (const Field& item : f.items()) {
    item.expect_map();
    item.check_keys({"services", "deployments"});
    if (item["services"].defined()) {
      Field s = item["services"];
      s.expect_map();
      s.check_keys({"count", "endpointsPerService", "namespace", "namePrefix", "type", "port",
                    "targetPort", "protocol"});
      ServiceGenerator g;
      g.source = s.where();
      g.count = static_cast<int>(s.require("count").integer(0, 1'000'000));
      g.endpoints_per_service = static_cast<int>(s["endpointsPerService"].integer_or(1, 0, 10'000));
      g.ns = s["namespace"].str_or(g.ns);
      g.name_prefix = s["namePrefix"].str_or(g.name_prefix);
      if (s["type"].defined()) {
        std::string t = s["type"].one_of({"ClusterIP", "NodePort", "LoadBalancer"});
        g.type = t == "NodePort"       ? ServiceType::NodePort
                 : t == "LoadBalancer" ? ServiceType::LoadBalancer
                                       : ServiceType::ClusterIP;
      }
      g.port = static_cast<int>(s["port"].integer_or(g.port, 1, 65535));
      g.target_port = static_cast<int>(s["targetPort"].integer_or(g.target_port, 1, 65535));
      g.protocol = parse_protocol_field(s["protocol"]);
      out.services.push_back(g);
    } else if (item["deployments"].defined()) {
      Field d = item["deployments"];
      d.expect_map();
      d.check_keys({"count", "replicas", "namespace", "namePrefix", "withService", "port",
                    "targetPort"});
      DeploymentGenerator g;
      g.source = d.where();
      g.count = static_cast<int>(d.require("count").integer(0, 1'000'000));
      g.replicas = static_cast<int>(d["replicas"].integer_or(1, 0, 100'000));
      g.ns = d["namespace"].str_or(g.ns);
      g.name_prefix = d["namePrefix"].str_or(g.name_prefix);
      g.with_service = d["withService"].boolean_or(false);
      g.port = static_cast<int>(d["port"].integer_or(g.port, 1, 65535));
      g.target_port = static_cast<int>(d["targetPort"].integer_or(g.target_port, 1, 65535));
      out.deployments.push_back(g);
    } else {
      item.error("expected a services or deployments generator");
    }
  }
}

}  // namespace knetsim::core
