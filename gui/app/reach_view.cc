#include "gui/app/reach_view.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QSplitter>
#include <QVBoxLayout>
#include <set>

namespace knetsim::gui {

namespace pol = models::policy;

void ReachModel::reset(const core::Cluster* cluster, const pol::Reachability* reach,
                       size_t port_index, std::vector<core::PodId> rows,
                       std::vector<core::PodId> cols) {
  beginResetModel();
  cluster_ = cluster;
  reach_ = reach;
  port_ = port_index;
  rows_ = std::move(rows);
  cols_ = std::move(cols);
  endResetModel();
}

bool ReachModel::allowed(int row, int col) const {
  return reach_->allowed(port_, rows_[row], cols_[col]);
}
bool ReachModel::allowed_as_written(int row, int col) const {
  return reach_->allowed_as_written(port_, rows_[row], cols_[col]);
}

QVariant ReachModel::data(const QModelIndex& index, int role) const {
  if (!reach_ || !index.isValid()) return {};
  bool ok = allowed(index.row(), index.column());
  bool written = allowed_as_written(index.row(), index.column());
  switch (role) {
    case Qt::DisplayRole:
      return ok ? "." : "X";
    case Qt::BackgroundRole:
      if (ok != written) return QColor(245, 190, 80);
      return ok ? QColor(120, 200, 120) : QColor(225, 100, 100);
    case Qt::TextAlignmentRole:
      return Qt::AlignCenter;
    case Qt::ToolTipRole:
      return QString::fromStdString(cluster_->pods[rows_[index.row()]].key() + " → " +
                                    cluster_->pods[cols_[index.column()]].key() + ": " +
                                    (ok ? "allowed" : "denied") +
                                    (ok != written ? " (as written: " +
                                                         std::string(written ? "allowed" : "denied") + ")"
                                                   : ""));
  }
  return {};
}

QVariant ReachModel::headerData(int section, Qt::Orientation o, int role) const {
  if (!cluster_) return {};
  const auto& v = o == Qt::Vertical ? rows_ : cols_;
  if (section < 0 || section >= static_cast<int>(v.size())) return {};
  QString key = QString::fromStdString(cluster_->pods[v[section]].key());
  // Columns are numbered (the pod names would not fit); rows carry number and name.
  if (role == Qt::ToolTipRole) return key;
  if (role != Qt::DisplayRole) return {};
  if (o == Qt::Horizontal) return QString::number(section + 1);
  return QString("%1  %2").arg(section + 1).arg(key);
}

ReachView::ReachView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* bar = new QHBoxLayout;
  port_ = new QComboBox(this);
  ns_ = new QComboBox(this);
  summary_ = new QLabel(this);
  summary_->setWordWrap(true);
  bar->addWidget(new QLabel("port", this));
  bar->addWidget(port_);
  bar->addWidget(new QLabel("namespace", this));
  bar->addWidget(ns_);
  bar->addStretch(1);
  layout->addLayout(bar);
  layout->addWidget(summary_);
  auto* split = new QSplitter(Qt::Horizontal, this);
  table_ = new QTableView(split);
  model_ = new ReachModel(this);
  table_->setModel(model_);
  table_->horizontalHeader()->setDefaultSectionSize(30);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  table_->verticalHeader()->setDefaultSectionSize(22);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  explanation_ = new QTextBrowser(split);
  explanation_->setMinimumWidth(300);
  split->addWidget(table_);
  split->addWidget(explanation_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  layout->addWidget(split, 1);
  // Column headers are long pod names: show them rotated via the tooltip and the row header.
  table_->horizontalHeader()->setVisible(true);
  connect(port_, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
  connect(ns_, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
  connect(table_, &QTableView::clicked, this,
          [this](const QModelIndex& i) { explain(i.row(), i.column()); });
}

size_t ReachView::port_index() const { return static_cast<size_t>(std::max(0, port_->currentIndex())); }

void ReachView::set_document(std::shared_ptr<const ScenarioDocument> doc) {
  engine_.reset();
  reach_.reset();
  doc_ = std::move(doc);
  QSignalBlocker b1(port_), b2(ns_);
  port_->clear();
  ns_->clear();
  if (doc_) {
    reach_ = pol::Reachability::compute(doc_->cluster);
    engine_ = std::make_unique<pol::PolicyEngine>(doc_->cluster);
    for (const auto& p : reach_->ports()) port_->addItem(QString::fromStdString(p.key()));
    ns_->addItem("all namespaces", QString());
    std::set<std::string> names;
    for (core::PodId p : reach_->pods()) names.insert(doc_->cluster.pods[p].ns);
    for (const auto& n : names) ns_->addItem(QString::fromStdString(n), QString::fromStdString(n));
  }
  refresh();
}

void ReachView::set_namespace(const QString& ns) {
  int i = ns.isEmpty() ? 0 : ns_->findData(ns);
  if (i >= 0) ns_->setCurrentIndex(i);
}

void ReachView::set_port_index(int i) { port_->setCurrentIndex(i); }

void ReachView::refresh() {
  explanation_->clear();
  if (!reach_ || reach_->ports().empty()) {
    model_->reset(nullptr, nullptr, 0, {}, {});
    summary_->setText(doc_ ? "no pod declares a container port: nothing to test"
                           : "no scenario open");
    return;
  }
  QString ns = ns_->currentData().toString();
  auto keep = [&](const std::vector<core::PodId>& v) {
    std::vector<core::PodId> out;
    for (core::PodId p : v)
      if (ns.isEmpty() || doc_->cluster.pods[p].ns == ns.toStdString()) out.push_back(p);
    if (out.size() > kMaxHeatmapPods) out.resize(kMaxHeatmapPods);
    return out;
  };
  auto rows = keep(reach_->from());
  auto cols = keep(reach_->to());
  size_t pi = port_index();
  model_->reset(&doc_->cluster, &*reach_, pi, rows, cols);
  size_t allowed = 0;
  for (int r = 0; r < model_->rowCount(); ++r)
    for (int c = 0; c < model_->columnCount(); ++c) allowed += model_->allowed(r, c);
  QString text = QString("%1 × %2 pods on %3: %4 allowed, %5 denied. Click a cell for the "
                         "explanation.")
                     .arg(rows.size())
                     .arg(cols.size())
                     .arg(QString::fromStdString(reach_->ports()[pi].key()))
                     .arg(allowed)
                     .arg(rows.size() * cols.size() - allowed);
  if (reach_->enforcement_differs())
    text += "<br><b>Warning:</b> " +
            QString::fromStdString(reach_->enforcement().warning).toHtmlEscaped();
  if (reach_->from().size() > kMaxHeatmapPods)
    text += QString("<br>Showing the first %1 pods; filter by namespace.").arg(kMaxHeatmapPods);
  summary_->setText(text);
}

void ReachView::explain(int row, int col) {
  if (!engine_ || row < 0 || col < 0 || row >= model_->rowCount() || col >= model_->columnCount())
    return;
  const auto& pp = reach_->ports()[port_index()];
  core::PodId src = model_->row_pod(row), dst = model_->col_pod(col);
  pol::Explanation e = engine_->explain(src, dst, pp.port, pp.protocol);
  const auto& c = doc_->cluster;
  auto esc = [](const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); };
  auto decision = [&](const char* what, const pol::Decision& d) {
    QString out = QString("<h4>%1: %2</h4><p>%3</p>")
                      .arg(what)
                      .arg(d.allowed ? "<span style='color:green'>allowed</span>"
                                     : "<span style='color:#b00'>denied</span>")
                      .arg(esc(d.decided_by));
    if (!d.trace.empty()) {
      out += "<ol>";
      for (const auto& t : d.trace) out += "<li>" + esc(t) + "</li>";
      out += "</ol>";
    }
    return out;
  };
  QString html = QString("<h3>%1 → %2 on %3</h3><p><b>%4</b>: %5</p>")
                     .arg(esc(c.pods[src].key()))
                     .arg(esc(c.pods[dst].key()))
                     .arg(esc(pp.key()))
                     .arg(e.verdict.allowed ? "allowed" : "denied")
                     .arg(esc(e.verdict.reason));
  if (e.verdict.allowed != e.verdict.allowed_as_written)
    html += QString("<p>As written the policies say <b>%1</b>.</p>")
                .arg(e.verdict.allowed_as_written ? "allowed" : "denied");
  html += decision("Egress of the source", e.egress);
  html += decision("Ingress of the destination", e.ingress);
  if (!e.enforcement_warning.empty())
    html += "<p><b>Enforcement:</b> " + esc(e.enforcement_warning) + "</p>";
  explanation_->setHtml(html);
  table_->setCurrentIndex(model_->index(row, col));
}

}  // namespace knetsim::gui
