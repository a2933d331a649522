// Scheduling: nodeName pins a pod; otherwise the pod goes to the eligible node (schedulable,
// ready, nodeSelector matches, below maxPods) with the fewest pods, ties broken by a seeded
// node order. This is the spreading kube-scheduler's default scoring converges to for
// identical pods. A pod with no eligible node stays Pending, with a warning.
#include <map>
#include <queue>

#include "sim/core/build_steps.h"
#include "sim/core/rng.h"

namespace knetsim::core {

namespace {

inline constexpr int kMaxPodsPerNode = 110;  // kubelet --max-pods default

struct HeapEntry {
  uint32_t count;
  uint32_t rank;
  NodeId node;
  bool operator>(const HeapEntry& o) const {
    return count != o.count ? count > o.count : rank > o.rank;
  }
};
using MinHeap = std::priority_queue<HeapEntry, std::vector<HeapEntry>, std::greater<>>;

}  // namespace

void place_pods(BuildContext& ctx) {
  Cluster& cl = ctx.cluster;
  std::vector<uint32_t> count(cl.nodes.size(), 0);
  std::vector<uint32_t> rank(cl.nodes.size());
  {
    // A seeded permutation of the nodes decides ties.
    std::vector<uint32_t> order(cl.nodes.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    Rng rng(ctx.scenario.seed, "placement");
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
    for (uint32_t i = 0; i < order.size(); ++i) rank[order[i]] = i;
  }
  // Pinned pods first, so spreading accounts for them.
  for (Pod& p : cl.pods) {
    if (p.spec.node_name.empty()) continue;
    auto id = cl.find_node(p.spec.node_name);
    if (!id) {
      // build_nodes has run, but the index is built lazily: search directly.
      for (NodeId i = 0; i < cl.nodes.size(); ++i) {
        if (cl.nodes[i].name == p.spec.node_name) id = i;
      }
    }
    if (!id) fail(p.spec.node_name_source, "spec.nodeName", "node \"" + p.spec.node_name + "\" does not exist");
    p.node = *id;
    ++count[*id];
  }
  std::map<Labels, MinHeap> heaps;  // one per distinct nodeSelector
  for (Pod& p : cl.pods) {
    if (!p.spec.node_name.empty()) continue;
    auto [it, fresh] = heaps.try_emplace(p.spec.node_selector);
    MinHeap& heap = it->second;
    if (fresh) {
      for (NodeId i = 0; i < cl.nodes.size(); ++i) {
        const Node& n = cl.nodes[i];
        if (n.schedulable && n.ready && labels_contain(n.labels, p.spec.node_selector)) {
          heap.push({count[i], rank[i], i});
        }
      }
    }
    bool placed = false;
    while (!heap.empty()) {
      HeapEntry e = heap.top();
      heap.pop();
      if (e.count != count[e.node]) {  // stale: another pod landed there since
        heap.push({count[e.node], e.rank, e.node});
        continue;
      }
      if (count[e.node] >= kMaxPodsPerNode && !p.spec.host_network) continue;  // full: drop it
      p.node = e.node;
      ++count[e.node];
      heap.push({count[e.node], e.rank, e.node});
      placed = true;
      break;
    }
    if (!placed) {
      p.node = kNoNode;
      p.phase = "Pending";
      p.ready = false;
      ctx.diags.warn(p.source, "", "pod " + p.key() + " stays Pending: no schedulable node " +
                                       (p.spec.node_selector.empty()
                                            ? std::string("has room (110 pods per node)")
                                            : "matches nodeSelector {" + labels_str(p.spec.node_selector) + "}"));
    }
  }
}

}  // namespace knetsim::core
