// The hop-by-hop journey of one request (see path_builder.h and path_model.h).
#include "sim/models/path/path_builder.h"

#include <algorithm>
#include <cmath>

#include <fmt/core.h>

#include "sim/models/kubeproxy/datapath_cost.h"
#include "sim/models/policy/policy_engine.h"

namespace knetsim::models::path {

PathBuilder::PathBuilder(const PathModel& model, const RequestSpec& spec, Prediction& out)
    : m_(model), c_(model.cluster()), p_(model.profile_), spec_(spec), out_(out) {}

void PathBuilder::cpu(const std::string& name, int32_t host, double ns, int packets, bool app) {
  Hop h;
  h.name = name;
  h.kind = HopKind::Cpu;
  h.host = host;
  h.to_host = host;
  h.host_name = m_.host_name(host);
  h.ns = static_cast<int64_t>(std::llround(ns));
  h.packets = packets;
  h.application = app;
  out_.total_ns += h.ns;
  if (app) {
    out_.application_ns += h.ns;
  } else {
    out_.network_cpu_ns += h.ns;
  }
  out_.hops.push_back(std::move(h));
}

void PathBuilder::wait(const std::string& name, int32_t host, double ns) {
  Hop h;
  h.name = name;
  h.kind = HopKind::Wait;
  h.host = host;
  h.to_host = host;
  h.host_name = m_.host_name(host);
  h.ns = static_cast<int64_t>(std::llround(ns));
  out_.total_ns += h.ns;
  out_.hops.push_back(std::move(h));
}

int PathBuilder::packets_for(int64_t payload) const {
  int header = static_cast<int>(
      p_.get(spec_.protocol == core::Protocol::UDP ? "udp_header_bytes" : "tcp_header_bytes"));
  int64_t mss = std::max<int64_t>(1, m_.cni().pod_mtu - header);
  if (spec_.protocol == core::Protocol::UDP) return 1;  // one datagram (IP fragments it)
  return static_cast<int>(std::max<int64_t>(1, (payload + mss - 1) / mss));
}

int64_t PathBuilder::wire_bytes(int64_t payload, int packets, bool encapsulated) const {
  int64_t header = static_cast<int64_t>(
      p_.get(spec_.protocol == core::Protocol::UDP ? "udp_header_bytes" : "tcp_header_bytes"));
  int64_t per_packet = header + static_cast<int64_t>(p_.get("ethernet_frame_bytes")) +
                       (encapsulated ? m_.cni().overhead_bytes : 0);
  return payload + packets * per_packet;
}

void PathBuilder::fail(Outcome o, const std::string& detail) {
  out_.outcome = o;
  out_.detail = detail;
  done_ = true;
}

void PathBuilder::fail_after_timeout(Outcome o, int32_t host, const std::string& detail) {
  wait("client waits: no answer (connect timeout)", host, p_.get("connect_timeout_ns"));
  fail(o, detail);
}

bool PathBuilder::carry(const std::string& what, int32_t from, int32_t to, int64_t payload,
                        int packets, bool pod_network) {
  if (from == to) return true;
  const cni::CniModel& cni = m_.cni();
  bool encap = pod_network && from >= 0 && to >= 0 && cni.overhead_bytes > 0;
  std::string tunnel = encap ? cni.label() : "native";
  if (pod_network && from >= 0 && to >= 0) {
    double enc = cni.encap_ns * packets + cni.crypto_byte_ns * payload;
    if (enc > 0) cpu(fmt::format("encapsulate ({}, {} pkt)", tunnel, packets), from, enc, packets);
    // A full-size segment that no longer fits the underlay once encapsulated is dropped.
    if (cni.mtu_black_hole) {
      int header = static_cast<int>(p_.get("tcp_header_bytes"));
      int64_t largest = std::min<int64_t>(payload, cni.pod_mtu - header) + header;
      if (largest + cni.overhead_bytes > cni.underlay_mtu) {
        fail_after_timeout(Outcome::MtuBlackHole, spec_.client_pod ? out_.hops.front().host : kClientHost,
                           fmt::format("{}-byte packet + {} bytes of {} exceeds the {}-byte underlay MTU "
                                       "(pod MTU {} set too high)",
                                       largest, cni.overhead_bytes, tunnel, cni.underlay_mtu,
                                       cni.pod_mtu));
        return false;
      }
    }
  }
  Hop h;
  h.name = fmt::format("wire {} ({}{})", what, tunnel == "native" ? "" : tunnel + ", ",
                       fmt::format("{} pkt", packets));
  h.kind = HopKind::Wire;
  h.host = from;
  h.to_host = to;
  h.host_name = m_.host_name(from);
  h.bytes = wire_bytes(payload, packets, encap);
  h.packets = packets;
  h.ns = m_.fabric().transfer_ns(from, to, h.bytes);
  out_.total_ns += h.ns;
  out_.hops.push_back(std::move(h));
  if (encap) {
    double dec = cni.decap_ns * packets + cni.crypto_byte_ns * payload;
    if (dec > 0) cpu(fmt::format("decapsulate ({}, {} pkt)", tunnel, packets), to, dec, packets);
  }
  return true;
}

bool PathBuilder::resolve_service(core::ServiceId svc, int port,
                                  std::optional<core::NodeId> local_only) {
  svc_ = svc;
  out_.service = svc;
  auto pi = m_.port_index(svc, port);
  if (!pi) {
    fail(Outcome::BadTarget, fmt::format("service {} has no port {}", c_.services[svc].key(), port));
    return false;
  }
  port_index_ = *pi;
  auto backends = c_.backends_of(svc, c_.services[svc].ports[*pi]);
  std::optional<size_t> chosen = spec_.backend_index;
  if (!chosen) {
    for (size_t i = 0; i < backends.size(); ++i) {
      const core::Endpoint* e = backends[i].endpoint;
      if (e && !e->ready) continue;
      if (local_only && (!e || e->node_name != c_.nodes[*local_only].name)) continue;
      chosen = i;
      break;
    }
  }
  if (!chosen || *chosen >= backends.size()) return false;
  const auto& b = backends[*chosen];
  out_.backend_index = *chosen;
  server_.ip = b.ip;
  server_.port = b.port;
  server_.pod = b.endpoint ? b.endpoint->pod : std::nullopt;
  if (server_.pod) {
    server_.host = static_cast<int32_t>(c_.pods[*server_.pod].node);
  } else if (b.endpoint) {
    auto n = c_.find_node(b.endpoint->node_name);
    server_.host = n ? static_cast<int32_t>(*n) : 0;
  }
  return true;
}

bool PathBuilder::policy_allows(std::optional<core::PodId> client_pod,
                                std::optional<core::Ipv4> from_ip) {
  if (!server_.pod || c_.pods[*server_.pod].spec.host_network) return true;
  policy::Verdict v;
  if (client_pod && !c_.pods[*client_pod].spec.host_network) {
    v = m_.policy().check(*client_pod, *server_.pod, server_.port, spec_.protocol);
  } else {
    core::Ipv4 ip = from_ip ? *from_ip : core::Ipv4{};
    v = m_.policy().check_from_ip(ip, *server_.pod, server_.port, spec_.protocol);
  }
  if (!v.allowed) {
    fail_after_timeout(Outcome::PolicyDenied, out_.hops.empty() ? kClientHost : out_.hops.front().host,
                       "dropped by policy: " + v.reason);
    return false;
  }
  return true;
}

// The packet reached a node where the endpoint no longer is (or the node is down).
void PathBuilder::server_side_failure(int32_t client_host) {
  if (spec_.server_state == ServerState::NodeDown) {
    fail_after_timeout(Outcome::StaleEndpoint, client_host,
                       fmt::format("endpoint {} is on a failed node", server_.ip.str()));
  } else {
    // The node has no route to the vanished pod IP: ICMP host unreachable comes back at once.
    carry("ICMP unreachable", server_.host, client_host, 0, 1, false);
    fail(Outcome::StaleEndpoint, fmt::format("endpoint {} no longer exists", server_.ip.str()));
  }
}

bool PathBuilder::pod_exchange(int32_t client_host, std::optional<core::PodId> client_pod,
                               bool new_conn, int64_t req_bytes, int64_t resp_bytes, bool app) {
  const cni::CniModel& cni = m_.cni();
  bool tcp = spec_.protocol != core::Protocol::UDP;
  bool same_node = client_host == server_.host;
  bool has_policies = !c_.network_policies.empty() && cni.enforces_policy;
  double tx = p_.get("tcp_packet_tx_ns");
  double rx = p_.get("tcp_packet_rx_ns");
  double sys = p_.get("syscall_ns");
  const kubeproxy::DatapathCost* dp = svc_ ? &m_.datapath(client_host) : nullptr;
  bool masquerade = svc_ && (c_.kube_proxy.masquerade_all ||
                             (client_pod && c_.pods[*client_pod].spec.host_network));

  // One direction of packets from the client pod to the server pod (or back).
  auto forward = [&](const std::string& what, int64_t bytes, int packets, bool first) -> bool {
    cpu(fmt::format("pod veth ({} pkt)", packets), client_host, p_.get("veth_hop_ns") * packets,
        packets);
    if (first && has_policies) {
      cpu(fmt::format("egress policy check ({})", cni.plugin + (cni.ebpf ? " eBPF" : " iptables")),
          client_host, cni.policy_check_ns, 1);
    }
    if (dp) {
      if (first) {
        kubeproxy::PacketCost pc = dp->first_packet(*svc_, port_index_, out_.backend_index);
        out_.rules_evaluated = pc.rules_evaluated;
        cpu(fmt::format("service lookup, first packet ({}, {} rules, {} lookups)",
                        core::kube_proxy_mode_name(m_.proxy_mode()), pc.rules_evaluated, pc.lookups),
            client_host, pc.cpu_ns, 1);
        if (masquerade) cpu("SNAT (masquerade)", client_host, p_.get("snat_ns"), 1);
        if (packets > 1) {
          cpu(fmt::format("conntrack hit ({} pkt)", packets - 1), client_host,
              dp->established_packet().cpu_ns * (packets - 1), packets - 1);
        }
      } else {
        cpu(fmt::format("conntrack hit ({} pkt)", packets), client_host,
            dp->established_packet().cpu_ns * packets, packets);
      }
    }
    if (first && !policy_allows(client_pod, c_.nodes[client_host].ip)) return false;
    if (spec_.server_state != ServerState::Alive) {
      if (!same_node) {
        cpu("pod -> NIC", client_host, cni.to_wire_ns * packets, packets);
        if (!carry(what, client_host, server_.host, bytes, packets, true)) return false;
      }
      server_side_failure(client_host);
      return false;
    }
    if (same_node) {
      cpu(fmt::format("same node ({} pkt)", packets), client_host, cni.same_node_ns * packets, packets);
    } else {
      cpu("pod -> NIC", client_host, cni.to_wire_ns * packets, packets);
      if (!carry(what, client_host, server_.host, bytes, packets, true)) return false;
      cpu("NIC -> pod", server_.host, cni.from_wire_ns * packets, packets);
    }
    if (first && has_policies) {
      cpu(fmt::format("ingress policy check ({})", cni.plugin + (cni.ebpf ? " eBPF" : " iptables")),
          server_.host, cni.policy_check_ns, 1);
    }
    return true;
  };
  auto backward = [&](const std::string& what, int64_t bytes, int packets) -> bool {
    if (same_node) {
      cpu(fmt::format("same node ({} pkt)", packets), server_.host, cni.same_node_ns * packets, packets);
    } else {
      cpu("pod -> NIC", server_.host, cni.to_wire_ns * packets, packets);
      if (!carry(what, server_.host, client_host, bytes, packets, true)) return false;
      cpu("NIC -> pod", client_host, cni.from_wire_ns * packets, packets);
    }
    if (dp) {
      cpu(fmt::format("conntrack reverse NAT ({} pkt)", packets), client_host,
          dp->established_packet().cpu_ns * packets, packets);
    }
    return true;
  };

  bool first_in_request = new_conn;
  if (tcp && new_conn) {
    cpu("client connect() + SYN", client_host, sys + tx, 1);
    if (!forward("SYN", 0, 1, true)) return false;
    cpu("server SYN -> SYN-ACK", server_.host, rx + tx, 1);
    if (!backward("SYN-ACK", 0, 1)) return false;
    cpu("client SYN-ACK", client_host, rx, 1);
    first_in_request = false;
  }
  int req_pkts = packets_for(req_bytes);
  cpu(fmt::format("client send ({} B, {} pkt)", req_bytes, req_pkts), client_host,
      sys + tx * req_pkts, req_pkts);
  if (!forward("request", req_bytes, req_pkts, first_in_request)) return false;
  cpu(fmt::format("server receive ({} pkt)", req_pkts), server_.host, sys + rx * req_pkts, req_pkts);
  if (app) cpu("application (service time)", server_.host, spec_.service_time_ns, 0, true);
  int resp_pkts = packets_for(resp_bytes);
  cpu(fmt::format("server send ({} B, {} pkt)", resp_bytes, resp_pkts), server_.host,
      sys + tx * resp_pkts, resp_pkts);
  if (!backward("response", resp_bytes, resp_pkts)) return false;
  cpu(fmt::format("client receive ({} pkt)", resp_pkts), client_host, sys + rx * resp_pkts,
      resp_pkts);
  return true;
}

void PathBuilder::run_pod_client() {
  core::PodId client = *spec_.client_pod;
  int32_t client_host = static_cast<int32_t>(c_.pods[client].node);
  if (spec_.dns_lookup) wait("DNS lookup (CoreDNS)", client_host, p_.get("dns_lookup_ns"));
  const core::TrafficTarget& t = spec_.target;
  if (t.kind == core::TargetKind::Pod) {
    auto pod = c_.find_pod(t.name);
    if (!pod) return fail(Outcome::BadTarget, "no pod " + t.name);
    server_.pod = pod;
    server_.host = static_cast<int32_t>(c_.pods[*pod].node);
    server_.ip = c_.pods[*pod].ip;
    server_.port = t.port;
  } else if (t.kind == core::TargetKind::Service) {
    auto svc = c_.find_service(t.name);
    if (!svc) return fail(Outcome::BadTarget, "no service " + t.name);
    if (!resolve_service(*svc, t.port, std::nullopt)) {
      if (done_) return;
      // kube-proxy rejects connections to a service without endpoints (ICMP port unreachable).
      const auto& dp = m_.datapath(client_host);
      auto pc = dp.first_packet(*svc, port_index_, 0);
      out_.rules_evaluated = pc.rules_evaluated;
      cpu("client connect()", client_host, p_.get("syscall_ns") + p_.get("tcp_packet_tx_ns"), 1);
      cpu(fmt::format("service lookup: no endpoints, rejected ({} rules)", pc.rules_evaluated),
          client_host, pc.cpu_ns, 1);
      return fail(Outcome::NoEndpoints, "service " + t.name + " has no ready endpoints");
    }
  } else {
    return fail(Outcome::BadTarget, "a pod client reaches services and pods; use an external "
                                    "client for nodePort, loadBalancer and ingress targets");
  }
  out_.server_pod = server_.pod;
  out_.server_host = server_.host;
  out_.server_ip = server_.ip;
  out_.server_port = server_.port;
  pod_exchange(client_host, client, spec_.new_connection, spec_.request_bytes,
               spec_.response_bytes, true);
}

void PathBuilder::run_external() {
  const core::TrafficTarget& t = spec_.target;
  auto svc = c_.find_service(t.name);
  if (!svc) return fail(Outcome::BadTarget, "no service " + t.name);
  const core::Service& s = c_.services[*svc];
  bool local = s.external_traffic_policy == core::TrafficPolicy::Local;
  bool via_lb = t.kind == core::TargetKind::LoadBalancer;
  core::NodeId entry = spec_.entry_node.value_or(0);
  if (!spec_.entry_node && !t.node.empty()) {
    if (auto n = c_.find_node(t.node)) entry = *n;
  }
  int32_t e = static_cast<int32_t>(entry);
  int32_t client = kClientHost;
  bool tcp = spec_.protocol != core::Protocol::UDP;
  double lb_ns = p_.get("load_balancer_packet_ns");
  double route_ns = p_.get("host_route_ns");
  double tx = p_.get("tcp_packet_tx_ns");
  double rx = p_.get("tcp_packet_rx_ns");
  double sys = p_.get("syscall_ns");

  // The service port by its port number (LoadBalancer) or its nodePort (NodePort).
  std::optional<size_t> pi;
  for (size_t i = 0; i < s.ports.size(); ++i) {
    if (s.ports[i].port == t.port || s.ports[i].node_port == t.port) pi = i;
  }
  if (!pi) return fail(Outcome::BadTarget, fmt::format("service {} has no port {}", t.name, t.port));
  bool resolved = resolve_service(*svc, s.ports[*pi].port,
                                  local ? std::optional<core::NodeId>(entry) : std::nullopt);
  if (done_) return;
  const auto& dp = m_.datapath(entry);
  out_.server_pod = server_.pod;
  out_.server_host = server_.host;
  out_.server_ip = server_.ip;
  out_.server_port = server_.port;

  // Client -> (cloud LB ->) entry node, one direction; returns with the packet on the node.
  auto inbound = [&](const std::string& what, int64_t bytes, int packets) {
    if (via_lb) {
      carry(what, client, kLoadBalancerHost, bytes, packets, false);
      cpu(fmt::format("cloud load balancer ({} pkt)", packets), kLoadBalancerHost, lb_ns * packets,
          packets);
      carry(what, kLoadBalancerHost, e, bytes, packets, false);
    } else {
      carry(what, client, e, bytes, packets, false);
    }
    cpu(fmt::format("node NIC + routing ({} pkt)", packets), e, route_ns * packets, packets);
  };
  auto outbound = [&](const std::string& what, int64_t bytes, int packets) {
    cpu(fmt::format("node routing out ({} pkt)", packets), e, route_ns * packets, packets);
    if (via_lb) {
      carry(what, e, kLoadBalancerHost, bytes, packets, false);
      cpu(fmt::format("cloud load balancer ({} pkt)", packets), kLoadBalancerHost, lb_ns * packets,
          packets);
      carry(what, kLoadBalancerHost, client, bytes, packets, false);
    } else {
      carry(what, e, client, bytes, packets, false);
    }
  };
  bool second_hop = server_.host != e;
  bool snat = !local;  // externalTrafficPolicy Cluster masquerades; Local keeps the client IP
  const cni::CniModel& cni = m_.cni();
  bool has_policies = !c_.network_policies.empty() && cni.enforces_policy;
  auto to_server = [&](const std::string& what, int64_t bytes, int packets, bool first) -> bool {
    if (first) {
      auto pc = dp.first_packet(*svc, *pi, out_.backend_index);
      out_.rules_evaluated = pc.rules_evaluated;
      cpu(fmt::format("service lookup, first packet ({}, {} rules, {} lookups)",
                      core::kube_proxy_mode_name(m_.proxy_mode()), pc.rules_evaluated, pc.lookups),
          e, pc.cpu_ns, 1);
      if (snat) cpu("SNAT (masquerade, externalTrafficPolicy Cluster)", e, p_.get("snat_ns"), 1);
      if (!resolved) {
        // Cluster: no endpoints anywhere, rejected; Local: no endpoint on this node, dropped.
        if (local) {
          fail_after_timeout(Outcome::NoEndpoints, client,
                             "externalTrafficPolicy Local and no endpoint on " + c_.nodes[entry].name +
                                 ": dropped");
        } else {
          carry("ICMP unreachable", e, client, 0, 1, false);
          fail(Outcome::NoEndpoints, "service " + t.name + " has no ready endpoints");
        }
        return false;
      }
      core::Ipv4 src = snat ? c_.nodes[entry].ip : core::Ipv4{0xC6336401};  // 198.51.100.1
      if (!policy_allows(std::nullopt, src)) return false;
    } else {
      cpu(fmt::format("conntrack hit ({} pkt)", packets), e, dp.established_packet().cpu_ns * packets,
          packets);
    }
    if (spec_.server_state != ServerState::Alive) {
      if (second_hop) carry(what, e, server_.host, bytes, packets, true);
      server_side_failure(e);
      if (out_.outcome == Outcome::StaleEndpoint && spec_.server_state == ServerState::PodGone) {
        carry("ICMP unreachable", e, client, 0, 1, false);
      }
      return false;
    }
    if (second_hop) {
      cpu("node -> pod network", e, cni.to_wire_ns * packets, packets);
      if (!carry(what + " (second hop)", e, server_.host, bytes, packets, true)) return false;
    }
    cpu("NIC -> pod", server_.host, cni.from_wire_ns * packets, packets);
    if (first && has_policies) {
      cpu("ingress policy check", server_.host, cni.policy_check_ns, 1);
    }
    return true;
  };
  auto from_server = [&](const std::string& what, int64_t bytes, int packets) -> bool {
    cpu("pod -> NIC", server_.host, cni.to_wire_ns * packets, packets);
    if (second_hop && !carry(what + " (second hop)", server_.host, e, bytes, packets, true)) {
      return false;
    }
    cpu(fmt::format("conntrack reverse NAT ({} pkt)", packets), e,
        dp.established_packet().cpu_ns * packets, packets);
    return true;
  };

  bool first = spec_.new_connection;
  if (tcp && spec_.new_connection) {
    cpu("client connect() + SYN", client, sys + tx, 1);
    inbound("SYN", 0, 1);
    if (!to_server("SYN", 0, 1, true)) return;
    cpu("server SYN -> SYN-ACK", server_.host, rx + tx, 1);
    if (!from_server("SYN-ACK", 0, 1)) return;
    outbound("SYN-ACK", 0, 1);
    cpu("client SYN-ACK", client, rx, 1);
    first = false;
  }
  int req_pkts = packets_for(spec_.request_bytes);
  cpu(fmt::format("client send ({} B)", spec_.request_bytes), client, sys + tx * req_pkts, req_pkts);
  inbound("request", spec_.request_bytes, req_pkts);
  if (!to_server("request", spec_.request_bytes, req_pkts, first)) return;
  cpu(fmt::format("server receive ({} pkt)", req_pkts), server_.host, sys + rx * req_pkts, req_pkts);
  cpu("application (service time)", server_.host, spec_.service_time_ns, 0, true);
  int resp_pkts = packets_for(spec_.response_bytes);
  cpu(fmt::format("server send ({} B)", spec_.response_bytes), server_.host, sys + tx * resp_pkts,
      resp_pkts);
  if (!from_server("response", spec_.response_bytes, resp_pkts)) return;
  outbound("response", spec_.response_bytes, resp_pkts);
  cpu(fmt::format("client receive ({} pkt)", resp_pkts), client, sys + rx * resp_pkts, resp_pkts);
}

// External client -> cloud LB -> ingress controller (TLS termination, host/path routing) ->
// upstream service over a keep-alive upstream connection -> back.
void PathBuilder::run_ingress() {
  const core::TrafficTarget& t = spec_.target;
  // Find the rule: exact host (or wildcard / empty host), longest matching path.
  const core::IngressBackend* backend = nullptr;
  const core::Ingress* ing = nullptr;
  size_t best_len = 0;
  int rules_examined = 0;
  for (const core::Ingress& in : c_.ingresses) {
    for (const core::IngressRule& r : in.rules) {
      bool host_ok = r.host.empty() || r.host == t.name ||
                     (r.host.rfind("*.", 0) == 0 && t.name.size() > r.host.size() - 1 &&
                      t.name.compare(t.name.size() - (r.host.size() - 1), std::string::npos,
                                     r.host.substr(1)) == 0);
      for (const core::IngressPath& ip : r.paths) {
        ++rules_examined;
        if (!host_ok) continue;
        bool match = ip.type == core::PathType::Exact
                         ? t.path == ip.path
                         : t.path.rfind(ip.path, 0) == 0 &&
                               (ip.path == "/" || t.path.size() == ip.path.size() ||
                                t.path[ip.path.size()] == '/' || ip.path.back() == '/');
        if (match && (backend == nullptr || ip.path.size() > best_len)) {
          backend = &ip.backend;
          ing = &in;
          best_len = ip.path.size();
        }
      }
    }
    if (!backend && in.default_backend) {
      backend = &*in.default_backend;
      ing = &in;
    }
  }
  int32_t client = kClientHost;
  int32_t ctrl = static_cast<int32_t>(m_.ingress_controller_node());
  double tx = p_.get("tcp_packet_tx_ns");
  double rx = p_.get("tcp_packet_rx_ns");
  double sys = p_.get("syscall_ns");
  double lb_ns = p_.get("load_balancer_packet_ns");
  auto lb_leg = [&](const std::string& what, int32_t from, int32_t to, int64_t bytes, int pk) {
    carry(what, from, kLoadBalancerHost, bytes, pk, false);
    cpu(fmt::format("cloud load balancer ({} pkt)", pk), kLoadBalancerHost, lb_ns * pk, pk);
    carry(what, kLoadBalancerHost, to, bytes, pk, false);
  };
  bool tls = false;
  if (ing) {
    for (const auto& t2 : ing->tls) {
      for (const auto& h : t2.hosts) tls = tls || h == t.name;
    }
  }
  if (spec_.new_connection) {
    cpu("client connect() + SYN", client, sys + tx, 1);
    lb_leg("SYN", client, ctrl, 0, 1);
    cpu("ingress controller accept", ctrl, rx + tx + sys, 1);
    lb_leg("SYN-ACK", ctrl, client, 0, 1);
    if (tls) {
      // TLS 1.3: one more round trip, the handshake CPU at the controller.
      lb_leg("TLS ClientHello", client, ctrl, 300, 1);
      cpu("TLS handshake (ingress)", ctrl, p_.get("tls_handshake_ns"), 1);
      lb_leg("TLS ServerHello", ctrl, client, 3000, packets_for(3000));
    }
  }
  int req_pkts = packets_for(spec_.request_bytes);
  cpu(fmt::format("client send ({} B)", spec_.request_bytes), client, sys + tx * req_pkts, req_pkts);
  lb_leg("request", client, ctrl, spec_.request_bytes, req_pkts);
  cpu(fmt::format("ingress proxy ({} rules examined{})", rules_examined, tls ? ", TLS" : ""), ctrl,
      p_.get("ingress_proxy_request_ns") + p_.get("ingress_route_match_ns") * rules_examined +
          (tls ? p_.get("tls_record_byte_ns") * (spec_.request_bytes + spec_.response_bytes) : 0) +
          rx * req_pkts,
      req_pkts);
  if (!backend) {
    lb_leg("404", ctrl, client, 200, 1);
    return fail(Outcome::BadTarget, "no ingress rule for " + t.name + t.path);
  }
  auto svc = c_.find_service(ing->ns, backend->service_name);
  if (!svc) return fail(Outcome::NoEndpoints, "ingress backend service missing");
  int port = backend->port.number;
  if (backend->port.is_named()) {
    for (const auto& sp : c_.services[*svc].ports) {
      if (sp.name == backend->port.name) port = sp.port;
    }
  }
  if (!resolve_service(*svc, port, std::nullopt)) {
    if (!done_) {
      lb_leg("503", ctrl, client, 200, 1);
      fail(Outcome::NoEndpoints, "ingress backend " + c_.services[*svc].key() + " has no endpoints");
    }
    return;
  }
  out_.server_pod = server_.pod;
  out_.server_host = server_.host;
  out_.server_ip = server_.ip;
  out_.server_port = server_.port;
  // The controller keeps upstream connections alive: established path, no handshake.
  if (!pod_exchange(ctrl, m_.ingress_controller_pod(), false, spec_.request_bytes,
                    spec_.response_bytes, true)) {
    return;
  }
  int resp_pkts = packets_for(spec_.response_bytes);
  lb_leg("response", ctrl, client, spec_.response_bytes, resp_pkts);
  cpu(fmt::format("client receive ({} pkt)", resp_pkts), client, sys + rx * resp_pkts, resp_pkts);
}

void PathBuilder::run() {
  const core::TrafficTarget& t = spec_.target;
  if (t.kind == core::TargetKind::Ingress) {
    run_ingress();
  } else if (t.kind == core::TargetKind::NodePort || t.kind == core::TargetKind::LoadBalancer) {
    run_external();
  } else if (spec_.client_pod) {
    run_pod_client();
  } else {
    fail(Outcome::BadTarget, "an external client reaches nodePort, loadBalancer or ingress targets");
  }
}

}  // namespace knetsim::models::path
