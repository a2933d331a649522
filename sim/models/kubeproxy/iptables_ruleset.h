// An iptables ruleset as kube-proxy hands it to iptables-restore: per table, the chain lines it
// writes and its rules in write order. Rules are kept as one contiguous text buffer plus offsets
// (no allocation per rule), so a 30,000-service cluster compiles in well under a second; the
// dump is the text iptables-restore reads, and every count is taken from the same arrays the
// dump is printed from, so counts and dumps cannot disagree.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace knetsim::models::kubeproxy {

class IptablesTable {
 public:
  explicit IptablesTable(std::string name) : name_(std::move(name)) {}

  const std::string& name() const { return name_; }
  // Declares a chain (one ":NAME - [0:0]" line) and returns its index.
  uint32_t add_chain(std::string chain);
  // Appends "-A <chain> <formatted args>".
  template <typename... A>
  void rule(uint32_t chain, fmt::format_string<A...> f, A&&... a) {
    fmt::format_to(std::back_inserter(args_), f, std::forward<A>(a)...);
    rule_chain_.push_back(chain);
    rule_end_.push_back(static_cast<uint32_t>(args_.size()));
  }

  size_t chain_count() const { return chains_.size(); }
  size_t rule_count() const { return rule_chain_.size(); }
  const std::string& chain_name(uint32_t i) const { return chains_[i]; }
  uint32_t rule_chain(size_t i) const { return rule_chain_[i]; }
  std::string_view rule_args(size_t i) const;
  // Rules per chain name (chains without rules included with 0).
  std::map<std::string, size_t> rules_by_chain() const;
  // Number of rules in chain `i`.
  size_t rules_in(uint32_t chain) const;
  void reserve(size_t chains, size_t rules, size_t bytes);

  // "*nat\n:CHAIN - [0:0]\n...-A CHAIN args\n...COMMIT\n"
  void dump_to(std::string& out) const;

 private:
  std::string name_;
  std::vector<std::string> chains_;
  std::vector<uint32_t> rule_chain_;
  std::vector<uint32_t> rule_end_;
  std::string args_;
};

struct IptablesRuleSet {
  IptablesTable filter{"filter"};
  IptablesTable nat{"nat"};
  std::string dump() const;  // iptables-restore input: filter then nat, as kube-proxy writes it
};

}  // namespace knetsim::models::kubeproxy
