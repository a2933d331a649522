#include "gui/app/rules_view.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QVBoxLayout>

namespace knetsim::gui {
namespace {
constexpr int kChainRole = Qt::UserRole + 1;  // index into listing chains
constexpr int kPopulatedRole = Qt::UserRole + 2;
}  // namespace

RulesView::RulesView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* bar = new QHBoxLayout;
  node_ = new QComboBox(this);
  mode_ = new QComboBox(this);
  for (auto m : listable_modes())
    mode_->addItem(core::kube_proxy_mode_name(m), static_cast<int>(m));
  search_ = new QLineEdit(this);
  search_->setPlaceholderText("search rules (e.g. a service name, an IP, KUBE-SVC)");
  search_->setClearButtonEnabled(true);
  summary_ = new QLabel(this);
  bar->addWidget(new QLabel("node", this));
  bar->addWidget(node_);
  bar->addWidget(new QLabel("mode", this));
  bar->addWidget(mode_);
  bar->addWidget(search_, 1);
  layout->addLayout(bar);
  layout->addWidget(summary_);
  tree_ = new QTreeWidget(this);
  tree_->setColumnCount(2);
  tree_->setHeaderLabels({"table / chain / rule", "rules"});
  tree_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
  tree_->header()->setStretchLastSection(false);
  tree_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  layout->addWidget(tree_);
  connect(node_, &QComboBox::currentIndexChanged, this, [this] { rebuild(); });
  connect(mode_, &QComboBox::currentIndexChanged, this, [this] { rebuild(); });
  connect(search_, &QLineEdit::textChanged, this, [this] { refilter(); });
  connect(tree_, &QTreeWidget::itemExpanded, this, [this](QTreeWidgetItem* it) { populate(it); });
}

void RulesView::set_document(std::shared_ptr<const ScenarioDocument> doc) {
  doc_ = std::move(doc);
  QSignalBlocker block(node_);
  node_->clear();
  if (doc_) {
    for (const auto& n : doc_->cluster.nodes) node_->addItem(QString::fromStdString(n.name));
    int i = mode_->findData(static_cast<int>(doc_->cluster.kube_proxy.mode));
    QSignalBlocker block_mode(mode_);
    if (i >= 0) mode_->setCurrentIndex(i);
  }
  rebuild();
}

void RulesView::set_filter(const QString& text) { search_->setText(text); }
void RulesView::set_node(int node) { node_->setCurrentIndex(node); }
void RulesView::set_mode(core::KubeProxyMode mode) {
  int i = mode_->findData(static_cast<int>(mode));
  if (i >= 0) mode_->setCurrentIndex(i);
}

void RulesView::rebuild() {
  listing_.reset();
  if (doc_ && node_->currentIndex() >= 0 && mode_->currentIndex() >= 0) {
    auto mode = static_cast<core::KubeProxyMode>(mode_->currentData().toInt());
    listing_ = rule_listing(doc_->cluster, static_cast<core::NodeId>(node_->currentIndex()), mode);
  }
  refilter();
}

void RulesView::refilter() {
  tree_->clear();
  if (!listing_) {
    summary_->setText(doc_ ? "no rule listing for this mode" : "no scenario open");
    return;
  }
  std::string needle = search_->text().toStdString();
  std::map<std::string, QTreeWidgetItem*> tables;
  std::map<std::string, size_t> table_counts;
  size_t matched = 0;
  for (size_t ci = 0; ci < listing_->chains.size(); ++ci) {
    const auto& ch = listing_->chains[ci];
    size_t hits = ch.rules.size();
    if (!needle.empty()) {
      hits = 0;
      for (const auto& r : ch.rules) hits += r.find(needle) != std::string::npos;
      if (hits == 0 && ch.chain.find(needle) == std::string::npos) continue;
    }
    auto*& table = tables[ch.table];
    if (!table) {
      table = new QTreeWidgetItem(tree_, {QString::fromStdString(ch.table), ""});
      table->setExpanded(true);
    }
    table_counts[ch.table] += hits;
    matched += hits;
    QString count = needle.empty() ? QString::number(ch.rules.size())
                                   : QString("%1 of %2").arg(hits).arg(ch.rules.size());
    auto* item = new QTreeWidgetItem(table, {QString::fromStdString(ch.chain), count});
    item->setData(0, kChainRole, static_cast<qulonglong>(ci));
    item->setData(0, kPopulatedRole, false);
    item->setTextAlignment(1, Qt::AlignRight);
    if (hits > 0) item->setChildIndicatorPolicy(QTreeWidgetItem::ShowIndicator);
  }
  for (auto& [name, item] : tables) item->setText(1, QString::number(table_counts[name]));
  summary_->setText(
      needle.empty()
          ? QString("%1 rules in %2 chains on %3 (%4 mode)")
                .arg(listing_->total_rules())
                .arg(listing_->chains.size())
                .arg(QString::fromStdString(listing_->node))
                .arg(core::kube_proxy_mode_name(listing_->mode))
          : QString("%1 of %2 rules contain \"%3\"")
                .arg(matched)
                .arg(listing_->total_rules())
                .arg(search_->text()));
}

void RulesView::populate(QTreeWidgetItem* item) {
  if (!listing_ || !item->data(0, kChainRole).isValid() || item->data(0, kPopulatedRole).toBool())
    return;
  item->setData(0, kPopulatedRole, true);
  const auto& ch = listing_->chains[item->data(0, kChainRole).toULongLong()];
  std::string needle = search_->text().toStdString();
  int shown = 0, position = 0;
  for (const auto& r : ch.rules) {
    ++position;
    if (!needle.empty() && r.find(needle) == std::string::npos) continue;
    if (shown == kMaxRulesShownPerChain) {
      new QTreeWidgetItem(item, {QString("… more rules not shown (search to narrow)"), ""});
      break;
    }
    auto* ri = new QTreeWidgetItem(item, {QString::fromStdString(r), QString("#%1").arg(position)});
    ri->setTextAlignment(1, Qt::AlignRight);
    ri->setToolTip(0, QString::fromStdString(r));
    ++shown;
  }
}

void RulesView::expand_matches() {
  for (int t = 0; t < tree_->topLevelItemCount(); ++t) {
    auto* table = tree_->topLevelItem(t);
    for (int c = 0; c < table->childCount(); ++c) {
      auto* chain = table->child(c);
      if (chain->childIndicatorPolicy() == QTreeWidgetItem::ShowIndicator) chain->setExpanded(true);
    }
  }
}

}  // namespace knetsim::gui
