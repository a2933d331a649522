// The rules view: one node's kube-proxy rule set for a mode, grouped by table and chain with the
// rule count beside each chain, searchable (a search keeps the rules containing the text and
// shows how many matched per chain). Rules are added to the tree when a chain is opened, so a
// 30,000-service rule set stays responsive.
#pragma once

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QTreeWidget>
#include <QWidget>
#include <memory>

#include "gui/app/rule_listing.h"
#include "gui/app/scenario_document.h"

namespace knetsim::gui {

class RulesView : public QWidget {
  Q_OBJECT
 public:
  static constexpr int kMaxRulesShownPerChain = 5000;

  explicit RulesView(QWidget* parent = nullptr);
  void set_document(std::shared_ptr<const ScenarioDocument> doc);
  void set_filter(const QString& text);
  void set_node(int node);
  void set_mode(core::KubeProxyMode mode);
  // Expands every chain with matches (used for screenshots of a search).
  void expand_matches();

  const std::optional<RuleListing>& listing() const { return listing_; }
  QTreeWidget* tree() { return tree_; }
  QLabel* summary() { return summary_; }

 private:
  void rebuild();
  void refilter();
  void populate(QTreeWidgetItem* chain_item);

  std::shared_ptr<const ScenarioDocument> doc_;
  std::optional<RuleListing> listing_;
  QComboBox* node_;
  QComboBox* mode_;
  QLineEdit* search_;
  QLabel* summary_;
  QTreeWidget* tree_;
};

}  // namespace knetsim::gui
