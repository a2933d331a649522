// Cross-references of the traffic and events sections: a target service, port, pod, ingress host
// or node that does not exist is a located error at load time, so `knetsim validate` catches a
// typo before a run reports every request as failed.
#include <fmt/core.h>

#include <string>

#include "sim/core/build_steps.h"

namespace knetsim::core {

namespace {

std::string ports_of(const Service& s) {
  std::string out;
  for (const auto& p : s.ports) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{}/{}", p.port, protocol_name(p.protocol));
    if (p.node_port != 0) out += fmt::format(" (nodePort {})", p.node_port);
  }
  return out.empty() ? "none" : out;
}

bool host_matches(const std::string& rule_host, const std::string& host) {
  if (rule_host.empty() || rule_host == host) return true;
  if (rule_host.rfind("*.", 0) != 0) return false;
  std::string suffix = rule_host.substr(1);  // ".example.com"
  return host.size() > suffix.size() &&
         host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0 &&
         host.find('.') == host.size() - suffix.size();  // the wildcard covers one label
}

bool some_ingress_serves(const Cluster& cl, const std::string& host) {
  for (const auto& ing : cl.ingresses) {
    if (ing.default_backend) return true;
    for (const auto& r : ing.rules) {
      if (host_matches(r.host, host)) return true;
    }
  }
  return false;
}

const char* target_key(TargetKind k) {
  switch (k) {
    case TargetKind::Service:
      return "service";
    case TargetKind::NodePort:
      return "nodePort";
    case TargetKind::LoadBalancer:
      return "loadBalancer";
    case TargetKind::Pod:
      return "pod";
    case TargetKind::Ingress:
      return "ingress";
  }
  return "?";
}

void check_service_target(const Cluster& cl, const TrafficSpec& t) {
  const TrafficTarget& to = t.to;
  auto id = cl.find_service(to.name);
  if (!id) {
    fail(to.name_source, t.path + ".to." + target_key(to.kind),
         fmt::format("traffic \"{}\": service {} does not exist", t.name, to.name));
  }
  const Service& s = cl.services[*id];
  bool external = to.kind != TargetKind::Service;
  if (to.kind == TargetKind::NodePort && s.type != ServiceType::NodePort &&
      s.type != ServiceType::LoadBalancer) {
    fail(to.name_source, t.path + ".to.nodePort",
         fmt::format("traffic \"{}\": service {} is of type ClusterIP and has no nodePort; "
                     "set its type to NodePort or LoadBalancer", t.name, to.name));
  }
  if (to.kind == TargetKind::LoadBalancer && s.type != ServiceType::LoadBalancer) {
    fail(to.name_source, t.path + ".to.loadBalancer",
         fmt::format("traffic \"{}\": service {} is not of type LoadBalancer", t.name, to.name));
  }
  for (const auto& p : s.ports) {
    bool same_port = p.port == to.port || (external && p.node_port == to.port);
    if (same_port && p.protocol == t.protocol) return;
  }
  fail(to.port_source, t.path + ".to.port",
       fmt::format("traffic \"{}\": service {} has no {} port {}{} (its ports: {})", t.name, to.name,
                   protocol_name(t.protocol), to.port, external ? " or nodePort" : "", ports_of(s)));
}

void check_traffic(const Cluster& cl, const TrafficSpec& t) {
  if (!t.from.pod.empty() && !cl.find_pod(t.from.pod)) {
    fail(t.from.pod_source, t.path + ".from.pod",
         fmt::format("traffic \"{}\": pod {} does not exist (`knetsim describe` lists the pods)",
                     t.name, t.from.pod));
  }
  switch (t.to.kind) {
    case TargetKind::Service:
    case TargetKind::NodePort:
    case TargetKind::LoadBalancer:
      check_service_target(cl, t);
      break;
    case TargetKind::Pod:
      if (!cl.find_pod(t.to.name)) {
        fail(t.to.name_source, t.path + ".to.pod",
             fmt::format("traffic \"{}\": pod {} does not exist (`knetsim describe` lists the pods)",
                         t.name, t.to.name));
      }
      break;
    case TargetKind::Ingress:
      if (!some_ingress_serves(cl, t.to.name)) {
        fail(t.to.name_source, t.path + ".to.ingress",
             fmt::format("traffic \"{}\": no Ingress has a rule for host \"{}\"", t.name, t.to.name));
      }
      break;
  }
}

void check_event(const Cluster& cl, const EventSpec& ev) {
  switch (ev.kind) {
    case EventKind::Scale: {
      for (const auto& w : cl.workloads) {
        if (w.key() == ev.target) return;
      }
      fail(ev.target_source, ev.path + ".scale.deployment", fmt::format("workload {} does not exist", ev.target));
    }
    case EventKind::DeletePod:
      if (!cl.find_pod(ev.target)) {
        fail(ev.target_source, ev.path + ".deletePod",
             fmt::format("pod {} does not exist (`knetsim describe` lists the pods)", ev.target));
      }
      return;
    case EventKind::FailNode:
    case EventKind::DrainNode:
    case EventKind::RecoverNode:
      if (!cl.find_node(ev.target)) {
        fail(ev.target_source, ev.path + "." + event_kind_name(ev.kind),
             fmt::format("node \"{}\" does not exist (`knetsim describe` lists the nodes)", ev.target));
      }
      return;
    case EventKind::AddServices:
    case EventKind::RemoveServices:
      return;
  }
}

}  // namespace

void check_references(BuildContext& ctx) {
  for (const auto& t : ctx.scenario.traffic) check_traffic(ctx.cluster, t);
  for (const auto& ev : ctx.scenario.events) check_event(ctx.cluster, ev);
}

}  // namespace knetsim::core
