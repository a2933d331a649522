// kube-proxy's per-service chain names: a prefix plus the first 16 characters of the standard
// base32 encoding of sha256(servicePortName + protocol [+ endpoint]), as in
// pkg/proxy/iptables/proxier.go portProtoHash / servicePortEndpointChainName. The nftables
// proxier uses readable names instead (see nftables_compiler.cc).
#pragma once

#include <string>
#include <string_view>

namespace knetsim::models::kubeproxy {

// First 16 base32 characters of sha256(text).
std::string hash16(std::string_view text);

// `port_name` is "ns/svc:port" (":port" omitted... see ServicePortName in service_ports.h);
// `protocol` is lower case ("tcp").
std::string svc_chain(std::string_view port_name, std::string_view protocol);  // KUBE-SVC-
std::string svl_chain(std::string_view port_name, std::string_view protocol);  // KUBE-SVL-
std::string fw_chain(std::string_view port_name, std::string_view protocol);   // KUBE-FW-
std::string ext_chain(std::string_view port_name, std::string_view protocol);  // KUBE-EXT-
// `endpoint` is "ip:port".
std::string sep_chain(std::string_view port_name, std::string_view protocol,
                      std::string_view endpoint);  // KUBE-SEP-

}  // namespace knetsim::models::kubeproxy
