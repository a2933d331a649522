// The rules a connection's first packet meets, for the teaching view: the chains it walks in the
// node's compiled rule set (rule_listing.h) from the service dispatch to the DNAT to the chosen
// endpoint, each with the line that matched. This only *finds* lines in the compiled rules (by
// the service address and port, then by following each matched rule's jump/goto target); how
// many rules the packet is tested against is the path model's number, shown beside it.
#pragma once

#include <string>
#include <vector>

#include "gui/app/rule_listing.h"

namespace knetsim::gui {

struct WalkLine {
  int position = 0;  // 1-based position in its chain; 0 for an elision line
  std::string text;
  bool matched = false;
};

struct WalkStep {
  std::string table;
  std::string chain;
  size_t chain_rules = 0;  // rules in the chain
  int matched_position = 0;  // 1-based; 0 when nothing matched
  std::vector<WalkLine> lines;  // what is shown: long chains are elided around the match
};

struct RuleWalk {
  std::vector<WalkStep> steps;
  std::string problem;  // why the walk stopped early, empty when it reached the DNAT
};

// `vip`, `port`, `proto` ("tcp"/"udp") name the service address; `endpoint` is "ip:port".
RuleWalk find_rule_walk(const RuleListing& listing, const std::string& vip, int port,
                        const std::string& proto, const std::string& endpoint);

}  // namespace knetsim::gui
