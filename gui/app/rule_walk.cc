#include "gui/app/rule_walk.h"

#include <functional>
#include <regex>

namespace knetsim::gui {
namespace {

constexpr int kContextBefore = 3;
constexpr int kHead = 3;
constexpr size_t kShowWholeChainUpTo = 14;

using Pred = std::function<bool(const std::string&)>;

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// Adds the step for `chain`; returns the matched line or "" when none matched.
std::string add_step(const RuleListing& l, const std::string& table, const std::string& chain,
                     const Pred& pred, RuleWalk& walk) {
  const ChainListing* c = l.find(table, chain);
  if (!c) {
    walk.problem = "no chain " + chain + " in " + table;
    return {};
  }
  WalkStep step{table, chain, c->rules.size(), 0, {}};
  int m = -1;
  for (size_t i = 0; i < c->rules.size(); ++i)
    if (pred(c->rules[i])) {
      m = static_cast<int>(i);
      break;
    }
  int n = static_cast<int>(c->rules.size());
  auto show = [&](int i) { step.lines.push_back({i + 1, c->rules[i], i == m}); };
  if (c->rules.size() <= kShowWholeChainUpTo || m < 0) {
    for (int i = 0; i < std::min<int>(n, kShowWholeChainUpTo); ++i) show(i);
    if (n > static_cast<int>(kShowWholeChainUpTo))
      step.lines.push_back({0, "… " + std::to_string(n - kShowWholeChainUpTo) + " more rules", false});
  } else {
    int from = std::max(0, m - kContextBefore);
    for (int i = 0; i < std::min(kHead, from); ++i) show(i);
    if (from > kHead)
      step.lines.push_back({0, "… " + std::to_string(from - kHead) + " rules tested, not matching …", false});
    for (int i = std::max(from, std::min(kHead, from)); i <= std::min(n - 1, m + 1); ++i) show(i);
    if (m + 2 < n) step.lines.push_back({0, "… " + std::to_string(n - m - 2) + " more rules", false});
  }
  step.matched_position = m + 1;
  walk.steps.push_back(std::move(step));
  if (m < 0) {
    walk.problem = "no rule in " + chain + " matched";
    return {};
  }
  return c->rules[m];
}

// Jump/goto targets named in a rule, in order.
std::vector<std::string> targets(const std::string& rule) {
  static const std::regex re(R"((?:-j|jump|goto)\s+([A-Za-z0-9_./:\-]+))");
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(rule.begin(), rule.end(), re); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1]);
  return out;
}

std::string pick(const std::vector<std::string>& ts, const std::string& prefer) {
  for (const auto& t : ts)
    if (has(t, prefer)) return t;
  return {};
}

}  // namespace

RuleWalk find_rule_walk(const RuleListing& l, const std::string& vip, int port,
                        const std::string& proto, const std::string& endpoint) {
  RuleWalk w;
  std::string p = std::to_string(port);
  std::string ep_ip = endpoint.substr(0, endpoint.find(':'));
  std::string ep_port = endpoint.substr(endpoint.find(':') + 1);
  switch (l.mode) {
    case core::KubeProxyMode::Iptables: {
      std::string r = add_step(l, "nat", "KUBE-SERVICES", [&](const std::string& s) {
        return has(s, "-d " + vip + " ") && has(s, "--dport " + p + " ");
      }, w);
      std::string svc = pick(targets(r), "KUBE-SVC-");
      if (svc.empty()) svc = pick(targets(r), "KUBE-");
      if (svc.empty()) break;
      r = add_step(l, "nat", svc, [&](const std::string& s) { return has(s, "-> " + endpoint); }, w);
      std::string sep = pick(targets(r), "KUBE-SEP-");
      if (sep.empty()) break;
      add_step(l, "nat", sep, [&](const std::string& s) { return has(s, "--to-destination " + endpoint); }, w);
      break;
    }
    case core::KubeProxyMode::Nftables: {
      std::string r = add_step(l, "ip kube-proxy", "services",
                               [&](const std::string& s) { return has(s, "@service-ips"); }, w);
      if (r.empty()) break;
      r = add_step(l, "maps (elements)", "service-ips", [&](const std::string& s) {
        return has(s, "{ " + vip + " . " + proto + " . " + p + " :");
      }, w);
      std::string svc = pick(targets(r), "service-");
      if (svc.empty()) break;
      r = add_step(l, "ip kube-proxy", svc, [&](const std::string& s) {
        return has(s, "__" + ep_ip + "/" + ep_port);
      }, w);
      std::string ep = pick(targets(r), "__" + ep_ip + "/" + ep_port);
      if (ep.empty()) break;
      add_step(l, "ip kube-proxy", ep, [&](const std::string& s) { return has(s, "dnat to " + endpoint); }, w);
      break;
    }
    case core::KubeProxyMode::Ipvs: {
      std::string flag = proto == "udp" ? "-u " : "-t ";
      add_step(l, "ipset", "KUBE-CLUSTER-IP",
               [&](const std::string& s) { return has(s, " " + vip + "," + proto + ":" + p); }, w);
      add_step(l, "ipvs", "virtual servers (ipvsadm -S -n)", [&](const std::string& s) {
        return has(s, "-a " + flag + vip + ":" + p + " -r " + endpoint + " ");
      }, w);
      break;
    }
    case core::KubeProxyMode::Ebpf: {
      // The frontend line, then its backend slots until the next frontend.
      const ChainListing* c = l.chains.empty() ? nullptr : &l.chains.front();
      if (!c) break;
      std::string fe = vip + ":" + p + "/";
      bool in = false;
      add_step(l, c->table, c->chain, [&](const std::string& s) {
        if (!s.empty() && s[0] != ' ') in = s.rfind(fe, 0) == 0;
        return in && s[0] == ' ' && has(s, endpoint + "/");
      }, w);
      break;
    }
    case core::KubeProxyMode::Userspace:
      add_step(l, "nat", "KUBE-PORTALS-CONTAINER", [&](const std::string& s) {
        return has(s, "-d " + vip) && has(s, "--dport " + p + " ");
      }, w);
      break;
  }
  return w;
}

}  // namespace knetsim::gui
