// kube-proxy's nftables mode (pkg/proxy/nftables/proxier.go, kube-proxy 1.33): the full-sync
// transaction for one node as the `ip kube-proxy` table: base chains hooked at dstnat-10 /
// dstnat / srcnat, the service-ips / service-nodeports / no-endpoint-* / firewall-ips verdict
// maps, the cluster-ips and nodeport-ips sets, and per-service and per-endpoint chains
// ("service-HASH-ns/svc/tcp/port", "endpoint-HASH-ns/svc/tcp/port__ip/port").
#pragma once

#include <string>

#include "sim/core/cluster.h"
#include "sim/models/kubeproxy/nftables_ruleset.h"
#include "sim/models/kubeproxy/proxy_options.h"
#include "sim/models/kubeproxy/service_ports.h"

namespace knetsim::models::kubeproxy {

NftRuleSet compile_nftables(const NodeView& view, const ProxyOptions& opt);
NftRuleSet compile_nftables(const core::Cluster& cluster, core::NodeId node);

// "HASH8-name" (hashAndTruncate): the first 8 base32 characters of sha256(name), a dash, name.
std::string nft_chain_base(const std::string& name);

}  // namespace knetsim::models::kubeproxy
