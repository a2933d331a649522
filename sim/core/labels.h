// Labels and label selectors with exactly the semantics of k8s.io/apimachinery/pkg/labels:
// matchLabels and matchExpressions are ANDed; an empty selector matches everything.
// (Whether an absent selector matches nothing is the caller's context; see LabelSelector use.)
#pragma once

#include <map>
#include <string>
#include <vector>

namespace knetsim::core {

// Sorted, so every iteration over labels is deterministic.
using Labels = std::map<std::string, std::string>;

enum class SelectorOp { In, NotIn, Exists, DoesNotExist };

struct SelectorRequirement {
  std::string key;
  SelectorOp op = SelectorOp::Exists;
  std::vector<std::string> values;  // In/NotIn: non-empty; Exists/DoesNotExist: empty

  bool matches(const Labels& labels) const;
};

struct LabelSelector {
  Labels match_labels;
  std::vector<SelectorRequirement> match_expressions;

  bool empty() const { return match_labels.empty() && match_expressions.empty(); }
  bool matches(const Labels& labels) const;
  // Kubernetes' string form, e.g. "app=web,tier in (a,b),!legacy"; "<all>" when empty.
  std::string str() const;
  bool operator==(const LabelSelector&) const = default;
};

bool operator==(const SelectorRequirement& a, const SelectorRequirement& b);

// True when every key/value of `subset` is present in `labels` (Service selector semantics).
bool labels_contain(const Labels& labels, const Labels& subset);

std::string labels_str(const Labels& labels);
const char* selector_op_name(SelectorOp op);

}  // namespace knetsim::core
