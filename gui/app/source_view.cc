#include "gui/app/source_view.h"

#include <QFile>
#include <QFontDatabase>
#include <QTextBlock>
#include <QVBoxLayout>

namespace knetsim::gui {

SourceView::SourceView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  banner_ = new QLabel(this);
  banner_->setWordWrap(true);
  banner_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  editor_ = new QPlainTextEdit(this);
  editor_->setReadOnly(true);
  editor_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  editor_->setLineWrapMode(QPlainTextEdit::NoWrap);
  layout->addWidget(banner_);
  layout->addWidget(editor_);
}

void SourceView::show_file(const std::string& path, const std::optional<core::Diagnostic>& error,
                           const std::vector<core::Diagnostic>& warnings) {
  std::string shown = path;
  if (error && !error->where.file.empty() && QFile::exists(QString::fromStdString(error->where.file)))
    shown = error->where.file;
  QFile f(QString::fromStdString(shown));
  editor_->setPlainText(f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll())
                                                    : QString("cannot read %1").arg(shown.c_str()));
  highlighted_line_ = 0;
  QList<QTextEdit::ExtraSelection> marks;
  auto mark = [&](const core::Diagnostic& d, QColor colour) {
    if (d.where.line <= 0 || d.where.file != shown) return;
    QTextBlock block = editor_->document()->findBlockByLineNumber(d.where.line - 1);
    if (!block.isValid()) return;
    QTextEdit::ExtraSelection sel;
    sel.format.setBackground(colour);
    sel.format.setProperty(QTextFormat::FullWidthSelection, true);
    sel.cursor = QTextCursor(block);
    marks.append(sel);
  };
  for (const auto& w : warnings) mark(w, QColor(255, 243, 196));
  if (error) {
    mark(*error, QColor(255, 200, 200));
    if (error->where.line > 0 && error->where.file == shown) {
      highlighted_line_ = error->where.line;
      QTextBlock block = editor_->document()->findBlockByLineNumber(error->where.line - 1);
      QTextCursor cur(block);
      cur.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor,
                       std::max(0, error->where.column - 1));
      editor_->setTextCursor(cur);
      editor_->centerCursor();
    }
    banner_->setStyleSheet("QLabel { background: #fdd; padding: 6px; }");
    banner_->setText("<b>error:</b> " + QString::fromStdString(error->str()).toHtmlEscaped());
  } else {
    QString text = QString("<b>%1</b> loaded").arg(QString::fromStdString(shown).toHtmlEscaped());
    for (const auto& w : warnings)
      text += "<br>warning: " + QString::fromStdString(w.str()).toHtmlEscaped();
    banner_->setStyleSheet(warnings.empty() ? "QLabel { background: #dfd; padding: 6px; }"
                                            : "QLabel { background: #ffc; padding: 6px; }");
    banner_->setText(text);
  }
  editor_->setExtraSelections(marks);
}

}  // namespace knetsim::gui
