// Fuzzes the Kubernetes manifest loader (manifest_loader.h) as `knetsim` reads a plain manifest
// file: every document through parse_manifest_object, then the cluster built from the objects.
// Any input must either load or fail with a ScenarioError naming the input; what loads must obey
// the API's rules the loader promises to enforce (valid names and labels, ports in range, workload
// selectors matching their templates, endPort only after a numeric port), and the built cluster
// must be consistent.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "sim/core/cluster.h"
#include "sim/core/load_limits.h"
#include "tests/fuzz/cluster_invariants.h"
#include "sim/core/manifest_loader.h"
#include "sim/core/names.h"

namespace {

using namespace knetsim::core;

void check_labels(const Labels& labels) {
  for (const auto& [k, v] : labels) {
    if (!check_label_key(k).empty() || !check_label_value(v).empty()) std::abort();
  }
}

void check_port_ref(const PortRef& p) {
  if (p.is_named() ? !check_port_name(p.name).empty() : (p.number < 1 || p.number > 65535)) {
    std::abort();
  }
}

void check_pod_spec(const PodSpec& spec) {
  for (const Container& c : spec.containers) {
    for (const ContainerPort& p : c.ports) {
      if (p.container_port < 1 || p.container_port > 65535) std::abort();
      if (p.host_port < 0 || p.host_port > 65535) std::abort();
      if (!p.name.empty() && !check_port_name(p.name).empty()) std::abort();
    }
  }
}

void check_set(const ManifestSet& m) {
  for (const Namespace& n : m.namespaces) {
    if (!check_dns1123_label(n.name).empty()) std::abort();
    check_labels(n.labels);
  }
  for (const Pod& p : m.pods) {
    if (!check_dns1123_label(p.ns).empty() || p.name.empty()) std::abort();
    check_labels(p.labels);
    check_pod_spec(p.spec);
  }
  if (m.pod_ip_given.size() != m.pods.size()) std::abort();
  for (const Workload& w : m.workloads) {
    check_labels(w.labels);
    check_labels(w.template_.labels);
    if (w.replicas < 0) std::abort();
    if (!w.selector.matches(w.template_.labels)) std::abort();  // the API server's rule
    check_pod_spec(w.template_.spec);
  }
  for (const Service& s : m.services) {
    if (!check_dns1035_label(s.name).empty()) std::abort();
    for (const ServicePort& p : s.ports) {
      if (s.type != ServiceType::ExternalName && (p.port < 1 || p.port > 65535)) std::abort();
      if (p.node_port < 0 || p.node_port > 65535) std::abort();
      if (s.type != ServiceType::ExternalName) check_port_ref(p.target_port);
    }
    if (s.selector) check_labels(*s.selector);
  }
  for (const EndpointSlice& e : m.endpoint_slices) {
    for (const EndpointPort& p : e.ports) {
      if (p.port < 1 || p.port > 65535) std::abort();
    }
  }
  for (const NetworkPolicy& np : m.network_policies) {
    if (!np.affects_ingress && !np.affects_egress && np.policy_types_given) {
      // policyTypes: [] is legal but must then isolate nothing; nothing to check.
    }
    for (const auto* rules : {&np.ingress, &np.egress}) {
      for (const NetworkPolicyRule& r : *rules) {
        for (const NetworkPolicyPort& p : r.ports) {
          if (p.port) check_port_ref(*p.port);
          if (p.end_port) {
            if (!p.port || p.port->is_named() || *p.end_port < p.port->number ||
                *p.end_port > 65535) {
              std::abort();
            }
          }
        }
        for (const NetworkPolicyPeer& peer : r.peers) {
          bool selectors = peer.pod_selector || peer.namespace_selector;
          if (selectors == peer.ip_block.has_value()) std::abort();  // exactly one form
          if (peer.ip_block) {
            for (const Cidr& ex : peer.ip_block->except) {
              if (!peer.ip_block->cidr.contains(ex)) std::abort();
            }
          }
        }
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static bool init = [] {
    // Keep each input cheap: a fuzzer finds nothing new in 10^6-pod clusters.
    load_limits().max_objects = 20'000;
    load_limits().max_yaml_nodes = 200'000;
    return true;
  }();
  (void)init;
  std::string text(reinterpret_cast<const char*>(data), size);
  auto file = std::make_shared<const std::string>("fuzz.yaml");
  Diagnostics diags;
  try {
    Scenario sc;
    sc.file = *file;
    sc.plain_manifests = true;
    for (const auto& node : load_yaml_documents_from_string(text, *file)) {
      if (!node.IsDefined() || node.IsNull()) continue;
      Field doc(node, "", file, &diags);
      doc.check_no_duplicate_keys();
      parse_manifest_object(doc, sc.objects);
    }
    check_set(sc.objects);
    knetsim::fuzz::check_cluster_invariants(build_cluster(sc, diags));
  } catch (const ScenarioError& e) {
    if (e.diagnostic().where.file != "fuzz.yaml") std::abort();  // every error names the input
  }
  return 0;
}
