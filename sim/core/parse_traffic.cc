// The traffic and events sections of a knetsim/v1 Scenario.
#include <cmath>

#include "sim/core/parse_common.h"
#include "sim/core/quantity.h"
#include "sim/core/scenario_sections.h"

namespace knetsim::core {

namespace {

// "ns/name", both parts valid names.
std::string parse_object_ref(const Field& f, const char* what) {
  std::string s = f.str();
  auto slash = s.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == s.size() ||
      s.find('/', slash + 1) != std::string::npos) {
    f.error(std::string("expected a ") + what + " as namespace/name, got " + f.describe());
  }
  return s;
}

// A selector written as plain labels ({app: web}) or as a LabelSelector (matchLabels...).
LabelSelector parse_selector_shorthand(const Field& f) {
  if (!f.defined()) return {};
  f.expect_map();
  if (f["matchLabels"].defined() || f["matchExpressions"].defined()) return parse_label_selector(f);
  LabelSelector sel;
  sel.match_labels = parse_labels(f);
  return sel;
}

DurationDist parse_duration_dist(const Field& f) {
  DurationDist d;
  if (!f.defined()) return d;
  if (f.is_scalar()) {
    d.value_ns = field_duration_ns(f);
    return d;
  }
  f.expect_map();
  f.check_keys({"dist", "value", "mean", "median", "p99", "low", "high"});
  std::string dist = f["dist"].defined()
                         ? f["dist"].one_of({"constant", "exponential", "lognormal", "uniform"})
                         : "constant";
  if (dist == "constant") {
    d.dist = Distribution::Constant;
    d.value_ns = field_duration_ns(f.require("value"));
  } else if (dist == "exponential") {
    d.dist = Distribution::Exponential;
    d.value_ns = field_duration_ns(f.require("mean"));
  } else if (dist == "lognormal") {
    d.dist = Distribution::Lognormal;
    d.value_ns = field_duration_ns(f.require("median"));
    d.p99_ns = field_duration_ns(f.require("p99"));
    if (d.p99_ns < d.value_ns) f["p99"].error("p99 must not be below the median");
  } else {
    d.dist = Distribution::Uniform;
    d.value_ns = field_duration_ns(f.require("low"));
    d.high_ns = field_duration_ns(f.require("high"));
    if (d.high_ns < d.value_ns) f["high"].error("high must not be below low");
  }
  return d;
}

TrafficSpec parse_traffic_item(const Field& t) {
  t.expect_map();
  t.check_keys({"name", "from", "to", "protocol", "rate", "connection", "request", "response",
                "dns", "start", "stop"});
  TrafficSpec spec;
  spec.source = t.where();
  spec.path = t.path();
  spec.name = t.require("name").str();

  Field from = t.require("from");
  from.expect_map();
  from.check_keys({"external", "namespace", "selector", "pod"});
  spec.from.external = from["external"].boolean_or(false);
  if (from["pod"].defined()) {
    spec.from.pod = parse_object_ref(from["pod"], "pod");
    spec.from.pod_source = from["pod"].where();
  }
  spec.from.ns = from["namespace"].str_or(spec.from.external || !spec.from.pod.empty() ? "" : "default");
  spec.from.selector = parse_selector_shorthand(from["selector"]);
  if (spec.from.external && (from["pod"].defined() || from["selector"].defined())) {
    from.error("an external source takes no pod or selector");
  }

  Field to = t.require("to");
  to.expect_map();
  to.check_keys({"service", "ingress", "pod", "nodePort", "loadBalancer", "port", "node", "path"});
  int kinds = 0;
  if (to["service"].defined()) {
    spec.to.name_source = to["service"].where();
    spec.to.kind = TargetKind::Service;
    spec.to.name = parse_object_ref(to["service"], "service");
    ++kinds;
  }
  if (to["nodePort"].defined()) {
    spec.to.name_source = to["nodePort"].where();
    spec.to.kind = TargetKind::NodePort;
    spec.to.name = parse_object_ref(to["nodePort"], "service");
    ++kinds;
  }
  if (to["loadBalancer"].defined()) {
    spec.to.name_source = to["loadBalancer"].where();
    spec.to.kind = TargetKind::LoadBalancer;
    spec.to.name = parse_object_ref(to["loadBalancer"], "service");
    ++kinds;
  }
  if (to["pod"].defined()) {
    spec.to.name_source = to["pod"].where();
    spec.to.kind = TargetKind::Pod;
    spec.to.name = parse_object_ref(to["pod"], "pod");
    ++kinds;
  }
  if (to["ingress"].defined()) {
    spec.to.name_source = to["ingress"].where();
    spec.to.kind = TargetKind::Ingress;
    std::string s = to["ingress"].str();  // host or host/path
    auto slash = s.find('/');
    spec.to.name = s.substr(0, slash);
    if (slash != std::string::npos) spec.to.path = s.substr(slash);
    ++kinds;
  }
  if (kinds != 1) {
    to.error("expected exactly one of service, nodePort, loadBalancer, pod or ingress");
  }
  if (to["path"].defined()) spec.to.path = to["path"].str();
  spec.to.node = to["node"].str_or("");
  spec.to.port_source = to["port"].defined() ? to["port"].where() : to.where();
  if (spec.to.kind == TargetKind::Ingress) {
    spec.to.port = static_cast<int>(to["port"].integer_or(80, 1, 65535));
  } else {
    spec.to.port = parse_port_number(to.require("port"));
  }
  if (spec.to.kind == TargetKind::Service && spec.from.external) {
    to["service"].error("an external client cannot reach a ClusterIP; use nodePort, "
                        "loadBalancer or ingress");
  }
  spec.protocol = parse_protocol_field(t["protocol"]);

  Field rate = t.require("rate");
  rate.expect_map();
  rate.check_keys({"perSecond", "arrival", "concurrency"});
  if (rate["perSecond"].defined() == rate["concurrency"].defined()) {
    rate.error("expected exactly one of perSecond (open loop) or concurrency (closed loop)");
  }
  if (rate["perSecond"].defined()) {
    spec.rate_per_s = rate["perSecond"].number(0.001, 1e8);
    if (rate["arrival"].defined()) {
      spec.arrival = rate["arrival"].one_of({"poisson", "constant"}) == "poisson" ? Arrival::Poisson
                                                                                  : Arrival::Constant;
    }
  } else {
    spec.concurrency = static_cast<int>(rate["concurrency"].integer(1, 1'000'000));
  }
  if (t["connection"].defined()) {
    spec.keepalive = t["connection"].one_of({"new", "keepalive"}) == "keepalive";
  }
  Field req = t["request"];
  req.check_keys({"bytes"});
  if (req["bytes"].defined()) spec.request_bytes = field_bytes(req["bytes"]);
  Field resp = t["response"];
  resp.check_keys({"bytes", "serviceTime"});
  if (resp["bytes"].defined()) spec.response_bytes = field_bytes(resp["bytes"]);
  spec.service_time = parse_duration_dist(resp["serviceTime"]);
  spec.dns_lookup = t["dns"].boolean_or(false);
  if (t["start"].defined()) spec.start_ns = field_duration_ns(t["start"]);
  if (t["stop"].defined()) {
    spec.stop_ns = field_duration_ns(t["stop"]);
    if (*spec.stop_ns <= spec.start_ns) t["stop"].error("stop must come after start");
  }
  return spec;
}

EventSpec parse_event_item(const Field& e) {
  e.expect_map();
  e.check_keys({"at", "scale", "deletePod", "failNode", "drainNode", "recoverNode", "addServices",
                "removeServices"});
  EventSpec ev;
  ev.source = e.where();
  ev.path = e.path();
  ev.at_ns = field_duration_ns(e.require("at"));
  int kinds = 0;
  if (e["scale"].defined()) {
    Field s = e["scale"];
    s.expect_map();
    s.check_keys({"deployment", "replicas"});
    ev.kind = EventKind::Scale;
    ev.target = parse_object_ref(s.require("deployment"), "deployment");
    ev.target_source = s["deployment"].where();
    ev.count = static_cast<int>(s.require("replicas").integer(0, 1'000'000));
    ++kinds;
  }
  if (e["deletePod"].defined()) {
    ev.kind = EventKind::DeletePod;
    ev.target = parse_object_ref(e["deletePod"], "pod");
    ev.target_source = e["deletePod"].where();
    ++kinds;
  }
  for (auto [key, kind] : {std::pair{"failNode", EventKind::FailNode},
                           std::pair{"drainNode", EventKind::DrainNode},
                           std::pair{"recoverNode", EventKind::RecoverNode}}) {
    if (e[key].defined()) {
      ev.kind = kind;
      ev.target = e[key].str();
      ev.target_source = e[key].where();
      ++kinds;
    }
  }
  for (auto [key, kind] : {std::pair{"addServices", EventKind::AddServices},
                           std::pair{"removeServices", EventKind::RemoveServices}}) {
    if (!e[key].defined()) continue;
    Field s = e[key];
    s.expect_map();
    s.check_keys({"count", "endpointsPerService", "namespace"});
    ev.kind = kind;
    ev.count = static_cast<int>(s.require("count").integer(1, 1'000'000));
    ev.endpoints_per_service = static_cast<int>(s["endpointsPerService"].integer_or(1, 0, 10'000));
    ev.target = s["namespace"].str_or("bulk");
    ++kinds;
  }
  if (kinds != 1) {
    e.error("expected exactly one action: scale, deletePod, failNode, drainNode, recoverNode, "
            "addServices or removeServices");
  }
  return ev;
}

}  // namespace

std::vector<TrafficSpec> parse_traffic_section(const Field& f) {
  std::vector<TrafficSpec> out;
  for (const Field& t : f.items()) {
    out.push_back(parse_traffic_item(t));
    for (size_t i = 0; i + 1 < out.size(); ++i) {
      if (out[i].name == out.back().name) {
        t["name"].error("traffic name \"" + out.back().name + "\" is used twice");
      }
    }
  }
  return out;
}

std::vector<EventSpec> parse_events_section(const Field& f) {
  std::vector<EventSpec> out;
  for (const Field& e : f.items()) out.push_back(parse_event_item(e));
  return out;
}

const char* event_kind_name(EventKind k) {
  switch (k) {
    case EventKind::Scale:
      return "scale";
    case EventKind::DeletePod:
      return "deletePod";
    case EventKind::FailNode:
      return "failNode";
    case EventKind::DrainNode:
      return "drainNode";
    case EventKind::RecoverNode:
      return "recoverNode";
    case EventKind::AddServices:
      return "addServices";
    case EventKind::RemoveServices:
      return "removeServices";
  }
  return "?";
}

}  // namespace knetsim::core
