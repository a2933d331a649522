// Fuzzes the located field parsers Kubernetes objects share: label selectors, label maps, CIDRs
// and IntOrString ports, read from one YAML document `{selector, labels, cidr, ports}`. Anything
// must parse or fail with a ScenarioError naming the input; what parses must be valid (keys,
// values, port ranges, canonical CIDRs) and a selector must match exactly as a direct reading of
// the apimachinery rules written here says.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "sim/core/diagnostics.h"
#include "sim/core/names.h"
#include "sim/core/parse_common.h"
#include "sim/core/yaml_field.h"

namespace {

using namespace knetsim::core;

// apimachinery labels.Selector semantics, written independently of labels.cc.
bool requirement_holds(const SelectorRequirement& r, const Labels& labels) {
  auto it = labels.find(r.key);
  bool has = it != labels.end();
  bool listed = false;
  if (has) {
    for (const std::string& v : r.values) listed = listed || v == it->second;
  }
  switch (r.op) {
    case SelectorOp::In:
      return has && listed;
    case SelectorOp::NotIn:
      return !has || !listed;  // a missing key satisfies NotIn
    case SelectorOp::Exists:
      return has;
    case SelectorOp::DoesNotExist:
      return !has;
  }
  std::abort();
}

bool selector_holds(const LabelSelector& s, const Labels& labels) {
  for (const auto& [k, v] : s.match_labels) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  for (const SelectorRequirement& r : s.match_expressions) {
    if (!requirement_holds(r, labels)) return false;
  }
  return true;
}

void check_labels(const Labels& labels) {
  for (const auto& [k, v] : labels) {
    if (!check_label_key(k).empty() || !check_label_value(v).empty()) std::abort();
  }
}

void check_doc(const Field& doc) {
  LabelSelector sel = parse_label_selector(doc["selector"]);
  Labels labels = parse_labels(doc["labels"]);
  check_labels(labels);
  check_labels(sel.match_labels);
  for (const SelectorRequirement& r : sel.match_expressions) {
    if (!check_label_key(r.key).empty()) std::abort();
    bool needs_values = r.op == SelectorOp::In || r.op == SelectorOp::NotIn;
    if (needs_values == r.values.empty()) std::abort();
  }
  if (sel.str().empty()) std::abort();
  if (sel.matches(labels) != selector_holds(sel, labels)) std::abort();
  // A selector always matches the labels it requires (when it has no expressions).
  if (sel.match_expressions.empty() && !sel.matches(sel.match_labels)) std::abort();
  if (sel.empty() && !sel.matches(Labels{})) std::abort();

  if (doc["cidr"].defined()) {
    Cidr c = parse_cidr_field(doc["cidr"], doc["strict"].boolean_or(false));
    if (c.prefix < 0 || c.prefix > 32 || (c.base.value & ~c.mask()) != 0) std::abort();
    auto again = Cidr::parse(c.str(), true);
    if (!again || *again != c || !c.contains(c.base) || !c.contains(c.last())) std::abort();
  }
  for (const Field& p : doc["ports"].items()) {
    PortRef ref = parse_port_ref(p);
    if (ref.is_named()) {
      if (!check_port_name(ref.name).empty()) std::abort();
    } else if (ref.number < 1 || ref.number > 65535) {
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16384) return 0;  // selectors are small; long inputs only slow the search
  std::string text(reinterpret_cast<const char*>(data), size);
  auto file = std::make_shared<const std::string>("fuzz.yaml");
  Diagnostics diags;
  try {
    for (const auto& node : load_yaml_documents_from_string(text, *file)) {
      if (!node.IsDefined() || node.IsNull()) continue;
      Field doc(node, "", file, &diags);
      doc.check_no_duplicate_keys();
      if (!doc.is_map()) continue;
      check_doc(doc);
    }
  } catch (const ScenarioError& e) {
    if (e.diagnostic().where.file != "fuzz.yaml") std::abort();  // every error names the input
  }
  return 0;
}
