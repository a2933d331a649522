#include "gui/app/walkthrough_view.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QSplitter>
#include <QVBoxLayout>
#include <fmt/format.h>

namespace knetsim::gui {
namespace {

constexpr int kPlayIntervalMs = 900;

QString esc(const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); }

QString us(int64_t ns) { return QString::number(ns / 1000.0, 'f', ns < 10000 ? 2 : 1) + " µs"; }

bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

std::vector<core::KubeProxyMode> walk_modes() {
  return {core::KubeProxyMode::Iptables, core::KubeProxyMode::Ipvs, core::KubeProxyMode::Nftables,
          core::KubeProxyMode::Ebpf, core::KubeProxyMode::Userspace};
}

}  // namespace

WalkPanel::WalkPanel(bool comparison, QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  auto* bar = new QHBoxLayout;
  mode_ = new QComboBox(this);
  for (auto m : walk_modes()) mode_->addItem(core::kube_proxy_mode_name(m), static_cast<int>(m));
  cni_ = new QComboBox(this);
  bar->addWidget(new QLabel(comparison ? "compare: kube-proxy" : "kube-proxy", this));
  bar->addWidget(mode_);
  bar->addWidget(new QLabel("CNI", this));
  bar->addWidget(cni_, 1);
  layout->addLayout(bar);
  header_ = new QLabel(this);
  header_->setWordWrap(true);
  layout->addWidget(header_);
  hops_ = new QTreeWidget(this);
  hops_->setColumnCount(5);
  hops_->setHeaderLabels({"#", "hop", "host", "time", "bytes"});
  hops_->setRootIsDecorated(false);
  hops_->header()->setSectionResizeMode(1, QHeaderView::Stretch);
  hops_->header()->setStretchLastSection(false);
  hops_->setColumnWidth(0, 30);
  hops_->setColumnWidth(2, 80);
  hops_->setColumnWidth(3, 80);
  hops_->setColumnWidth(4, 60);
  auto* split = new QSplitter(Qt::Vertical, this);
  detail_ = new QTextBrowser(this);
  split->addWidget(hops_);
  split->addWidget(detail_);
  split->setSizes({300, 360});
  layout->addWidget(split, 1);
  connect(mode_, &QComboBox::currentIndexChanged, this, [this] { emit settings_changed(); });
  connect(cni_, &QComboBox::currentIndexChanged, this, [this] { emit settings_changed(); });
}

int WalkPanel::hop_count() const { return has_ ? static_cast<int>(w_.prediction.hops.size()) : 0; }

void WalkPanel::show_walkthrough(const Walkthrough& w) {
  w_ = w;
  has_ = true;
  hops_->clear();
  const auto& p = w.prediction;
  for (size_t i = 0; i < p.hops.size(); ++i) {
    const auto& h = p.hops[i];
    auto* item = new QTreeWidgetItem(hops_, {QString::number(i + 1), QString::fromStdString(h.name),
                                             QString::fromStdString(h.host_name), us(h.ns),
                                             h.bytes ? QString::number(h.bytes) : QString()});
    item->setTextAlignment(3, Qt::AlignRight);
    item->setTextAlignment(4, Qt::AlignRight);
    item->setToolTip(1, QString::fromStdString(h.name));
  }
  QString outcome = p.outcome == models::path::Outcome::Ok
                        ? "<span style='color:green'>ok</span>"
                        : "<span style='color:#b00'>" + esc(models::path::outcome_name(p.outcome)) + "</span>";
  header_->setText(QString("<b>%1</b> + <b>%2</b>: %3 — %4 hops, %5 total (network CPU %6); "
                           "first packet tested against <b>%7 rules</b>; endpoint %8. %9")
                       .arg(core::kube_proxy_mode_name(w.effective_mode))
                       .arg(esc(w.cni_label))
                       .arg(outcome)
                       .arg(p.hops.size())
                       .arg(us(p.total_ns))
                       .arg(us(p.network_cpu_ns))
                       .arg(p.rules_evaluated)
                       .arg(w.endpoint.empty() ? QString("—") : esc(w.endpoint))
                       .arg(esc(p.detail)));
}

QString WalkPanel::rules_html() const {
  if (!w_.rules) return "<p><i>No rule listing for this mode.</i></p>";
  QString out = QString("<p>Rules on <b>%1</b> (%2 mode) a first packet to %3 meets; the model "
                        "counts <b>%4 rules tested</b> in all.</p>")
                    .arg(esc(w_.lookup_node))
                    .arg(core::kube_proxy_mode_name(w_.effective_mode))
                    .arg(esc(w_.vip))
                    .arg(w_.prediction.rules_evaluated);
  for (const auto& s : w_.rules->steps) {
    out += QString("<p><b>%1 %2</b> — %3 rules%4</p><p style='white-space:pre-wrap;font-family:monospace;margin:0'>")
               .arg(esc(s.table), esc(s.chain))
               .arg(s.chain_rules)
               .arg(s.matched_position ? QString(", matched at #%1").arg(s.matched_position)
                                       : QString(", no match"));
    for (const auto& l : s.lines) {
      QString line = l.position ? QString("#%1  ").arg(l.position) + esc(l.text)
                                : "<i>" + esc(l.text) + "</i>";
      if (l.matched)
        out += "<span style='background:#ffe27a;font-weight:bold'>" + line + "</span><br>";
      else
        out += line + "<br>";
    }
    out += "</p>";
  }
  if (!w_.rules->problem.empty()) out += "<p><i>" + esc(w_.rules->problem) + "</i></p>";
  return out;
}

QString WalkPanel::hop_html(int i) const {
  const auto& h = w_.prediction.hops[i];
  QString out = QString("<h3>%1. %2</h3><p>on <b>%3</b>: %4 modelled%5%6</p>")
                    .arg(i + 1)
                    .arg(esc(h.name))
                    .arg(esc(h.host_name))
                    .arg(us(h.ns))
                    .arg(h.bytes ? QString(", %1 bytes on the wire").arg(h.bytes) : QString())
                    .arg(h.packets ? QString(", %1 packets").arg(h.packets) : QString());
  const std::string& n = h.name;
  if (starts_with(n, "service lookup") || starts_with(n, "conntrack")) {
    if (!w_.endpoint.empty())
      out += QString("<p>DNAT %1:%2 → <b>%3</b></p>")
                 .arg(esc(w_.vip))
                 .arg(w_.spec.target.port)
                 .arg(esc(w_.endpoint));
    if (starts_with(n, "service lookup")) out += rules_html();
  } else if (starts_with(n, "encapsulate") || starts_with(n, "wire") || starts_with(n, "decapsulate")) {
    out += QString("<p>CNI %1: encapsulation <b>%2</b>, %3 header bytes per packet across nodes; "
                   "pod MTU <b>%4</b> on a %5-byte underlay.</p>")
               .arg(esc(w_.cni_label), esc(w_.encap))
               .arg(w_.overhead_bytes)
               .arg(w_.pod_mtu)
               .arg(w_.underlay_mtu);
  } else if (n.find("policy") != std::string::npos) {
    out += "<p>" + esc(w_.prediction.detail) + "</p>";
  }
  return out;
}

void WalkPanel::set_step(int step) {
  if (!has_ || hop_count() == 0) {
    detail_->clear();
    return;
  }
  int i = std::clamp(step, 0, hop_count() - 1);
  hops_->setCurrentItem(hops_->topLevelItem(i));
  for (int k = 0; k < hop_count(); ++k) {
    auto* it = hops_->topLevelItem(k);
    QFont f = it->font(1);
    f.setBold(k == i);
    for (int c = 0; c < 5; ++c) it->setFont(c, f);
  }
  detail_->setHtml(hop_html(i));
}

WalkthroughView::WalkthroughView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* bar = new QHBoxLayout;
  client_ = new QComboBox(this);
  service_ = new QComboBox(this);
  back_ = new QPushButton("◀ Back", this);
  play_ = new QPushButton("▶ Play", this);
  forward_ = new QPushButton("Forward ▶", this);
  position_ = new QLabel(this);
  bar->addWidget(new QLabel("client", this));
  bar->addWidget(client_, 1);
  bar->addWidget(new QLabel("service", this));
  bar->addWidget(service_, 1);
  bar->addWidget(back_);
  bar->addWidget(play_);
  bar->addWidget(forward_);
  bar->addWidget(position_);
  layout->addLayout(bar);
  auto* split = new QSplitter(Qt::Horizontal, this);
  left_ = new WalkPanel(false, split);
  right_ = new WalkPanel(true, split);
  split->addWidget(left_);
  split->addWidget(right_);
  layout->addWidget(split, 1);
  for (WalkPanel* p : {left_, right_})
    for (const auto& c : cni_choices())
      p->cni()->addItem(QString::fromStdString(c.label()));
  timer_ = new QTimer(this);
  timer_->setInterval(kPlayIntervalMs);
  connect(timer_, &QTimer::timeout, this, [this] {
    int n = std::max(left_->hop_count(), right_->hop_count());
    if (step_ + 1 >= n) {
      timer_->stop();
      play_->setText("▶ Play");
      return;
    }
    step_to(step_ + 1);
  });
  connect(play_, &QPushButton::clicked, this, [this] {
    if (timer_->isActive()) {
      timer_->stop();
      play_->setText("▶ Play");
    } else {
      if (step_ + 1 >= std::max(left_->hop_count(), right_->hop_count())) step_to(0);
      timer_->start();
      play_->setText("❚❚ Pause");
    }
  });
  connect(back_, &QPushButton::clicked, this, [this] { step_to(step_ - 1); });
  connect(forward_, &QPushButton::clicked, this, [this] { step_to(step_ + 1); });
  connect(client_, &QComboBox::currentIndexChanged, this, [this] { rerun(); });
  connect(service_, &QComboBox::currentIndexChanged, this, [this] { rerun(); });
  connect(left_, &WalkPanel::settings_changed, this, [this] { rerun(); });
  connect(right_, &WalkPanel::settings_changed, this, [this] { rerun(); });
  connect(left_->hops(), &QTreeWidget::itemClicked, this,
          [this](QTreeWidgetItem* it) { step_to(left_->hops()->indexOfTopLevelItem(it)); });
  connect(right_->hops(), &QTreeWidget::itemClicked, this,
          [this](QTreeWidgetItem* it) { step_to(right_->hops()->indexOfTopLevelItem(it)); });
}

void WalkthroughView::set_document(std::shared_ptr<const ScenarioDocument> doc) {
  doc_ = std::move(doc);
  QSignalBlocker b1(client_), b2(service_), b3(left_), b4(right_);
  client_->clear();
  service_->clear();
  if (doc_) {
    const auto& c = doc_->cluster;
    // Pods labelled as clients first: they are what a newcomer wants to pick.
    std::vector<core::PodId> pods;
    for (core::PodId p = 0; p < c.pods.size(); ++p)
      if (c.pods[p].ip.value != 0) pods.push_back(p);
    std::stable_sort(pods.begin(), pods.end(), [&](core::PodId a, core::PodId b) {
      auto is_client = [&](core::PodId p) {
        auto it = c.pods[p].labels.find("app");
        return it != c.pods[p].labels.end() && it->second.find("client") != std::string::npos;
      };
      return is_client(a) > is_client(b);
    });
    for (core::PodId p : pods)
      client_->addItem(QString::fromStdString(c.pods[p].key() + "  (" + c.pods[p].ip.str() + ", " +
                                              (c.pods[p].node < c.nodes.size() ? c.nodes[c.pods[p].node].name : "") + ")"),
                       QVariant::fromValue<qlonglong>(p));
    client_->addItem("external client", QVariant::fromValue<qlonglong>(-1));
    // Services with a selector first (default/kubernetes last).
    for (int pass = 0; pass < 2; ++pass)
      for (core::ServiceId s = 0; s < c.services.size(); ++s) {
        const auto& svc = c.services[s];
        if (!svc.cluster_ip || (pass == 0) != svc.selector.has_value()) continue;
        for (size_t pi = 0; pi < svc.ports.size(); ++pi)
          service_->addItem(QString::fromStdString(fmt::format("{} {}:{}/{}", svc.key(),
                                                               svc.cluster_ip->str(), svc.ports[pi].port,
                                                               core::protocol_name(svc.ports[pi].protocol))),
                            QVariant::fromValue<qlonglong>((qlonglong(s) << 16) | pi));
      }
    left_->mode()->setCurrentIndex(left_->mode()->findData(static_cast<int>(c.kube_proxy.mode)));
    CniChoice own = cni_choice_of(c.cni);
    int ci = left_->cni()->findText(QString::fromStdString(own.label()));
    if (ci < 0) {
      left_->cni()->addItem(QString::fromStdString(own.label()));
      right_->cni()->addItem(QString::fromStdString(own.label()));
      ci = left_->cni()->count() - 1;
    }
    left_->cni()->setCurrentIndex(ci);
    right_->cni()->setCurrentIndex(ci);
    // Compare with the next mode by default (iptables → IPVS).
    int m = left_->mode()->currentIndex();
    right_->mode()->setCurrentIndex((m + 1) % right_->mode()->count());
  }
  rerun();
}

WalkthroughRequest WalkthroughView::request_for(WalkPanel* panel) const {
  WalkthroughRequest r;
  qlonglong c = client_->currentData().toLongLong();
  if (c >= 0) r.client = static_cast<core::PodId>(c);
  qlonglong s = service_->currentData().toLongLong();
  r.service = static_cast<core::ServiceId>(s >> 16);
  r.port_index = static_cast<size_t>(s & 0xffff);
  r.mode = static_cast<core::KubeProxyMode>(panel->mode()->currentData().toInt());
  std::string label = panel->cni()->currentText().toStdString();
  for (const auto& choice : cni_choices())
    if (choice.label() == label) r.cni = choice;
  if (doc_ && cni_choice_of(doc_->cluster.cni).label() == label) r.cni = cni_choice_of(doc_->cluster.cni);
  return r;
}

void WalkthroughView::rerun() {
  if (!doc_ || client_->count() == 0 || service_->count() == 0) {
    position_->setText(doc_ ? "no service with a cluster IP" : "");
    return;
  }
  left_->show_walkthrough(run_walkthrough(*doc_, request_for(left_)));
  right_->show_walkthrough(run_walkthrough(*doc_, request_for(right_)));
  step_to(std::min(step_, std::max(left_->hop_count(), right_->hop_count()) - 1));
}

bool WalkthroughView::choose(std::optional<core::PodId> client, core::ServiceId service,
                             size_t port_index) {
  int ci = client_->findData(QVariant::fromValue<qlonglong>(client ? qlonglong(*client) : -1));
  int si = service_->findData(QVariant::fromValue<qlonglong>((qlonglong(service) << 16) | port_index));
  if (ci < 0 || si < 0) return false;
  {
    QSignalBlocker b1(client_), b2(service_);
    client_->setCurrentIndex(ci);
    service_->setCurrentIndex(si);
  }
  rerun();
  return true;
}

void WalkthroughView::set_modes(core::KubeProxyMode left, core::KubeProxyMode right) {
  {
    QSignalBlocker b1(left_), b2(right_);
    left_->mode()->setCurrentIndex(left_->mode()->findData(static_cast<int>(left)));
    right_->mode()->setCurrentIndex(right_->mode()->findData(static_cast<int>(right)));
  }
  rerun();
}

void WalkthroughView::set_right_cni(const CniChoice& cni) {
  int i = right_->cni()->findText(QString::fromStdString(cni.label()));
  if (i >= 0) right_->cni()->setCurrentIndex(i);
}

void WalkthroughView::step_to(int step) {
  int n = std::max(left_->hop_count(), right_->hop_count());
  step_ = std::clamp(step, 0, std::max(0, n - 1));
  left_->set_step(step_);
  right_->set_step(step_);
  position_->setText(QString("hop %1 of %2").arg(n ? step_ + 1 : 0).arg(n));
  back_->setEnabled(step_ > 0);
  forward_->setEnabled(step_ + 1 < n);
}

bool WalkthroughView::step_to_hop(const std::string& prefix) {
  const Walkthrough* w = left_->walkthrough();
  if (!w) return false;
  for (size_t i = 0; i < w->prediction.hops.size(); ++i)
    if (starts_with(w->prediction.hops[i].name, prefix)) {
      step_to(static_cast<int>(i));
      return true;
    }
  return false;
}

}  // namespace knetsim::gui
