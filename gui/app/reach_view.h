// The reachability view: a pods × pods heatmap for one port (the e2e truth table: green allowed,
// red denied, amber where the CNI enforces something other than what is written), filtered by
// namespace; clicking a cell shows models::policy's explanation of both directions.
// The matrix comes from models::policy::Reachability; the view only colours it.
#pragma once

#include <QAbstractTableModel>
#include <QComboBox>
#include <QLabel>
#include <QTableView>
#include <QTextBrowser>
#include <QWidget>
#include <memory>
#include <optional>

#include "gui/app/scenario_document.h"
#include "sim/models/policy/policy_engine.h"
#include "sim/models/policy/reachability.h"

namespace knetsim::gui {

// Pods drawn on each axis at most; a namespace filter narrows larger clusters.
inline constexpr size_t kMaxHeatmapPods = 400;

class ReachModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  using QAbstractTableModel::QAbstractTableModel;
  void reset(const core::Cluster* cluster, const models::policy::Reachability* reach,
             size_t port_index, std::vector<core::PodId> rows, std::vector<core::PodId> cols);
  int rowCount(const QModelIndex& = {}) const override { return static_cast<int>(rows_.size()); }
  int columnCount(const QModelIndex& = {}) const override { return static_cast<int>(cols_.size()); }
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation o, int role) const override;

  bool allowed(int row, int col) const;
  bool allowed_as_written(int row, int col) const;
  core::PodId row_pod(int r) const { return rows_[r]; }
  core::PodId col_pod(int c) const { return cols_[c]; }

 private:
  const core::Cluster* cluster_ = nullptr;
  const models::policy::Reachability* reach_ = nullptr;
  size_t port_ = 0;
  std::vector<core::PodId> rows_, cols_;
};

class ReachView : public QWidget {
  Q_OBJECT
 public:
  explicit ReachView(QWidget* parent = nullptr);
  void set_document(std::shared_ptr<const ScenarioDocument> doc);
  void set_namespace(const QString& ns);  // "" = all
  void set_port_index(int i);
  // Shows the explanation of the cell (as a click would).
  void explain(int row, int col);

  ReachModel* model() { return model_; }
  const models::policy::Reachability* reach() const { return reach_ ? &*reach_ : nullptr; }
  size_t port_index() const;
  QTextBrowser* explanation() { return explanation_; }
  QLabel* summary() { return summary_; }

 private:
  void refresh();

  std::shared_ptr<const ScenarioDocument> doc_;
  std::optional<models::policy::Reachability> reach_;
  std::unique_ptr<models::policy::PolicyEngine> engine_;
  QComboBox* port_;
  QComboBox* ns_;
  QLabel* summary_;
  QTableView* table_;
  ReachModel* model_;
  QTextBrowser* explanation_;
};

}  // namespace knetsim::gui
