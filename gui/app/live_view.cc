#include "gui/app/live_view.h"

#include <QFileDialog>
#include <QGraphicsItem>
#include <QGraphicsPathItem>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainterPath>
#include <QPen>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

namespace knetsim::gui {
namespace {
constexpr int kTickMs = 40;
constexpr double kFadePerTick = 0.03;  // about 1.3 s on screen
constexpr int kMaxAnimations = 300;    // oldest dropped beyond this (bursts of traffic)
}  // namespace

LiveView::LiveView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* bar = new QHBoxLayout;
  path_ = new QLineEdit(this);
  path_->setPlaceholderText("knetsim emulate … --events-socket PATH  (or --events FILE)");
  auto* sock = new QPushButton("Attach to socket", this);
  auto* file = new QPushButton("Follow events file…", this);
  auto* stop = new QPushButton("Detach", this);
  bar->addWidget(path_, 1);
  bar->addWidget(sock);
  bar->addWidget(file);
  bar->addWidget(stop);
  layout->addLayout(bar);
  status_ = new QLabel(this);
  status_->setWordWrap(true);
  layout->addWidget(status_);
  auto* split = new QSplitter(Qt::Horizontal, this);
  scene_ = new ClusterScene(this);
  view_ = new ZoomView(scene_, split);
  view_->setRenderHint(QPainter::Antialiasing);
  view_->setDragMode(QGraphicsView::ScrollHandDrag);
  list_ = new QListWidget(split);
  list_->setMinimumWidth(420);
  split->addWidget(view_);
  split->addWidget(list_);
  split->setSizes({900, 460});
  layout->addWidget(split, 1);
  socket_ = new QLocalSocket(this);
  file_timer_ = new QTimer(this);
  file_timer_->setInterval(200);
  anim_timer_ = new QTimer(this);
  anim_timer_->setInterval(kTickMs);
  connect(socket_, &QLocalSocket::readyRead, this, &LiveView::read_socket);
  connect(socket_, &QLocalSocket::disconnected, this, [this] {
    source_ = "emulator disconnected";
    update_status();
  });
  connect(file_timer_, &QTimer::timeout, this, &LiveView::poll_file);
  connect(anim_timer_, &QTimer::timeout, this, &LiveView::tick);
  connect(sock, &QPushButton::clicked, this, [this] { connect_socket(path_->text()); });
  connect(file, &QPushButton::clicked, this, [this] {
    QString p = QFileDialog::getOpenFileName(this, "Follow events file");
    if (!p.isEmpty()) follow_file(p);
  });
  connect(stop, &QPushButton::clicked, this, [this] { disconnect_source(); });
  update_status();
}

void LiveView::set_document(std::shared_ptr<const ScenarioDocument> doc) {
  for (auto& a : anims_) delete a.item;
  anims_.clear();
  doc_ = std::move(doc);
  scene_->set_cluster(doc_ ? &doc_->cluster : nullptr);
  view_->resetTransform();
  view_->fit();
  stats_ = {};
  list_->clear();
  update_status();
}

bool LiveView::connect_socket(const QString& path) {
  disconnect_source();
  path_->setText(path);
  socket_->connectToServer(path);
  if (!socket_->waitForConnected(2000)) {
    source_ = "cannot attach to " + path + ": " + socket_->errorString();
    update_status();
    return false;
  }
  source_ = "attached to " + path;
  update_status();
  return true;
}

bool LiveView::follow_file(const QString& path) {
  disconnect_source();
  path_->setText(path);
  file_ = std::make_unique<QFile>(path);
  if (!file_->open(QIODevice::ReadOnly)) {
    source_ = "cannot read " + path;
    file_.reset();
    update_status();
    return false;
  }
  source_ = "following " + path;
  poll_file();
  file_timer_->start();
  return true;
}

void LiveView::disconnect_source() {
  file_timer_->stop();
  file_.reset();
  if (socket_->state() != QLocalSocket::UnconnectedState) socket_->abort();
  partial_.clear();
  source_.clear();
  update_status();
}

void LiveView::read_socket() {
  partial_ += socket_->readAll();
  qsizetype nl;
  while ((nl = partial_.indexOf('\n')) >= 0) {
    ingest(partial_.left(nl));
    partial_.remove(0, nl + 1);
  }
}

void LiveView::poll_file() {
  if (!file_) return;
  partial_ += file_->readAll();
  qsizetype nl;
  while ((nl = partial_.indexOf('\n')) >= 0) {
    ingest(partial_.left(nl));
    partial_.remove(0, nl + 1);
  }
}

QPointF LiveView::pod_point(const QString& key, bool* found) const {
  *found = false;
  if (!doc_) return {};
  auto id = doc_->cluster.find_pod(key.toStdString());
  if (!id) return {};
  QGraphicsItem* it = scene_->item_for(ObjectKind::Pod, *id);
  if (!it) return {};
  *found = true;
  return it->sceneBoundingRect().center();
}

void LiveView::animate(const QString& src, const QString& service, const QString& dst,
                       const QColor& colour) {
  bool has_src = false, has_dst = false;
  QPointF a = pod_point(src, &has_src);
  QPointF b = pod_point(dst, &has_dst);
  QPainterPath path;
  QGraphicsItem* svc = nullptr;
  if (doc_ && !service.isEmpty())
    if (auto id = doc_->cluster.find_service(service.toStdString()))
      svc = scene_->item_for(ObjectKind::Service, *id);
  if (!has_src && !svc) return;
  path.moveTo(has_src ? a : svc->sceneBoundingRect().center());
  if (svc) path.lineTo(svc->sceneBoundingRect().center());
  if (has_dst) path.lineTo(b);
  if (path.elementCount() < 2) return;
  auto* item = scene_->addPath(path, QPen(colour, 3.5, Qt::SolidLine, Qt::RoundCap));
  item->setZValue(10);
  anims_.push_back({item, 1.0});
  ++stats_.animated;
  while (anims_.size() > static_cast<size_t>(kMaxAnimations)) {
    delete anims_.front().item;
    anims_.erase(anims_.begin());
  }
  if (!anim_timer_->isActive()) anim_timer_->start();
}

void LiveView::tick() {
  for (auto& a : anims_) {
    a.life -= kFadePerTick;
    a.item->setOpacity(std::max(0.0, a.life));
  }
  while (!anims_.empty() && anims_.front().life <= 0) {
    delete anims_.front().item;
    anims_.erase(anims_.begin());
  }
  if (anims_.empty()) anim_timer_->stop();
}

void LiveView::ingest(const QByteArray& line) {
  if (line.trimmed().isEmpty()) return;
  ++stats_.lines;
  QJsonParseError err;
  QJsonDocument d = QJsonDocument::fromJson(line, &err);
  if (err.error != QJsonParseError::NoError || !d.isObject()) {
    ++stats_.bad_lines;
    update_status();
    return;
  }
  QJsonObject e = d.object();
  QString kind = e.value("kind").toString();
  QString text;
  if (kind == "service" || kind == "pod") {
    ++stats_.connections;
    QString verdict = e.value("verdict").toString();
    QColor colour = verdict == "allowed"  ? QColor(40, 170, 60)
                    : verdict == "denied" ? QColor(210, 40, 40)
                                          : QColor(120, 120, 120);
    if (verdict == "allowed") ++stats_.allowed;
    else if (verdict == "denied") ++stats_.denied;
    else ++stats_.no_endpoint;
    QString dst = kind == "service" ? e.value("endpoint_pod").toString() : e.value("dst").toString();
    animate(e.value("src").toString(), e.value("service").toString(), dst, colour);
    if (e.contains("latency_ns")) {
      stats_.latency_ns_sum += e.value("latency_ns").toDouble();
      ++stats_.latency_count;
    }
    if (kind == "service")
      text = QString("%1 → %2 %3:%4 → %5  %6  %7 µs, %8 rules (%9)")
                 .arg(e.value("src").toString(), e.value("service").toString(),
                      e.value("vip").toString())
                 .arg(e.value("port").toInt())
                 .arg(e.value("endpoint").toString("—"), verdict)
                 .arg(e.value("latency_ns").toDouble() / 1000.0, 0, 'f', 1)
                 .arg(e.value("rules").toInt())
                 .arg(e.value("mode").toString());
    else
      text = QString("%1 → %2:%3  %4").arg(e.value("src").toString(), dst)
                 .arg(e.value("port").toInt())
                 .arg(verdict);
    auto* item = new QListWidgetItem(text);
    item->setForeground(colour.darker(130));
    if (!e.value("reason").toString().isEmpty()) item->setToolTip(e.value("reason").toString());
    list_->insertItem(0, item);
  } else if (kind == "model") {
    ++stats_.model_events;
    list_->insertItem(0, "model: " + e.value("event").toString() + " " +
                             e.value("target").toString() + " " + e.value("note").toString());
  } else if (kind == "dropped") {
    stats_.dropped += e.value("lines").toInt();
  }
  while (list_->count() > kMaxListed) delete list_->takeItem(list_->count() - 1);
  update_status();
}

void LiveView::update_status() {
  QString s = source_.isEmpty() ? QString("not attached") : source_;
  s += QString(" — %1 connections: %2 allowed, %3 denied, %4 without endpoint")
           .arg(stats_.connections)
           .arg(stats_.allowed)
           .arg(stats_.denied)
           .arg(stats_.no_endpoint);
  if (stats_.latency_count)
    s += QString("; mean modelled latency %1 µs")
             .arg(stats_.latency_ns_sum / stats_.latency_count / 1000.0, 0, 'f', 1);
  if (stats_.model_events) s += QString("; %1 model events").arg(stats_.model_events);
  if (stats_.dropped) s += QString("; %1 lines dropped by the emulator").arg(stats_.dropped);
  if (stats_.bad_lines) s += QString("; %1 unreadable lines").arg(stats_.bad_lines);
  status_->setText(s);
}

}  // namespace knetsim::gui
