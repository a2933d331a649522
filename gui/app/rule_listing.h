// One node's kube-proxy rules as the rules view lists them: per table and chain, the rule lines in
// the order the kernel walks them. Built from the rulesets models::kubeproxy compiles (the same
// ones `knetsim rules --dump` prints); a mode whose compiler has not landed yields nullopt.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/core/cluster.h"

namespace knetsim::gui {

struct ChainListing {
  std::string table;
  std::string chain;
  std::vector<std::string> rules;  // "-A CHAIN args", in order
};

struct RuleListing {
  core::KubeProxyMode mode = core::KubeProxyMode::Iptables;
  std::string node;
  std::vector<ChainListing> chains;
  size_t total_rules() const;
  const ChainListing* find(const std::string& table, const std::string& chain) const;
};

std::optional<RuleListing> rule_listing(const core::Cluster& cluster, core::NodeId node,
                                        core::KubeProxyMode mode);
// Modes for which rule_listing() returns rules, in display order.
std::vector<core::KubeProxyMode> listable_modes();

}  // namespace knetsim::gui
