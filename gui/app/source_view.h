// The scenario file as text, with the line of a validation error highlighted and scrolled to,
// and the error message shown above it.
#pragma once

#include <QLabel>
#include <QPlainTextEdit>
#include <QWidget>
#include <optional>

#include "sim/core/diagnostics.h"

namespace knetsim::gui {

class SourceView : public QWidget {
  Q_OBJECT
 public:
  explicit SourceView(QWidget* parent = nullptr);
  // Shows `path`; when `error` names a line of that file (or of an included manifest), that
  // file is shown instead, the line highlighted and the cursor put on its column.
  void show_file(const std::string& path, const std::optional<core::Diagnostic>& error,
                 const std::vector<core::Diagnostic>& warnings);
  int highlighted_line() const { return highlighted_line_; }
  QPlainTextEdit* editor() { return editor_; }
  QLabel* banner() { return banner_; }

 private:
  QLabel* banner_;
  QPlainTextEdit* editor_;
  int highlighted_line_ = 0;
};

}  // namespace knetsim::gui
