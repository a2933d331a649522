#include "sim/core/labels.h"

#include <algorithm>

namespace knetsim::core {

bool SelectorRequirement::matches(const Labels& labels) const {
  auto it = labels.find(key);
  bool has = it != labels.end();
  auto in_values = [&] {
    return has && std::find(values.begin(), values.end(), it->second) != values.end();
  };
  switch (op) {
    case SelectorOp::In:
      return in_values();
    case SelectorOp::NotIn:
      return !in_values();  // an absent key satisfies NotIn, as in Kubernetes
    case SelectorOp::Exists:
      return has;
    case SelectorOp::DoesNotExist:
      return !has;
  }
  return false;
}

bool operator==(const SelectorRequirement& a, const SelectorRequirement& b) {
  return a.key == b.key && a.op == b.op && a.values == b.values;
}

bool LabelSelector::matches(const Labels& labels) const {
  if (!labels_contain(labels, match_labels)) return false;
  for (const auto& req : match_expressions) {
    if (!req.matches(labels)) return false;
  }
  return true;
}

bool labels_contain(const Labels& labels, const Labels& subset) {
  for (const auto& [k, v] : subset) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  return true;
}

const char* selector_op_name(SelectorOp op) {
  switch (op) {
    case SelectorOp::In:
      return "In";
    case SelectorOp::NotIn:
      return "NotIn";
    case SelectorOp::Exists:
      return "Exists";
    case SelectorOp::DoesNotExist:
      return "DoesNotExist";
  }
  return "?";
}

std::string labels_str(const Labels& labels) {
  std::string out;
  for (const auto& [k, v] : labels) {
    if (!out.empty()) out += ',';
    out += k + "=" + v;
  }
  return out;
}

std::string LabelSelector::str() const {
  if (empty()) return "<all>";
  std::string out = labels_str(match_labels);
  for (const auto& req : match_expressions) {
    if (!out.empty()) out += ',';
    std::string vals;
    for (const auto& v : req.values) vals += (vals.empty() ? "" : ",") + v;
    switch (req.op) {
      case SelectorOp::In:
        out += req.key + " in (" + vals + ")";
        break;
      case SelectorOp::NotIn:
        out += req.key + " notin (" + vals + ")";
        break;
      case SelectorOp::Exists:
        out += req.key;
        break;
      case SelectorOp::DoesNotExist:
        out += "!" + req.key;
        break;
    }
  }
  return out;
}

}  // namespace knetsim::core
