// Choosing pods on the command line (`reach --from/--to`): "ns/name" one pod, "ns/*" a
// namespace, "ns/k=v,k2=v2" labels within a namespace, "k=v,..." labels in every namespace,
// "*" every pod. Only pods with an address are returned, in pod order.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/core/cluster.h"
#include "sim/models/policy/class_matrix.h"

namespace knetsim::models::policy {

// nullopt with `error` set when the text is not a selector or matches no pod.
std::optional<std::vector<core::PodId>> select_pods(const core::Cluster& cluster,
                                                    const std::string& text, std::string& error);

// "80/TCP", "tcp/80", "80" (TCP), "53/udp"; nullopt when malformed.
std::optional<PortProto> parse_port_proto(const std::string& text);

}  // namespace knetsim::models::policy
