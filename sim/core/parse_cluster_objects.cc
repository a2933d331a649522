// Namespace and Node manifests.
#include "sim/core/manifest_kinds.h"
#include "sim/core/parse_common.h"

namespace knetsim::core {

void parse_namespace(const Field& doc, ManifestSet& out) {
  ObjectMeta meta = parse_metadata(doc, false, NameRule::Label);
  Namespace ns{meta.name, meta.labels, meta.source};
  ns.labels[kNamespaceNameLabel] = meta.name;
  out.namespaces.push_back(std::move(ns));
}

void parse_node(const Field& doc, ManifestSet& out) {
  ObjectMeta meta = parse_metadata(doc, false, NameRule::Subdomain);
  ExplicitNode en;
  Node& n = en.node;
  n.name = meta.name;
  n.labels = meta.labels;
  n.source = meta.source;
  if (auto z = n.labels.find("topology.kubernetes.io/zone"); z != n.labels.end()) n.zone = z->second;
  Field spec = doc["spec"];
  if (spec.defined()) {
    n.schedulable = !spec["unschedulable"].boolean_or(false);
    Field cidr = spec["podCIDR"];
    if (cidr.defined()) {
      n.pod_cidr = parse_cidr_field(cidr, true);
      en.pod_cidr_given = true;
    }
  }
  Field status = doc["status"];
  for (const Field& a : status["addresses"].items()) {
    if (a["type"].str_or("") == "InternalIP") {
      auto ip = Ipv4::parse(a.require("address").str());
      if (ip) {  // an IPv6 InternalIP on a dual-stack node is skipped
        n.ip = *ip;
        en.ip_given = true;
        break;
      }
    }
  }
  Field cap = status["capacity"];
  if (cap["cpu"].defined()) {
    std::string cpu = cap["cpu"].str();
    if (cpu.ends_with("m")) {
      n.cpu_cores = std::max(1, std::atoi(cpu.c_str()) / 1000);
    } else {
      n.cpu_cores = static_cast<int>(cap["cpu"].integer(1, 4096));
    }
  }
  out.nodes.push_back(std::move(en));
}

}  // namespace knetsim::core
