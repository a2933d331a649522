// The rules view lists exactly the rule set models::kubeproxy compiles for the node, with the
// count per chain, and its search counts the rules containing the text.
#include <gtest/gtest.h>

#include "gui/app/rules_view.h"
#include "gui_test_util.h"
#include "sim/models/kubeproxy/iptables_compiler.h"

namespace knetsim::gui {
namespace {

TEST(RulesView, ListsTheCompiledIptablesRulesWithCountsPerChain) {
  test::app();
  for (const auto& f : test::bundled_scenarios()) {
    SCOPED_TRACE(f);
    auto doc = test::load_ok(f);
    RulesView view;
    view.set_document(doc);
    view.set_mode(core::KubeProxyMode::Iptables);  // scenarios differ; this test is iptables'
    ASSERT_TRUE(view.listing());
    auto rs = models::kubeproxy::compile_iptables(doc->cluster, 0);
    EXPECT_EQ(view.listing()->total_rules(), rs.filter.rule_count() + rs.nat.rule_count());
    // Every chain in the tree shows the number of rules the compiler wrote into it.
    std::map<std::string, size_t> nat = rs.nat.rules_by_chain();
    QTreeWidgetItem* nat_item = nullptr;
    for (int i = 0; i < view.tree()->topLevelItemCount(); ++i)
      if (view.tree()->topLevelItem(i)->text(0) == "nat") nat_item = view.tree()->topLevelItem(i);
    ASSERT_NE(nat_item, nullptr);
    EXPECT_EQ(static_cast<size_t>(nat_item->childCount()), nat.size());
    for (int i = 0; i < nat_item->childCount(); ++i) {
      auto* chain = nat_item->child(i);
      EXPECT_EQ(chain->text(1).toULongLong(), nat.at(chain->text(0).toStdString()))
          << chain->text(0).toStdString();
    }
    EXPECT_GT(test::drawn_pixels(test::render(view)), 500);
  }
}

TEST(RulesView, SearchKeepsOnlyRulesContainingTheText) {
  test::app();
  auto doc = test::load_ok(test::source_path("scenarios/quickstart.yaml"));
  RulesView view;
  view.set_document(doc);
  std::string dump = models::kubeproxy::compile_iptables(doc->cluster, 0).dump();
  size_t expected = 0;
  for (size_t pos = 0; (pos = dump.find("\n-A ", pos)) != std::string::npos; ++pos) {
    size_t end = dump.find('\n', pos + 1);
    if (dump.substr(pos, end - pos).find("default/web") != std::string::npos) ++expected;
  }
  ASSERT_GT(expected, 0u);
  view.set_filter("default/web");
  view.expand_matches();
  size_t shown = 0;
  for (int t = 0; t < view.tree()->topLevelItemCount(); ++t) {
    auto* table = view.tree()->topLevelItem(t);
    for (int c = 0; c < table->childCount(); ++c)
      for (int r = 0; r < table->child(c)->childCount(); ++r) {
        EXPECT_TRUE(table->child(c)->child(r)->text(0).contains("default/web"));
        ++shown;
      }
  }
  EXPECT_EQ(shown, expected);
  EXPECT_TRUE(view.summary()->text().startsWith(QString::number(expected) + " of "));
}

}  // namespace
}  // namespace knetsim::gui
