// knetsim plot DIR [-o OUT] [--format png|svg] [--partial]: the charts of a `knetsim run` results
// folder rendered offscreen (no window, no display) with the GUI's chart code (gui/charts), so the
// files match what knetsim-gui shows. Built only when the GUI is (gui/CMakeLists.txt attaches it).
#include <fmt/core.h>

#include <QApplication>
#include <cstdio>
#include <filesystem>

#include "gui/charts/chart_export.h"
#include "gui/charts/results_data.h"
#include "sim/cli/commands.h"
#include "sim/core/run_folder.h"

namespace knetsim::cli {

void add_plot_command(CLI::App& app, int& exit_code) {
  struct Opts {
    std::string dir;
    std::string out;
    std::string format = "png";
    bool partial = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("plot", "Charts (PNG/SVG) from a `knetsim run` results folder");
  cmd->add_option("dir", o->dir, "Results folder (summary.json + CSVs)")->required();
  cmd->add_option("-o,--out", o->out, "Where to write the charts (default: DIR/charts)");
  cmd->add_option("--format", o->format, "png or svg")->check(CLI::IsMember({"png", "svg"}));
  cmd->add_flag("--partial", o->partial,
                "Plot a folder whose run did not finish (killed or crashed) anyway");
  cmd->callback([o, &exit_code] {
    // A run that did not finish is refused (exit 4) unless --partial: partial results must not
    // pass for whole ones (core/run_folder.h).
    auto check = core::check_run_folder(o->dir);
    bool incomplete = !check.complete() && check.state != core::RunFolderState::NotAFolder;
    if (incomplete && !o->partial) {
      fmt::print(stderr, "error: {}\n  plot it anyway with --partial\n", check.message(o->dir));
      exit_code = core::kExitIncompleteResults;
      return;
    }
    if (incomplete) fmt::print(stderr, "warning: {}\n", check.message(o->dir));
    gui::ResultsCharts rc = gui::results_charts(o->dir);
    if (!rc.error.empty()) {
      fmt::print(stderr, "error: {}\n", rc.error);
      exit_code = 2;
      return;
    }
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "knetsim";
    static char* argv[] = {name, nullptr};
    QApplication qt(argc, argv);  // Qt Charts needs one, even offscreen
    std::string out = o->out.empty() ? o->dir + "/charts" : o->out;
    std::filesystem::create_directories(out);
    for (const auto& spec : rc.charts) {
      std::string path = out + "/" + spec.id + "." + o->format;
      std::string err = gui::export_chart(spec, path);
      if (!err.empty()) {
        fmt::print(stderr, "error: {}\n", err);
        exit_code = 1;
        return;
      }
      fmt::print("{}\n", path);
    }
    if (rc.charts.empty()) fmt::print(stderr, "warning: {} holds no chartable data\n", o->dir);
  });
}

}  // namespace knetsim::cli
