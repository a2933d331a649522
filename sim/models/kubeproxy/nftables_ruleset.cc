#include "sim/models/kubeproxy/nftables_ruleset.h"

namespace knetsim::models::kubeproxy {

uint32_t NftRuleSet::add_chain(std::string name, std::string base) {
  chains_.push_back(NftChain{std::move(name), std::move(base)});
  return static_cast<uint32_t>(chains_.size() - 1);
}

uint32_t NftRuleSet::add_set(std::string name, bool is_map, std::string spec) {
  NftSet s;
  s.name = std::move(name);
  s.is_map = is_map;
  s.spec = std::move(spec);
  sets_.push_back(std::move(s));
  return static_cast<uint32_t>(sets_.size() - 1);
}

std::map<std::string, size_t> NftRuleSet::rules_by_chain() const {
  std::vector<size_t> n(chains_.size(), 0);
  for (uint32_t c : rule_chain_) ++n[c];
  std::map<std::string, size_t> out;
  for (size_t i = 0; i < chains_.size(); ++i) out[chains_[i].name] += n[i];
  return out;
}

size_t NftRuleSet::rules_in(const std::string& chain) const {
  size_t n = 0;
  for (size_t i = 0; i < rule_chain_.size(); ++i) n += chains_[rule_chain_[i]].name == chain;
  return n;
}

size_t NftRuleSet::element_count() const {
  size_t n = 0;
  for (const auto& s : sets_) n += s.elements.size();
  return n;
}

const NftSet* NftRuleSet::find_set(const std::string& name) const {
  for (const auto& s : sets_) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::string NftRuleSet::dump() const {
  std::string out;
  size_t est = rules_.size() * 64 + chains_.size() * 64;
  for (const auto& s : sets_) est += s.elements.bytes() + s.elements.size() * 48;
  out.reserve(est + 1024);
  const std::string prefix = std::string(" ip ") + kTable + " ";
  out += "add table ip ";
  out += kTable;
  out += " { comment \"rules for kube-proxy\" ; }\n";
  for (const auto& c : chains_) {
    out += "add chain";
    out += prefix;
    out += c.name;
    if (!c.base.empty()) {
      out += " { ";
      out += c.base;
      out += " ; }";
    }
    out += '\n';
  }
  for (const auto& s : sets_) {
    out += s.is_map ? "add map" : "add set";
    out += prefix;
    out += s.name;
    out += " { ";
    out += s.spec;
    out += " }\n";
  }
  for (size_t i = 0; i < rules_.size(); ++i) {
    out += "add rule";
    out += prefix;
    out += chains_[rule_chain_[i]].name;
    out += ' ';
    out += rules_[i];
    out += '\n';
  }
  for (const auto& s : sets_) {
    for (size_t i = 0; i < s.elements.size(); ++i) {
      out += "add element";
      out += prefix;
      out += s.name;
      out += " { ";
      out += s.elements[i];
      out += " }\n";
    }
  }
  return out;
}

}  // namespace knetsim::models::kubeproxy
