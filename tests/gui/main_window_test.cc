// The application shell: a bad file opens the source at the error's line; a good one fills
// every view; the screenshot command writes one PNG per view.
#include <gtest/gtest.h>

#include <QFileInfo>

#include "gui/app/charts_view.h"
#include "gui/app/cluster_view.h"
#include "gui/app/main_window.h"
#include "gui/app/screenshots.h"
#include "gui/app/source_view.h"
#include "gui_test_util.h"

namespace knetsim::gui {
namespace {

TEST(MainWindow, ValidationErrorIsShownAtItsLine) {
  test::app();
  QTemporaryDir dir;
  std::string path = test::write_file(dir, "bad.yaml", R"(apiVersion: knetsim/v1
kind: Scenario
metadata: {name: bad}
cluster:
  nodes: {count: 3}
kubeProxy: {mode: warp-drive}
)");
  MainWindow w;
  EXPECT_FALSE(w.open_file(QString::fromStdString(path)));
  EXPECT_EQ(w.document(), nullptr);
  EXPECT_EQ(w.tabs()->currentWidget(), w.source_view());
  EXPECT_EQ(w.source_view()->highlighted_line(), 6);
  EXPECT_TRUE(w.source_view()->banner()->text().contains("bad.yaml:6:"));
  EXPECT_EQ(w.source_view()->editor()->textCursor().blockNumber(), 5);
}

TEST(MainWindow, EveryBundledScenarioOpensAndEveryViewRenders) {
  test::app();
  for (const auto& f : test::bundled_scenarios()) {
    SCOPED_TRACE(f);
    MainWindow w;
    ASSERT_TRUE(w.open_file(QString::fromStdString(f)));
    ASSERT_NE(w.document(), nullptr);
    w.resize(1200, 800);
    w.show();
    for (int i = 0; i < w.tabs()->count(); ++i) {
      w.tabs()->setCurrentIndex(i);
      QApplication::processEvents();
      EXPECT_GT(test::drawn_pixels(w.grab().toImage()), 1000) << w.tabs()->tabText(i).toStdString();
    }
  }
}

TEST(Screenshots, WritesOnePngPerView) {
  test::app();
  QTemporaryDir dir;
  MainWindow w;
  ASSERT_TRUE(w.open_file(QString::fromStdString(test::source_path("scenarios/quickstart.yaml"))));
  QString error;
  QStringList files = take_screenshots(w, dir.path(), &error);
  EXPECT_TRUE(error.isEmpty());
  QStringList names;
  for (const auto& f : files) names << QFileInfo(f).fileName();
  for (const char* n : {"cluster.png", "rules.png", "reachability.png", "charts-modes.png",
                        "charts-scaling.png", "live.png", "source.png",
                        "walkthrough.png", "walkthrough-nftables.png", "rules-nftables.png",
                        "rules-ipvs.png"})
    EXPECT_TRUE(names.contains(n)) << n;
  for (const auto& f : files) EXPECT_EQ(QImage(f).width(), kScreenshotWidth) << f.toStdString();
}

}  // namespace
}  // namespace knetsim::gui
