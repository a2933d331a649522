// Cluster-scoped policies on the network-policy-api conformance model (houses gryffindor,
// slytherin, hufflepuff, ravenclaw; two StatefulSet pods each), following the conformance tests
// CNPAdminTierIntegration and CNPAdminTierPriorityField, plus the same flows written with the
// older AdminNetworkPolicy / BaselineAdminNetworkPolicy kinds. Each poke is checked with the
// pair-by-pair engine and the class-compressed matrix.
#include <gtest/gtest.h>

#include "sim/core/scenario_loader.h"
#include "sim/models/policy/policy_engine.h"
#include "sim/models/policy/reachability.h"

namespace knetsim::models::policy {
namespace {

std::string house(const std::string& house, const std::string& who) {
  std::string ns = "network-policy-conformance-" + house;
  return "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: " + ns +
         ", labels: {conformance-house: " + house + "}}\n---\napiVersion: apps/v1\n"
         "kind: StatefulSet\nmetadata: {name: " + who + ", namespace: " + ns + "}\n"
         "spec:\n  replicas: 2\n  serviceName: " + who + "\n"
         "  selector: {matchLabels: {conformance-house: " + house + "}}\n"
         "  template:\n    metadata: {labels: {conformance-house: " + house + "}}\n"
         "    spec:\n      containers:\n"
         "        - {name: c80, ports: [{containerPort: 80, protocol: TCP, name: web}]}\n"
         "        - {name: c8080, ports: [{containerPort: 8080, protocol: TCP}]}\n"
         "        - {name: c53, ports: [{containerPort: 53, protocol: UDP, name: dns}]}\n"
         "        - {name: c5353, ports: [{containerPort: 5353, protocol: UDP}]}\n"
         "        - {name: c9003, ports: [{containerPort: 9003, protocol: SCTP}]}\n";
}

core::Cluster build(const std::string& policies) {
  std::string y = "apiVersion: knetsim/v1\nkind: Scenario\nmetadata: {name: conformance}\n";
  y += house("gryffindor", "harry-potter") + house("slytherin", "draco-malfoy") +
       house("hufflepuff", "cedric-diggory") + house("ravenclaw", "luna-lovegood");
  y += "---\n" + policies;
  core::Diagnostics diags;
  return core::build_cluster(core::load_scenario_text(y, "conformance.yaml", ".", diags), diags);
}

std::string G(const char* pod) { return std::string("network-policy-conformance-gryffindor/") + pod; }
std::string S(const char* pod) { return std::string("network-policy-conformance-slytherin/") + pod; }

// PokeServer(client, server, port): expect the connection allowed or denied, by both engines.
void poke(const core::Cluster& c, const std::string& client, const std::string& server, int port,
          core::Protocol proto, bool expect) {
  PolicyEngine engine(c);
  auto src = *c.find_pod(client), dst = *c.find_pod(server);
  Verdict v = engine.check(src, dst, port, proto);
  EXPECT_EQ(v.allowed, expect) << client << " -> " << server << ":" << port << ": " << v.reason;
  ReachOptions o;
  o.ports = std::vector<PortProto>{{port, proto}};
  Reachability r = Reachability::compute(c, o);
  EXPECT_EQ(r.allowed(0, src, dst), expect) << client << " -> " << server << ":" << port << " (matrix)";
}

core::Protocol tcp() { return core::Protocol::TCP; }

// base/api_integration/standard-anp-np-banp.yaml, with the admin rules' actions as parameters.
std::string integration(const std::string& ingress_action, const std::string& egress_action,
                        bool with_np) {
  std::string y = R"(apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: pass-example}
spec:
  tier: Admin
  priority: 10
  subject: {namespaces: {matchLabels: {conformance-house: gryffindor}}}
  ingress:
    - name: deny-all-ingress-from-slytherin
      action: )" + ingress_action + R"(
      from: [{namespaces: {matchLabels: {conformance-house: slytherin}}}]
  egress:
    - name: deny-all-egress-to-slytherin
      action: )" + egress_action + R"(
      to: [{namespaces: {matchLabels: {conformance-house: slytherin}}}]
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: default}
spec:
  tier: Baseline
  priority: 10
  subject: {namespaces: {matchLabels: {conformance-house: gryffindor}}}
  ingress:
    - {name: deny-all-ingress-from-slytherin, action: Deny, from: [{namespaces: {matchLabels: {conformance-house: slytherin}}}]}
  egress:
    - {name: deny-all-egress-to-slytherin, action: Deny, to: [{namespaces: {matchLabels: {conformance-house: slytherin}}}]}
)";
  if (with_np) {
    y += R"(---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-gress-from-to-slytherin-to-gryffindor, namespace: network-policy-conformance-gryffindor}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress: [{from: [{namespaceSelector: {matchLabels: {conformance-house: slytherin}}}]}]
  egress: [{to: [{namespaceSelector: {matchLabels: {conformance-house: slytherin}}}]}]
)";
  }
  return y;
}

TEST(CNPAdminTierIntegration, DenyBothWaysRespectingAdminPolicy) {
  auto c = build(integration("Deny", "Deny", true));
  poke(c, S("draco-malfoy-0"), G("harry-potter-0"), 80, tcp(), false);
  poke(c, S("draco-malfoy-1"), G("harry-potter-0"), 8080, tcp(), false);
  poke(c, G("harry-potter-0"), S("draco-malfoy-0"), 80, tcp(), false);
  poke(c, G("harry-potter-1"), S("draco-malfoy-0"), 8080, tcp(), false);
  // gryffindor's NetworkPolicy isolates it: hufflepuff is not among the allowed peers.
  poke(c, "network-policy-conformance-hufflepuff/cedric-diggory-0", G("harry-potter-0"), 80, tcp(), false);
  // Houses no policy selects are untouched.
  poke(c, "network-policy-conformance-hufflepuff/cedric-diggory-0",
       "network-policy-conformance-ravenclaw/luna-lovegood-1", 80, tcp(), true);
}

TEST(CNPAdminTierIntegration, PassIngressHandsOverToNetworkPolicy) {
  auto c = build(integration("Pass", "Deny", true));
  poke(c, S("draco-malfoy-0"), G("harry-potter-0"), 80, tcp(), true);
  poke(c, S("draco-malfoy-1"), G("harry-potter-0"), 8080, tcp(), true);
  poke(c, G("harry-potter-0"), S("draco-malfoy-0"), 80, tcp(), false);  // egress still Deny
}

TEST(CNPAdminTierIntegration, PassEgressHandsOverToNetworkPolicy) {
  auto c = build(integration("Pass", "Pass", true));
  poke(c, G("harry-potter-0"), S("draco-malfoy-0"), 80, tcp(), true);
  poke(c, G("harry-potter-1"), S("draco-malfoy-0"), 8080, tcp(), true);
}

TEST(CNPAdminTierIntegration, PassWithoutNetworkPolicyFallsToBaseline) {
  auto c = build(integration("Pass", "Pass", false));
  poke(c, S("draco-malfoy-0"), G("harry-potter-0"), 80, tcp(), false);
  poke(c, S("draco-malfoy-1"), G("harry-potter-0"), 8080, tcp(), false);
  poke(c, G("harry-potter-0"), S("draco-malfoy-0"), 80, tcp(), false);
  poke(c, G("harry-potter-1"), S("draco-malfoy-0"), 8080, tcp(), false);
}

TEST(CNPAdminTierIntegration, ExplainShowsThePassHandOff) {
  auto c = build(integration("Pass", "Deny", true));
  PolicyEngine engine(c);
  Explanation ex = engine.explain(*c.find_pod(S("draco-malfoy-0")), *c.find_pod(G("harry-potter-0")), 80, tcp());
  ASSERT_GE(ex.ingress.trace.size(), 2u);
  EXPECT_NE(ex.ingress.trace[0].find("Pass -> hand-off to the NetworkPolicy tier"), std::string::npos)
      << ex.ingress.trace[0];
  EXPECT_NE(ex.ingress.decided_by.find("allow-gress-from-to-slytherin-to-gryffindor"), std::string::npos)
      << ex.ingress.decided_by;
}

// base/admin_tier/standard-priority-field.yaml with the second policy's priority as a parameter.
std::string priority(int second) {
  auto pods = [](const char* h) {
    return std::string("{pods: {namespaceSelector: {matchLabels: {conformance-house: ") + h +
           "}}, podSelector: {matchLabels: {conformance-house: " + h + "}}}}";
  };
  std::string subject = "  subject: " + pods("gryffindor") + "\n";
  auto rules = [&](const char* action) {
    return std::string("  ingress: [{action: ") + action + ", from: [" + pods("slytherin") +
           "]}]\n  egress: [{action: " + action + ", to: [" + pods("slytherin") + "]}]\n";
  };
  return "apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\n"
         "metadata: {name: priority-50-example}\nspec:\n  tier: Admin\n  priority: 50\n" +
         subject + rules("Deny") +
         "---\napiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\n"
         "metadata: {name: old-priority-60-new-priority-40-example}\nspec:\n  tier: Admin\n"
         "  priority: " + std::to_string(second) + "\n" + subject + rules("Pass") +
         "---\napiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\n"
         "metadata: {name: default}\nspec:\n  tier: Baseline\n  priority: 10\n" + subject +
         rules("Accept");
}

TEST(CNPAdminTierPriorityField, LowerPriorityValueDecidesFirst) {
  auto c = build(priority(60));
  poke(c, S("draco-malfoy-0"), G("harry-potter-0"), 80, tcp(), false);
  poke(c, S("draco-malfoy-1"), G("harry-potter-0"), 8080, tcp(), false);
  poke(c, G("harry-potter-0"), S("draco-malfoy-0"), 80, tcp(), false);
  poke(c, G("harry-potter-1"), S("draco-malfoy-0"), 8080, tcp(), false);
}

TEST(CNPAdminTierPriorityField, RaisedPriorityPassesBothWaysToBaseline) {
  auto c = build(priority(40));
  poke(c, S("draco-malfoy-0"), G("harry-potter-0"), 80, tcp(), true);
  poke(c, S("draco-malfoy-1"), G("harry-potter-0"), 8080, tcp(), true);
  poke(c, G("harry-potter-0"), S("draco-malfoy-0"), 80, tcp(), true);
  poke(c, G("harry-potter-1"), S("draco-malfoy-0"), 8080, tcp(), true);
}

// The same integration flow with v1alpha1 AdminNetworkPolicy / BaselineAdminNetworkPolicy.
std::string anp(const std::string& action, bool with_np) {
  std::string y = R"(apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: pass-example}
spec:
  priority: 10
  subject: {namespaces: {matchLabels: {conformance-house: gryffindor}}}
  ingress:
    - {name: from-slytherin, action: )" + action + R"(, from: [{namespaces: {matchLabels: {conformance-house: slytherin}}}]}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {matchLabels: {conformance-house: gryffindor}}}
  ingress:
    - {name: deny-from-slytherin, action: Deny, from: [{namespaces: {matchLabels: {conformance-house: slytherin}}}]}
)";
  if (with_np) {
    y += R"(---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-from-slytherin, namespace: network-policy-conformance-gryffindor}
spec:
  podSelector: {}
  ingress: [{from: [{namespaceSelector: {matchLabels: {conformance-house: slytherin}}}]}]
)";
  }
  return y;
}

TEST(AdminNetworkPolicyV1Alpha1, DenyPassAndBaseline) {
  poke(build(anp("Deny", true)), S("draco-malfoy-0"), G("harry-potter-0"), 80, tcp(), false);
  poke(build(anp("Pass", true)), S("draco-malfoy-0"), G("harry-potter-0"), 80, tcp(), true);
  poke(build(anp("Pass", false)), S("draco-malfoy-0"), G("harry-potter-0"), 80, tcp(), false);
  poke(build(anp("Allow", false)), S("draco-malfoy-0"), G("harry-potter-0"), 80, tcp(), true);
}

TEST(AdminNetworkPolicyV1Alpha1, AllowOverridesNetworkPolicyDeny) {
  auto c = build(anp("Allow", false) + R"(---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: network-policy-conformance-gryffindor}
spec: {podSelector: {}}
)");
  poke(c, S("draco-malfoy-0"), G("harry-potter-0"), 80, tcp(), true);
  poke(c, "network-policy-conformance-ravenclaw/luna-lovegood-0", G("harry-potter-0"), 80, tcp(), false);
}

TEST(ClusterNetworkPolicy, PortsNamedPortsAndRanges) {
  auto c = build(R"(apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: ports}
spec:
  tier: Admin
  priority: 5
  subject: {namespaces: {matchLabels: {conformance-house: gryffindor}}}
  ingress:
    - {action: Accept, from: [{namespaces: {}}], protocols: [{destinationNamedPort: dns}]}
    - {action: Accept, from: [{namespaces: {}}], protocols: [{tcp: {destinationPort: {range: {start: 8000, end: 8100}}}}]}
    - {action: Deny, from: [{namespaces: {}}]}
)");
  poke(c, S("draco-malfoy-0"), G("harry-potter-0"), 53, core::Protocol::UDP, true);
  poke(c, S("draco-malfoy-0"), G("harry-potter-0"), 8080, tcp(), true);
  poke(c, S("draco-malfoy-0"), G("harry-potter-0"), 80, tcp(), false);
  poke(c, S("draco-malfoy-0"), G("harry-potter-0"), 5353, core::Protocol::UDP, false);
  poke(c, S("draco-malfoy-0"), G("harry-potter-0"), 9003, core::Protocol::SCTP, false);
}

TEST(ClusterNetworkPolicy, EgressNetworksMatchPodAddresses) {
  auto probe = build("");
  std::string ip = probe.pods[*probe.find_pod(S("draco-malfoy-1"))].ip.str();
  auto c = build(R"(apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: cidr}
spec:
  tier: Admin
  priority: 5
  subject: {namespaces: {matchLabels: {conformance-house: gryffindor}}}
  egress:
    - {action: Deny, to: [{networks: [)" + ip + R"(/32]}]}
)");
  poke(c, G("harry-potter-0"), S("draco-malfoy-1"), 80, tcp(), false);
  poke(c, G("harry-potter-0"), S("draco-malfoy-0"), 80, tcp(), true);
}

TEST(ClusterPolicyParsing, RejectsBadInput) {
  auto bad = [](const std::string& y) {
    EXPECT_THROW(build(y), core::ScenarioError) << y;
  };
  bad(R"(apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: p}
spec: {tier: Admin, priority: 1001, subject: {namespaces: {}}})");
  bad(R"(apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: not-default}
spec: {subject: {namespaces: {}}})");
  bad(R"(apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec: {subject: {namespaces: {}}, ingress: [{action: Pass, from: [{namespaces: {}}]}]})");
  bad(R"(apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: p}
spec: {tier: Admin, priority: 1, subject: {namespaces: {}, pods: {namespaceSelector: {}, podSelector: {}}}})");
}

}  // namespace
}  // namespace knetsim::models::policy
