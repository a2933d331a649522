// The EndpointSlice controller: for every service with a selector, the pods it selects become
// endpoints. Pods whose named targetPorts resolve to different numbers land in different
// slices (one slice per distinct port set), at most 100 endpoints per slice
// (--max-endpoints-per-slice default), as kube-controller-manager does.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "sim/core/build_steps.h"
#include "sim/core/rng.h"

namespace knetsim::core {

namespace {

inline constexpr size_t kMaxEndpointsPerSlice = 100;

// Pods by "ns\0key=value", so a selector only scans pods carrying its rarest label.
class PodLabelIndex {
 public:
  explicit PodLabelIndex(const std::vector<Pod>& pods) {
    for (PodId i = 0; i < pods.size(); ++i) {
      by_ns_[pods[i].ns].push_back(i);
      for (const auto& [k, v] : pods[i].labels) by_label_[key(pods[i].ns, k, v)].push_back(i);
    }
  }
  const std::vector<PodId>& candidates(const std::string& ns, const Labels& selector) const {
    static const std::vector<PodId> kNone;
    const std::vector<PodId>* best = nullptr;
    for (const auto& [k, v] : selector) {
      auto it = by_label_.find(key(ns, k, v));
      if (it == by_label_.end()) return kNone;
      if (!best || it->second.size() < best->size()) best = &it->second;
    }
    if (best) return *best;
    auto it = by_ns_.find(ns);
    return it == by_ns_.end() ? kNone : it->second;
  }

 private:
  static std::string key(const std::string& ns, const std::string& k, const std::string& v) {
    return ns + '\0' + k + '=' + v;
  }
  std::unordered_map<std::string, std::vector<PodId>> by_ns_;
  std::unordered_map<std::string, std::vector<PodId>> by_label_;
};

bool pod_is_endpoint_candidate(const Pod& p) {
  return p.node != kNoNode && p.ip.value != 0 && p.phase != "Succeeded" && p.phase != "Failed";
}

}  // namespace

void build_endpoint_slices(BuildContext& ctx) {
  Cluster& cl = ctx.cluster;
  // User-written slices: link endpoints to pods by address; warn about orphans.
  for (EndpointSlice& s : cl.endpoint_slices) {
    if (!cl.find_service(s.ns, s.service_name) && s.source.file != "<implicit>") {
      ctx.diags.warn(s.source, "metadata.labels",
                     "EndpointSlice " + s.ns + "/" + s.name + " names service \"" +
                         s.service_name + "\", which does not exist");
    }
    for (Endpoint& e : s.endpoints) {
      if (auto pod = cl.pod_by_ip(e.address)) e.pod = *pod;
    }
  }
  PodLabelIndex index(cl.pods);
  std::vector<EndpointSlice> derived;
  for (const Service& svc : cl.services) {
    if (!svc.selector || svc.type == ServiceType::ExternalName) continue;
    if (svc.selector->empty()) {
      ctx.diags.warn(svc.source, "spec.selector",
                     "an empty selector selects nothing (the API server drops it); the service "
                     "gets no endpoints");
      continue;
    }
    // Port set -> endpoints with that port set, in pod order.
    std::map<std::vector<int>, std::vector<Endpoint>> groups;
    for (PodId id : index.candidates(svc.ns, *svc.selector)) {
      const Pod& pod = cl.pods[id];
      if (!labels_contain(pod.labels, *svc.selector) || !pod_is_endpoint_candidate(pod)) continue;
      std::vector<int> ports;
      for (const ServicePort& sp : svc.ports) {
        if (!sp.target_port.is_named()) {
          ports.push_back(sp.target_port.number);
        } else if (const ContainerPort* cp = pod.find_port(sp.target_port.name, sp.protocol)) {
          ports.push_back(cp->container_port);
        } else {
          ports.push_back(0);  // this pod does not serve that port
        }
      }
      Endpoint e;
      e.address = pod.ip;
      e.ready = (pod.ready && !pod.terminating) || svc.publish_not_ready_addresses;
      e.serving = pod.ready;
      e.terminating = pod.terminating;
      e.node_name = cl.nodes[pod.node].name;
      e.zone = cl.nodes[pod.node].zone;
      if (!pod.spec.hostname.empty() && pod.spec.subdomain == svc.name) e.hostname = pod.spec.hostname;
      e.pod = id;
      groups[ports].push_back(std::move(e));
    }
    Rng rng(ctx.scenario.seed, "endpointslice-names:" + svc.key());
    auto slice_name = [&] {
      std::string s = svc.name + "-";
      for (int i = 0; i < 5; ++i) s.push_back(kNameAlphabet[rng.below(sizeof(kNameAlphabet) - 1)]);
      return s;
    };
    if (groups.empty()) {
      // The controller keeps one empty slice (no endpoints) for a selector that matches nothing.
      EndpointSlice s;
      s.ns = svc.ns;
      s.name = slice_name();
      s.service_name = svc.name;
      s.source = svc.source;
      derived.push_back(std::move(s));
      continue;
    }
    for (auto& [ports, endpoints] : groups) {
      for (size_t start = 0; start < endpoints.size(); start += kMaxEndpointsPerSlice) {
        EndpointSlice s;
        s.ns = svc.ns;
        s.name = slice_name();
        s.service_name = svc.name;
        s.source = svc.source;
        for (size_t i = 0; i < svc.ports.size(); ++i) {
          if (ports[i] == 0) continue;
          s.ports.push_back(EndpointPort{svc.ports[i].name, svc.ports[i].protocol, ports[i]});
        }
        size_t end = std::min(endpoints.size(), start + kMaxEndpointsPerSlice);
        s.endpoints.assign(endpoints.begin() + static_cast<long>(start),
                           endpoints.begin() + static_cast<long>(end));
        derived.push_back(std::move(s));
      }
    }
  }
  for (auto& s : derived) cl.endpoint_slices.push_back(std::move(s));
  // Order slices by service (service order), keeping each service's slices in creation order.
  std::unordered_map<std::string, size_t> svc_order;
  for (size_t i = 0; i < cl.services.size(); ++i) svc_order[cl.services[i].key()] = i;
  std::stable_sort(cl.endpoint_slices.begin(), cl.endpoint_slices.end(),
                   [&](const EndpointSlice& a, const EndpointSlice& b) {
                     auto ia = svc_order.find(a.ns + "/" + a.service_name);
                     auto ib = svc_order.find(b.ns + "/" + b.service_name);
                     size_t oa = ia == svc_order.end() ? SIZE_MAX : ia->second;
                     size_t ob = ib == svc_order.end() ? SIZE_MAX : ib->second;
                     return oa < ob;
                   });
}

}  // namespace knetsim::core
