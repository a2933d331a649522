// kube-proxy's nftables state: the `ip kube-proxy` table with its base and regular chains, rules,
// sets and verdict maps. dump() writes an `nft -f` script that creates it from nothing (table,
// chains, sets and maps first, then rules, then elements, so every reference resolves); the
// counts `knetsim rules` prints come from the same arrays.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/models/kubeproxy/text_list.h"

namespace knetsim::models::kubeproxy {

struct NftChain {
  std::string name;
  std::string base;  // "type filter hook prerouting priority dstnat - 10" for base chains
};

struct NftSet {
  std::string name;
  bool is_map = false;
  std::string spec;  // body inside { }: "type ... ; comment ... ;"
  TextList elements;
};

class NftRuleSet {
 public:
  static constexpr const char* kTable = "kube-proxy";

  uint32_t add_chain(std::string name, std::string base = "");
  uint32_t add_set(std::string name, bool is_map, std::string spec);
  template <typename... A>
  void rule(uint32_t chain, fmt::format_string<A...> f, A&&... a) {
    rules_.add(f, std::forward<A>(a)...);
    rule_chain_.push_back(chain);
  }
  NftSet& set(uint32_t i) { return sets_[i]; }

  const std::vector<NftChain>& chains() const { return chains_; }
  const std::vector<NftSet>& sets() const { return sets_; }
  size_t rule_count() const { return rules_.size(); }
  std::string_view rule_text(size_t i) const { return rules_[i]; }
  uint32_t rule_chain(size_t i) const { return rule_chain_[i]; }
  std::map<std::string, size_t> rules_by_chain() const;
  size_t rules_in(const std::string& chain) const;
  size_t element_count() const;
  const NftSet* find_set(const std::string& name) const;

  std::string dump() const;

 private:
  std::vector<NftChain> chains_;
  std::vector<NftSet> sets_;
  TextList rules_;
  std::vector<uint32_t> rule_chain_;
};

}  // namespace knetsim::models::kubeproxy
