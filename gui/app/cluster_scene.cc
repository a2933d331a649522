#include "gui/app/cluster_scene.h"

#include <QBrush>
#include <QFont>
#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QPen>
#include <algorithm>
#include <cmath>
#include <set>

namespace knetsim::gui {
namespace {

constexpr qreal kNodeW = 300, kPodH = 20, kPodGap = 4, kPad = 8, kHeader = 38, kGap = 40;
constexpr qreal kSmallPod = 12;  // pods drawn as squares when a node holds many
constexpr int kTextPodLimit = 12;
constexpr qreal kServiceW = 230, kServiceH = 44;

QGraphicsSimpleTextItem* label(QGraphicsItem* parent, const QString& text, qreal x, qreal y,
                               int point_size = 9, bool bold = false) {
  auto* t = new QGraphicsSimpleTextItem(text, parent);
  QFont f = t->font();
  f.setPointSize(point_size);
  f.setBold(bold);
  t->setFont(f);
  t->setPos(x, y);
  t->setAcceptedMouseButtons(Qt::NoButton);
  return t;
}

std::string pod_colour_key(const core::Pod& p) {
  auto it = p.labels.find("app");
  if (it == p.labels.end()) it = p.labels.find("app.kubernetes.io/name");
  return it != p.labels.end() ? p.ns + "/" + it->second : p.ns;
}

}  // namespace

ClusterScene::ClusterScene(QObject* parent) : QGraphicsScene(parent) {
  setBackgroundBrush(QColor(248, 249, 251));
}

QColor ClusterScene::colour_for(const std::string& key) {
  // FNV-1a: deterministic, unlike std::hash across platforms.
  uint32_t h = 2166136261u;
  for (unsigned char ch : key) h = (h ^ ch) * 16777619u;
  return QColor::fromHsv(static_cast<int>(h % 360), 110, 235);
}

QGraphicsItem* ClusterScene::tag(QGraphicsItem* item, ObjectKind kind, uint32_t id,
                                 const std::string& name) {
  item->setData(0, static_cast<int>(kind));
  item->setData(1, id);
  item->setData(2, QString::fromStdString(name));
  item->setFlag(QGraphicsItem::ItemIsSelectable, true);
  items_[{static_cast<int>(kind), id}] = item;
  return item;
}

QColor ClusterScene::pod_colour(const core::Pod& pod) const {
  auto it = palette_.find(pod_colour_key(pod));
  return it != palette_.end() ? it->second : colour_for(pod_colour_key(pod));
}

ObjectRef ClusterScene::ref_of(const QGraphicsItem* item) {
  ObjectRef r;
  if (!item || !item->data(0).isValid()) return r;
  r.kind = static_cast<ObjectKind>(item->data(0).toInt());
  r.id = item->data(1).toUInt();
  r.name = item->data(2).toString().toStdString();
  return r;
}

QGraphicsItem* ClusterScene::item_for(ObjectKind kind, uint32_t id) const {
  auto it = items_.find({static_cast<int>(kind), id});
  return it == items_.end() ? nullptr : it->second;
}

void ClusterScene::set_cluster(const core::Cluster* cluster) {
  clear();
  items_.clear();
  counts_ = {};
  cluster_ = cluster;
  if (!cluster) return;
  aggregated_ = cluster->nodes.size() > kAggregateAboveNodes;
  palette_.clear();
  for (const auto& pod : cluster->pods) {
    std::string key = pod_colour_key(pod);
    if (palette_.count(key)) continue;
    // Golden-angle hues: neighbouring apps never get similar colours.
    int hue = static_cast<int>(std::fmod(200.0 + palette_.size() * 137.508, 360.0));
    palette_[key] = QColor::fromHsv(hue, 120, 235);
  }
  if (aggregated_)
    draw_aggregated(*cluster);
  else
    draw_detailed(*cluster);
  setSceneRect(itemsBoundingRect().adjusted(-20, -20, 20, 20));
}

void ClusterScene::draw_detailed(const core::Cluster& c) {
  // Top row: external clients and ingresses.
  qreal top = 0;
  auto* ext = addRect(0, 0, 170, 40, QPen(QColor(90, 90, 90)), QBrush(QColor(255, 244, 214)));
  tag(ext, ObjectKind::External, 0, "external");
  label(ext, "external clients", 8, 11, 9, true);
  std::vector<QGraphicsRectItem*> ingress_items;
  for (uint32_t i = 0; i < c.ingresses.size(); ++i) {
    auto* r = addRect(200 + i * 200.0, 0, 180, 40, QPen(QColor(120, 80, 0)),
                      QBrush(QColor(255, 226, 170)));
    tag(r, ObjectKind::Ingress, i, c.ingresses[i].key());
    label(r, "ingress " + QString::fromStdString(c.ingresses[i].key()), 206 + i * 200.0, 11);
    ingress_items.push_back(r);
    ++counts_.ingresses;
  }
  top = 80;

  // Nodes in a grid, pods inside.
  size_t n = c.nodes.size();
  int cols = std::max(1, std::min(4, static_cast<int>(std::ceil(std::sqrt(double(n))))));
  std::vector<std::vector<core::PodId>> on(n);
  std::vector<core::PodId> pending;
  for (core::PodId p = 0; p < c.pods.size(); ++p) {
    if (c.pods[p].node == core::kNoNode || c.pods[p].node >= n)
      pending.push_back(p);
    else
      on[c.pods[p].node].push_back(p);
  }
  auto node_height = [&](size_t count) {
    if (static_cast<int>(count) <= kTextPodLimit) return kHeader + count * (kPodH + kPodGap) + kPad;
    int per_row = static_cast<int>((kNodeW - 2 * kPad) / (kSmallPod + 3));
    return kHeader + std::ceil(double(count) / per_row) * (kSmallPod + 3) + kPad;
  };
  std::vector<QPointF> pod_centre(c.pods.size());
  std::vector<bool> pod_drawn(c.pods.size(), false);
  qreal y = top;
  for (size_t row_start = 0; row_start < n; row_start += cols) {
    qreal row_h = 0;
    for (size_t i = row_start; i < std::min(n, row_start + cols); ++i)
      row_h = std::max(row_h, node_height(on[i].size()));
    for (size_t i = row_start; i < std::min(n, row_start + cols); ++i) {
      const auto& node = c.nodes[i];
      qreal x = (i - row_start) * (kNodeW + kGap);
      auto* box = addRect(x, y, kNodeW, row_h, QPen(QColor(60, 70, 90), 1.5),
                          QBrush(node.ready ? QColor(233, 238, 246) : QColor(240, 220, 220)));
      tag(box, ObjectKind::Node, static_cast<uint32_t>(i), node.name);
      ++counts_.nodes;
      label(box, QString::fromStdString(node.name), x + kPad, y + 4, 10, true);
      label(box,
            QString::fromStdString(node.ip.str() + "  " + node.pod_cidr.str() +
                                   (node.zone.empty() ? "" : "  zone " + node.zone)),
            x + kPad, y + 20, 8);
      bool small = static_cast<int>(on[i].size()) > kTextPodLimit;
      int per_row = static_cast<int>((kNodeW - 2 * kPad) / (kSmallPod + 3));
      for (size_t k = 0; k < on[i].size(); ++k) {
        const auto& pod = c.pods[on[i][k]];
        QRectF r;
        if (small) {
          r = QRectF(x + kPad + (k % per_row) * (kSmallPod + 3),
                     y + kHeader + (k / per_row) * (kSmallPod + 3), kSmallPod, kSmallPod);
        } else {
          r = QRectF(x + kPad, y + kHeader + k * (kPodH + kPodGap), kNodeW - 2 * kPad, kPodH);
        }
        auto* pi = new QGraphicsRectItem(r, box);
        pi->setPen(QPen(QColor(80, 80, 80), pod.ready ? 0.8 : 0.8, pod.ready ? Qt::SolidLine : Qt::DashLine));
        pi->setBrush(pod_colour(pod));
        pi->setZValue(2);
        tag(pi, ObjectKind::Pod, on[i][k], pod.key());
        ++counts_.pods;
        if (!small) {
          label(pi, QString::fromStdString(pod.name), r.x() + 4, r.y() + 3, 8);
          auto* ip = label(pi, QString::fromStdString(pod.ip.str()), 0, r.y() + 3, 8);
          ip->setX(r.right() - ip->boundingRect().width() - 4);
        }
        pod_centre[on[i][k]] = QPointF(r.right(), r.center().y());
        pod_drawn[on[i][k]] = true;
      }
    }
    y += row_h + kGap;
  }
  if (!pending.empty()) {
    auto* box = addRect(0, y, kNodeW, kHeader + pending.size() * (kPodH + kPodGap),
                        QPen(QColor(150, 60, 60), 1, Qt::DashLine), QBrush(QColor(250, 235, 235)));
    label(box, "Pending (unscheduled)", kPad, y + 4, 10, true);
    for (size_t k = 0; k < pending.size(); ++k) {
      const auto& pod = c.pods[pending[k]];
      QRectF r(kPad, y + kHeader + k * (kPodH + kPodGap), kNodeW - 2 * kPad, kPodH);
      auto* pi = new QGraphicsRectItem(r, box);
      pi->setBrush(pod_colour(pod));
      tag(pi, ObjectKind::Pod, pending[k], pod.key());
      ++counts_.pods;
      label(pi, QString::fromStdString(pod.key()), r.x() + 4, r.y() + 3, 8);
      pod_centre[pending[k]] = QPointF(r.right(), r.center().y());
      pod_drawn[pending[k]] = true;
    }
  }

  // Services to the right, lines to their endpoint pods.
  qreal sx = cols * (kNodeW + kGap) + 120;
  qreal sy = top;
  std::vector<QPointF> svc_left(c.services.size());
  bool many = c.services.size() > kMaxServicesWithEdges;
  for (core::ServiceId s = 0; s < c.services.size(); ++s) {
    const auto& svc = c.services[s];
    auto* box = addRect(sx, sy, kServiceW, kServiceH, QPen(QColor(30, 90, 60), 1.2),
                        QBrush(QColor(214, 240, 224)));
    tag(box, ObjectKind::Service, s, svc.key());
    ++counts_.services;
    std::string ports;
    for (const auto& p : svc.ports) ports += (ports.empty() ? "" : ",") + std::to_string(p.port);
    label(box, "svc " + QString::fromStdString(svc.key()), sx + 6, sy + 4, 9, true);
    label(box,
          QString::fromStdString((svc.cluster_ip ? svc.cluster_ip->str() : std::string("None")) +
                                 " : " + ports + "  " + core::service_type_name(svc.type)),
          sx + 6, sy + 23, 8);
    svc_left[s] = QPointF(sx, sy + kServiceH / 2);
    if (!many) {
      std::set<core::PodId> seen;
      for (uint32_t si : c.slices_of(s))
        for (const auto& ep : c.endpoint_slices[si].endpoints) {
          if (!ep.pod || *ep.pod >= c.pods.size() || !pod_drawn[*ep.pod] || !seen.insert(*ep.pod).second)
            continue;
          auto* line = addLine(QLineF(svc_left[s], pod_centre[*ep.pod]),
                               QPen(QColor(30, 120, 70, ep.ready ? 150 : 60), 1.2,
                                    ep.ready ? Qt::SolidLine : Qt::DotLine));
          line->setZValue(3);
          ++counts_.endpoint_edges;
        }
    }
    sy += kServiceH + 12;
  }
  // Ingress -> backend services; external -> ingresses.
  for (uint32_t i = 0; i < c.ingresses.size(); ++i) {
    QPointF from = ingress_items[i]->rect().center();
    addLine(QLineF(ext->rect().center(), from), QPen(QColor(150, 110, 20), 1.2))->setZValue(-1);
    auto link = [&](const core::IngressBackend& b) {
      if (auto id = c.find_service(c.ingresses[i].ns, b.service_name))
        addLine(QLineF(from, svc_left[*id]), QPen(QColor(150, 110, 20, 160), 1.2, Qt::DashLine))
            ->setZValue(-1);
    };
    if (c.ingresses[i].default_backend) link(*c.ingresses[i].default_backend);
    for (const auto& rule : c.ingresses[i].rules)
      for (const auto& p : rule.paths) link(p.backend);
  }
}

void ClusterScene::draw_aggregated(const core::Cluster& c) {
  // zone -> namespace -> pods; zone -> nodes.
  std::map<std::string, std::map<std::string, int>> pods_by_zone;
  std::map<std::string, int> nodes_by_zone;
  for (const auto& node : c.nodes) nodes_by_zone[node.zone.empty() ? "(no zone)" : node.zone]++;
  for (const auto& pod : c.pods) {
    std::string zone = "(unscheduled)";
    if (pod.node != core::kNoNode && pod.node < c.nodes.size())
      zone = c.nodes[pod.node].zone.empty() ? "(no zone)" : c.nodes[pod.node].zone;
    pods_by_zone[zone][pod.ns]++;
  }
  for (auto& [zone, _] : pods_by_zone) nodes_by_zone.try_emplace(zone, 0);
  int max_pods = 1;
  for (auto& [z, m] : pods_by_zone)
    for (auto& [ns, k] : m) max_pods = std::max(max_pods, k);

  auto* title = addSimpleText(QString("%1 nodes, %2 pods, %3 services: aggregated by zone and "
                                      "namespace (above %4 nodes)")
                                  .arg(c.nodes.size())
                                  .arg(c.pods.size())
                                  .arg(c.services.size())
                                  .arg(kAggregateAboveNodes));
  QFont f = title->font();
  f.setPointSize(12);
  f.setBold(true);
  title->setFont(f);

  constexpr qreal kZoneW = 340, kBarH = 22;
  uint32_t zi = 0;
  qreal x = 0;
  for (auto& [zone, count] : nodes_by_zone) {
    auto& nss = pods_by_zone[zone];
    qreal h = 50 + nss.size() * (kBarH + 6) + 10;
    auto* box = addRect(x, 40, kZoneW, h, QPen(QColor(60, 70, 90), 1.5), QBrush(QColor(233, 238, 246)));
    tag(box, ObjectKind::Zone, zi, zone);
    ++counts_.zones;
    int pods = 0;
    for (auto& [ns, k] : nss) pods += k;
    label(box, QString::fromStdString("zone " + zone), x + 8, 44, 11, true);
    label(box, QString("%1 nodes, %2 pods").arg(count).arg(pods), x + 8, 64, 9);
    qreal by = 90;
    uint32_t ni = 0;
    for (auto& [ns, k] : nss) {
      qreal w = std::max(6.0, (kZoneW - 150) * k / double(max_pods));
      auto* bar = new QGraphicsRectItem(x + 8, by, w, kBarH, box);
      bar->setBrush(colour_for(ns));
      bar->setPen(QPen(QColor(80, 80, 80), 0.6));
      tag(bar, ObjectKind::Namespace, zi * 100000 + ni, zone + "|" + ns);
      ++counts_.namespace_bars;
      counts_.aggregated_pods += k;
      label(bar, QString::fromStdString(ns) + QString("  %1").arg(k), x + 14 + w, by + 4, 8);
      by += kBarH + 6;
      ++ni;
    }
    x += kZoneW + kGap;
    ++zi;
  }
  counts_.nodes = 0;
  counts_.pods = 0;
  counts_.services = 0;
}

}  // namespace knetsim::gui
