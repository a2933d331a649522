#include "gui/app/screenshots.h"

#include <QApplication>
#include <QDir>
#include <QPixmap>

#include "gui/app/charts_view.h"
#include "gui/app/cluster_view.h"
#include "gui/app/live_view.h"
#include "gui/app/main_window.h"
#include "gui/app/reach_view.h"
#include "gui/app/rules_view.h"
#include "gui/app/source_view.h"
#include "gui/app/walkthrough_view.h"

namespace knetsim::gui {
namespace {

bool grab(MainWindow& w, QWidget* tab, const QString& file) {
  w.tabs()->setCurrentWidget(tab);
  QApplication::processEvents();
  return w.grab().save(file, "PNG");
}

}  // namespace

QStringList take_screenshots(MainWindow& w, const QString& dir, QString* error,
                             const QString& live_events) {
  QStringList written;
  if (!QDir().mkpath(dir)) {
    *error = "cannot create " + dir;
    return {};
  }
  w.resize(kScreenshotWidth, kScreenshotHeight);
  w.show();
  QApplication::processEvents();
  auto shot = [&](QWidget* tab, const QString& name) {
    QString file = QDir(dir).filePath(name);
    if (grab(w, tab, file)) written << file;
  };
  auto doc = w.document();
  if (!doc) {
    shot(w.source_view(), "source-error.png");
    return written;
  }
  const auto& c = doc->cluster;

  // Cluster: fit, then select the first service (or pod) so the details panel is filled.
  w.tabs()->setCurrentWidget(w.cluster_view());
  QApplication::processEvents();
  w.cluster_view()->view()->fit();
  // The first service with a selector (the implicit default/kubernetes has none).
  core::ServiceId shown = 0;
  for (core::ServiceId s = 0; s < c.services.size(); ++s)
    if (c.services[s].selector) {
      shown = s;
      break;
    }
  if (!c.services.empty())
    w.cluster_view()->select(ObjectKind::Service, shown);
  else if (!c.pods.empty())
    w.cluster_view()->select(ObjectKind::Pod, 0);
  shot(w.cluster_view(), "cluster.png");

  // Walkthrough: the first client pod to the shown service, stopped at the rule walk; the
  // scenario's mode on the left against IPVS, then nftables, on the right; then the CNI hop.
  auto* walk = w.walkthrough_view();
  w.tabs()->setCurrentWidget(walk);
  QApplication::processEvents();
  auto own = c.kube_proxy.mode;
  auto other = own == core::KubeProxyMode::Iptables ? core::KubeProxyMode::Ipvs : core::KubeProxyMode::Iptables;
  walk->set_modes(own, other);
  // Prefer a client whose request crosses nodes (so the CNI hops appear), clients first.
  std::vector<core::PodId> order;
  for (core::PodId p = 0; p < c.pods.size(); ++p)
    if (c.pods[p].labels.count("app") && c.pods[p].labels.at("app").find("client") != std::string::npos)
      order.push_back(p);
  for (core::PodId p = 0; p < c.pods.size(); ++p) order.push_back(p);
  bool crossing = false;
  for (core::PodId p : order)
    if (walk->choose(p, shown, 0) && walk->step_to_hop("encapsulate")) {
      crossing = true;
      break;
    }
  if (!crossing && !order.empty()) walk->choose(order.front(), shown, 0);
  walk->step_to_hop("service lookup");
  shot(walk, "walkthrough.png");
  walk->set_modes(own, core::KubeProxyMode::Nftables);
  walk->step_to_hop("service lookup");
  shot(walk, "walkthrough-nftables.png");
  walk->set_modes(own, own);
  walk->set_right_cni(CniChoice{core::CniPlugin::Calico, "vxlan", "wireguard"});
  if (walk->step_to_hop("encapsulate") || walk->step_to_hop("wire")) shot(walk, "walkthrough-cni.png");
  walk->set_modes(own, other);
  walk->step_to(0);

  // Rules: the first service's rules, chains expanded, in the scenario's mode, nftables and IPVS.
  w.rules_view()->set_filter(c.services.empty() ? QString("KUBE-SERVICES")
                                                : QString::fromStdString(c.services[shown].key()));
  w.rules_view()->expand_matches();
  shot(w.rules_view(), "rules.png");
  w.rules_view()->set_mode(core::KubeProxyMode::Nftables);
  w.rules_view()->expand_matches();
  shot(w.rules_view(), "rules-nftables.png");
  w.rules_view()->set_mode(core::KubeProxyMode::Ipvs);
  w.rules_view()->expand_matches();
  shot(w.rules_view(), "rules-ipvs.png");
  w.rules_view()->set_mode(own);
  w.rules_view()->set_filter("");

  // Reachability: first cell explained.
  w.reach_view()->explain(0, std::min(1, std::max(0, w.reach_view()->model()->columnCount() - 1)));
  shot(w.reach_view(), "reachability.png");

  // Charts: the scenario's per-mode chart, then the scaling study.
  if (!w.charts_view()->charts().empty()) {
    w.charts_view()->show_chart(w.charts_view()->charts().front().id);
    shot(w.charts_view(), "charts-modes.png");
  }
  if (w.charts_view()->compute_scaling({10, 100, 1000, 5000}, false)) {
    w.charts_view()->show_chart("first_packet_rules_vs_services");
    shot(w.charts_view(), "charts-scaling.png");
  }

  if (!live_events.isEmpty()) {
    w.tabs()->setCurrentWidget(w.live_view());
    QApplication::processEvents();
    if (!w.live_view()->follow_file(live_events)) *error = w.live_view()->status()->text();
    w.live_view()->fit();
  }
  shot(w.live_view(), "live.png");
  w.live_view()->disconnect_source();
  shot(w.source_view(), "source.png");
  return written;
}

}  // namespace knetsim::gui
