// Live mode: attaches to a running `knetsim emulate` event stream (its --events-socket unix
// socket, or a --events file followed like `tail -f`) and animates each routed connection on the
// cluster drawing: client pod → service → chosen endpoint pod, green when allowed, red when
// denied by policy, grey when the service had no endpoint. The event's modelled latency, rules
// walked and mode are listed beside it. Events are the emulator's JSON lines (docs/CLI.md).
#pragma once

#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocalSocket>
#include <QTimer>
#include <QWidget>
#include <memory>
#include <vector>

#include "gui/app/cluster_scene.h"
#include "gui/app/cluster_view.h"
#include "gui/app/scenario_document.h"

class QGraphicsPathItem;

namespace knetsim::gui {

struct LiveStats {
  int lines = 0;        // JSON lines read
  int bad_lines = 0;    // not JSON objects
  int connections = 0;  // "service" and "pod" events
  int allowed = 0;
  int denied = 0;
  int no_endpoint = 0;
  int animated = 0;  // connections drawn (both ends found in the open scenario)
  int model_events = 0;
  int dropped = 0;  // lines the emulator dropped because this reader fell behind
  double latency_ns_sum = 0;
  int latency_count = 0;
};

class LiveView : public QWidget {
  Q_OBJECT
 public:
  static constexpr int kMaxListed = 500;

  explicit LiveView(QWidget* parent = nullptr);
  void set_document(std::shared_ptr<const ScenarioDocument> doc);
  // Connects to the emulator's unix socket; returns false with the reason in status().
  bool connect_socket(const QString& path);
  // Reads a --events file from the start and keeps following it.
  bool follow_file(const QString& path);
  void disconnect_source();
  void fit() { view_->fit(); }
  // One JSON line of the stream (public for tests and replay).
  void ingest(const QByteArray& line);

  const LiveStats& stats() const { return stats_; }
  int active_animations() const { return static_cast<int>(anims_.size()); }
  QListWidget* events() { return list_; }
  QLabel* status() { return status_; }
  ClusterScene* scene() { return scene_; }

 private:
  void read_socket();
  void poll_file();
  void tick();
  void update_status();
  void animate(const QString& src, const QString& service, const QString& dst, const QColor& c);
  QPointF pod_point(const QString& key, bool* found) const;

  std::shared_ptr<const ScenarioDocument> doc_;
  ClusterScene* scene_;
  ZoomView* view_;
  QLineEdit* path_;
  QLabel* status_;
  QListWidget* list_;
  QLocalSocket* socket_;
  std::unique_ptr<QFile> file_;
  QByteArray partial_;
  QTimer* file_timer_;
  QTimer* anim_timer_;
  struct Anim {
    QGraphicsPathItem* item;
    double life;  // 1 → 0
  };
  std::vector<Anim> anims_;
  LiveStats stats_;
  QString source_;
};

}  // namespace knetsim::gui
