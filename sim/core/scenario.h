// The knetsim/v1 Scenario: cluster shape, networking choices, workloads and what to simulate.
// Loaded by scenario_loader; a plain Kubernetes manifest file becomes a Scenario with the
// documented defaults (docs/SCENARIOS.md).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/cluster_network_policy.h"
#include "sim/core/ingress.h"
#include "sim/core/ip.h"
#include "sim/core/labels.h"
#include "sim/core/namespace.h"
#include "sim/core/network_policy.h"
#include "sim/core/node.h"
#include "sim/core/pod.h"
#include "sim/core/endpoint_slice.h"
#include "sim/core/service.h"
#include "sim/core/source_ref.h"
#include "sim/core/traffic.h"
#include "sim/core/workload.h"

namespace knetsim::core {

struct NodeGroupSpec {
  int count = 3;
  std::string name_prefix = "node-";
  int cpu_cores = 4;
  double cpu_ghz = 2.5;
  double nic_bps = 10e9;
  std::vector<std::string> zones;
  Labels labels;
};

// A node written out explicitly (cluster.nodes.list or a kind: Node manifest).
struct ExplicitNode {
  Node node;
  bool ip_given = false;
  bool pod_cidr_given = false;
};

enum class Fabric { Flat, LeafSpine };

struct NetworkSpec {
  Fabric fabric = Fabric::Flat;
  int64_t latency_ns = 50'000;       // one hop node <-> switch
  double bandwidth_bps = 25e9;       // fabric link bandwidth
  int nodes_per_rack = 20;           // leaf-spine only
  int64_t spine_latency_ns = 5'000;  // leaf-spine only: extra per spine hop
  int mtu = 1500;                    // underlay MTU
};

struct ClusterSpec {
  NodeGroupSpec nodes;
  std::vector<ExplicitNode> explicit_nodes;  // when set, `nodes.count` is not used
  bool nodes_listed = false;
  SourceRef source;  // the cluster section (or the scenario file when absent)
  NetworkSpec network;
  Cidr pod_cidr{Ipv4{0x0AF40000}, 16};      // 10.244.0.0/16
  int node_cidr_mask = 24;                  // per-node pod CIDR prefix length
  Cidr service_cidr{Ipv4{0x0A600000}, 12};  // 10.96.0.0/12
  Cidr node_cidr{Ipv4{0xC0A80000}, 16};     // 192.168.0.0/16
  int node_port_min = 30000;
  int node_port_max = 32767;
  std::string dns_domain = "cluster.local";
  // The default/kubernetes Service (first service IP, port 443 -> the API server on the first
  // node, 6443) that every real cluster has and kube-proxy programs.
  bool api_server_service = true;
  Cidr load_balancer_cidr{Ipv4{0xCB007100}, 24};  // 203.0.113.0/24: LB ingress IPs when not given
};

enum class CniPlugin { Calico, Flannel, Weave, Cilium };

struct CniSpec {
  CniPlugin plugin = CniPlugin::Calico;
  std::string mode = "ipip";        // plugin-specific: vxlan, ipip, bgp, host-gw, geneve, native...
  std::optional<int> mtu;           // absent = auto (plugin default for the underlay MTU)
  std::string encryption = "none";  // none, wireguard, ipsec
  bool ebpf = false;                // Calico eBPF dataplane / Cilium
  bool kube_proxy_replacement = false;
};

const char* cni_plugin_name(CniPlugin p);

enum class KubeProxyMode { Userspace, Iptables, Ipvs, Nftables, Ebpf };

const char* kube_proxy_mode_name(KubeProxyMode m);
std::optional<KubeProxyMode> parse_kube_proxy_mode(const std::string& s);

struct KubeProxySpec {
  KubeProxyMode mode = KubeProxyMode::Iptables;
  int64_t min_sync_period_ns = 1'000'000'000;    // --iptables-min-sync-period default 1s
  int64_t sync_period_ns = 30'000'000'000;       // --iptables-sync-period default 30s
  bool masquerade_all = false;
  std::optional<Cidr> cluster_cidr;              // local-traffic detector; default = pod CIDR
  std::vector<std::string> node_port_addresses;  // CIDRs or "primary"; empty = all
  bool localhost_node_ports = true;
  std::string ipvs_scheduler = "rr";
  bool ipvs_strict_arp = false;
  int64_t ipvs_tcp_timeout_ns = 0;
  std::optional<int> conntrack_max_per_core;
  SourceRef source;
};

// Synthetic objects for scale studies.
struct ServiceGenerator {
  int count = 0;
  int endpoints_per_service = 1;
  std::string ns = "bulk";
  std::string name_prefix = "svc-";
  ServiceType type = ServiceType::ClusterIP;
  int port = 80;
  int target_port = 8080;
  Protocol protocol = Protocol::TCP;
  SourceRef source;
};

struct DeploymentGenerator {
  int count = 0;
  int replicas = 1;
  std::string ns = "bulk";
  std::string name_prefix = "app-";
  bool with_service = false;
  int port = 80;
  int target_port = 8080;
  SourceRef source;
};

struct GenerateSpec {
  std::vector<ServiceGenerator> services;
  std::vector<DeploymentGenerator> deployments;
};

// Everything parsed from Kubernetes manifests (files and inline objects), before resolution.
struct ManifestSet {
  std::vector<Namespace> namespaces;
  std::vector<ExplicitNode> nodes;
  std::vector<Pod> pods;
  std::vector<bool> pod_ip_given;  // parallel to pods: status.podIP written by the user
  std::vector<Workload> workloads;
  std::vector<Service> services;
  std::vector<EndpointSlice> endpoint_slices;
  std::vector<NetworkPolicy> network_policies;
  std::vector<ClusterNetworkPolicy> cluster_network_policies;  // CNP, ANP, BANP
  std::vector<Ingress> ingresses;
  std::vector<std::string> ignored_kinds;  // kinds knetsim reads but does not model (ConfigMap...)
};

struct Scenario {
  std::string name;
  std::string description;
  std::string file;  // the scenario file as given
  bool plain_manifests = false;
  uint64_t seed = 1;
  int64_t duration_ns = 10'000'000'000;
  int64_t warmup_ns = 0;
  ClusterSpec cluster;
  CniSpec cni;
  KubeProxySpec kube_proxy;
  std::string profile = "default";
  std::map<std::string, double> profile_overrides;
  std::map<std::string, SourceRef> profile_override_sources;
  std::vector<std::string> manifest_files;  // resolved paths
  GenerateSpec generate;
  ManifestSet objects;
  std::vector<TrafficSpec> traffic;
  std::vector<EventSpec> events;
  std::vector<std::string> measure;
};

}  // namespace knetsim::core
