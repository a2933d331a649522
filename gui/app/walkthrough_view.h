// The routing walkthrough (the teaching view): pick a client pod (or an external client) and a
// service port, then step forward/back or play through each hop of the request — DNS, the
// kube-proxy rule walk with the chain lines and the matched rule highlighted (and the number of
// rules tested beside it), DNAT to the chosen endpoint, policy checks, CNI encapsulation with
// header bytes and MTU, arrival — each with its modelled time. Two panels side by side: the
// scenario's kube-proxy mode and CNI on the left, another mode/CNI on the right.
#pragma once

#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QTimer>
#include <QTreeWidget>
#include <QWidget>
#include <memory>

#include "gui/app/scenario_document.h"
#include "gui/app/walkthrough.h"

namespace knetsim::gui {

class WalkPanel : public QWidget {
  Q_OBJECT
 public:
  explicit WalkPanel(bool comparison, QWidget* parent = nullptr);
  void show_walkthrough(const Walkthrough& w);
  void set_step(int step);  // highlights hop `step` and shows its details
  int hop_count() const;
  const Walkthrough* walkthrough() const { return has_ ? &w_ : nullptr; }
  QComboBox* mode() { return mode_; }
  QComboBox* cni() { return cni_; }
  QTreeWidget* hops() { return hops_; }
  QTextBrowser* detail() { return detail_; }

 signals:
  void settings_changed();

 private:
  QString hop_html(int i) const;
  QString rules_html() const;

  QComboBox* mode_;
  QComboBox* cni_;
  QLabel* header_;
  QTreeWidget* hops_;
  QTextBrowser* detail_;
  Walkthrough w_;
  bool has_ = false;
};

class WalkthroughView : public QWidget {
  Q_OBJECT
 public:
  explicit WalkthroughView(QWidget* parent = nullptr);
  void set_document(std::shared_ptr<const ScenarioDocument> doc);
  // Client: a pod, or nullopt for an external client. Returns false when not offered.
  bool choose(std::optional<core::PodId> client, core::ServiceId service, size_t port_index);
  void set_modes(core::KubeProxyMode left, core::KubeProxyMode right);
  void set_right_cni(const CniChoice& cni);
  void step_to(int step);
  // Steps to the first hop whose name starts with `prefix`; false when none.
  bool step_to_hop(const std::string& prefix);
  int step() const { return step_; }
  WalkPanel* left() { return left_; }
  WalkPanel* right() { return right_; }

 private:
  void rerun();
  WalkthroughRequest request_for(WalkPanel* panel) const;

  std::shared_ptr<const ScenarioDocument> doc_;
  QComboBox* client_;
  QComboBox* service_;
  QPushButton* back_;
  QPushButton* play_;
  QPushButton* forward_;
  QLabel* position_;
  QTimer* timer_;
  WalkPanel* left_;
  WalkPanel* right_;
  int step_ = 0;
};

}  // namespace knetsim::gui
