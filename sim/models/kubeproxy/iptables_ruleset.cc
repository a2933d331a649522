#include "sim/models/kubeproxy/iptables_ruleset.h"

namespace knetsim::models::kubeproxy {

uint32_t IptablesTable::add_chain(std::string chain) {
  chains_.push_back(std::move(chain));
  return static_cast<uint32_t>(chains_.size() - 1);
}

std::string_view IptablesTable::rule_args(size_t i) const {
  uint32_t begin = i == 0 ? 0 : rule_end_[i - 1];
  return std::string_view(args_).substr(begin, rule_end_[i] - begin);
}

std::map<std::string, size_t> IptablesTable::rules_by_chain() const {
  std::vector<size_t> n(chains_.size(), 0);
  for (uint32_t c : rule_chain_) ++n[c];
  std::map<std::string, size_t> out;
  for (size_t i = 0; i < chains_.size(); ++i) out[chains_[i]] += n[i];
  return out;
}

size_t IptablesTable::rules_in(uint32_t chain) const {
  size_t n = 0;
  for (uint32_t c : rule_chain_) n += c == chain;
  return n;
}

void IptablesTable::reserve(size_t chains, size_t rules, size_t bytes) {
  chains_.reserve(chains);
  rule_chain_.reserve(rules);
  rule_end_.reserve(rules);
  args_.reserve(bytes);
}

void IptablesTable::dump_to(std::string& out) const {
  out.reserve(out.size() + args_.size() + rule_count() * 24 + chains_.size() * 32 + 32);
  out += '*';
  out += name_;
  out += '\n';
  for (const auto& c : chains_) {
    out += ':';
    out += c;
    out += " - [0:0]\n";
  }
  for (size_t i = 0; i < rule_count(); ++i) {
    out += "-A ";
    out += chains_[rule_chain_[i]];
    std::string_view a = rule_args(i);
    if (!a.empty()) {
      out += ' ';
      out += a;
    }
    out += '\n';
  }
  out += "COMMIT\n";
}

std::string IptablesRuleSet::dump() const {
  std::string out;
  filter.dump_to(out);
  nat.dump_to(out);
  return out;
}

}  // namespace knetsim::models::kubeproxy
