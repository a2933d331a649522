#include "sim/core/yaml_field.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "sim/core/load_limits.h"
#include "sim/core/yaml_prescan.h"

namespace knetsim::core {

namespace {

std::string join_choices(std::initializer_list<std::string_view> choices) {
  std::string out;
  size_t i = 0;
  for (auto c : choices) {
    if (i > 0) out += (i + 1 == choices.size()) ? " or " : ", ";
    out += std::string(c);
    ++i;
  }
  return out;
}

std::string child_path(const std::string& parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return parent + "." + std::string(key);
}

}  // namespace

Field::Field(YAML::Node node, std::string path, std::shared_ptr<const std::string> file,
             Diagnostics* diags, SourceRef fallback)
    : node_(std::move(node)),
      path_(std::move(path)),
      file_(std::move(file)),
      diags_(diags),
      fallback_(std::move(fallback)) {}

SourceRef Field::where() const {
  if (node_.IsDefined() && !node_.IsNull()) {
    auto mark = node_.Mark();
    if (mark.line >= 0) return SourceRef{*file_, mark.line + 1, mark.column + 1};
  }
  return fallback_.file.empty() ? SourceRef{*file_, 0, 0} : fallback_;
}

Field Field::operator[](std::string_view key) const {
  if (node_.IsMap()) {
    for (auto it = node_.begin(); it != node_.end(); ++it) {
      if (!it->first.IsScalar() || it->first.Scalar() != key) continue;
      // A null value has no useful mark of its own: point at the key instead.
      auto m = it->first.Mark();
      return Field(it->second, child_path(path_, key), file_, diags_,
                   SourceRef{*file_, m.line + 1, m.column + 1});
    }
  }
  return Field(YAML::Node(YAML::NodeType::Undefined), child_path(path_, key), file_, diags_,
               where());
}

Field Field::require(std::string_view key) const {
  expect_map();
  Field f = (*this)[key];
  if (!f.defined()) {
    Field(node_, child_path(path_, key), file_, diags_, where())
        .error("missing required field \"" + std::string(key) + "\"");
  }
  return f;
}

std::vector<Field> Field::items() const {
  std::vector<Field> out;
  if (!defined()) return out;
  expect_seq();
  out.reserve(node_.size());
  for (size_t i = 0; i < node_.size(); ++i) {
    out.emplace_back(node_[i], path_ + "[" + std::to_string(i) + "]", file_, diags_, where());
  }
  return out;
}

std::vector<std::pair<std::string, Field>> Field::entries() const {
  std::vector<std::pair<std::string, Field>> out;
  if (!defined()) return out;
  expect_map();
  std::set<std::string> seen;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    Field key(it->first, path_, file_, diags_, where());
    if (!it->first.IsScalar()) key.error("expected a string key, got " + key.describe());
    std::string k = it->first.Scalar();
    if (!seen.insert(k).second) {
      key.error("key \"" + k + "\" is written twice");
    }
    auto m = it->first.Mark();
    SourceRef key_at{*file_, m.line + 1, m.column + 1};
    out.emplace_back(k, Field(it->second, child_path(path_, k), file_, diags_, key_at));
  }
  return out;
}

std::string Field::describe() const {
  if (!node_.IsDefined() || node_.IsNull()) return "nothing";
  if (node_.IsMap()) return "a mapping";
  if (node_.IsSequence()) return "a sequence";
  return "\"" + node_.Scalar() + "\"";
}

void Field::expect_map() const {
  if (!node_.IsMap()) error("expected a mapping, got " + describe());
}

void Field::expect_seq() const {
  if (!node_.IsSequence()) error("expected a sequence, got " + describe());
}

std::string Field::str() const {
  if (!node_.IsScalar()) error("expected a string, got " + describe());
  return node_.Scalar();
}

int64_t Field::integer(int64_t min, int64_t max) const {
  std::string range = "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  if (!node_.IsScalar()) error("expected " + range + ", got " + describe());
  const std::string& s = node_.Scalar();
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size()) {
    error("expected " + range + ", got " + describe());
  }
  if (!is_plain_scalar()) {
    error("expected " + range + ", got the string " + describe() + " (write it without quotes)");
  }
  if (v < min || v > max) error("expected " + range + ", got " + s);
  return v;
}

double Field::number(double min, double max) const {
  auto fmt = [](double d) {
    std::ostringstream o;
    o << d;
    return o.str();
  };
  std::string range = "a number from " + fmt(min) + " to " + fmt(max);
  if (!node_.IsScalar() || !is_plain_scalar()) error("expected " + range + ", got " + describe());
  const std::string& s = node_.Scalar();
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size() || !std::isfinite(v)) {
    error("expected " + range + ", got " + describe());
  }
  if (v < min || v > max) error("expected " + range + ", got " + s);
  return v;
}

bool Field::boolean() const {
  if (node_.IsScalar() && is_plain_scalar()) {
    const std::string& s = node_.Scalar();
    if (s == "true" || s == "True" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "False" || s == "no" || s == "off") return false;
  }
  error("expected true or false, got " + describe());
}

std::string Field::one_of(std::initializer_list<std::string_view> choices) const {
  std::string s = str();
  for (auto c : choices) {
    if (s == c) return s;
  }
  error("expected " + join_choices(choices) + ", got " + describe());
}

void Field::check_keys(std::initializer_list<std::string_view> known) const {
  if (!defined()) return;
  for (const auto& [key, value] : entries()) {
    bool ok = false;
    for (auto k : known) ok = ok || key == k;
    if (!ok) {
      Field at(value.node_, value.path_, file_, diags_, value.fallback_);
      SourceRef w = value.fallback_.line ? value.fallback_ : at.where();
      if (diags_) diags_->warn(w, value.path_, "unknown field \"" + key + "\" is ignored");
    }
  }
}

namespace {

// Walks every node as a reader would see it (aliases expanded), bounded in count and depth.
struct WalkBudget {
  size_t nodes = 0;
};

void walk(const Field& f, WalkBudget& budget, int depth) {
  const LoadLimits& lim = load_limits();
  if (++budget.nodes > lim.max_yaml_nodes) {
    f.error("the document expands to more than " + std::to_string(lim.max_yaml_nodes) +
            " YAML nodes (aliases included); refusing it (raise --max-yaml-nodes if it is real)");
  }
  if (depth > lim.max_yaml_depth) {
    f.error("nesting deeper than " + std::to_string(lim.max_yaml_depth) + " levels");
  }
  if (f.is_map()) {
    for (const auto& [key, value] : f.entries()) walk(value, budget, depth + 1);
  } else if (f.is_seq()) {
    for (const Field& item : f.items()) walk(item, budget, depth + 1);
  }
}

}  // namespace

void Field::check_no_duplicate_keys() const {
  WalkBudget budget;
  walk(*this, budget, 0);
}

void Field::error(const std::string& message) const { fail(where(), path_, message); }

void Field::warn(const std::string& message) const {
  if (diags_) diags_->warn(where(), path_, message);
}

namespace {

// Refuses binary and non-UTF-8 input before the YAML parser sees it, with its position.
void check_text(const std::string& text, const std::string& name) {
  int line = 1, col = 1;
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = len != 0 && i + len <= text.size();
    for (size_t k = 1; ok && k < len; ++k) {
      ok = (static_cast<unsigned char>(text[i + k]) >> 6) == 2;
    }
    if (!ok) fail(SourceRef{name, line, col}, "", "the file is not UTF-8 text (invalid byte sequence)");
    if (c == 0) fail(SourceRef{name, line, col}, "", "the file is binary, not YAML (NUL byte)");
    if (c == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
    i += len;
  }
}

std::vector<YAML::Node> parse_all(const std::string& text, const std::string& name) {
  const LoadLimits& lim = load_limits();
  if (static_cast<int64_t>(text.size()) > lim.max_file_bytes) {
    fail(SourceRef{name, 0, 0}, "",
         "the file is " + std::to_string(text.size()) + " bytes, over the limit of " +
             std::to_string(lim.max_file_bytes) + " (raise --max-file-size if it is real)");
  }
  check_text(text, name);
  try {
    prescan_yaml_stream(text, name);  // document limit, and inputs LoadAll never returns on
    return YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    SourceRef where{name, e.mark.line >= 0 ? e.mark.line + 1 : 0,
                    e.mark.column >= 0 ? e.mark.column + 1 : 0};
    fail(where, "", "invalid YAML: " + e.msg);
  }
}

}  // namespace

std::vector<YAML::Node> load_yaml_documents(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) fail(SourceRef{path, 0, 0}, "", "cannot open file");
  auto size = static_cast<int64_t>(in.tellg());
  if (size < 0) fail(SourceRef{path, 0, 0}, "", "cannot read file (is it a folder?)");
  if (size > load_limits().max_file_bytes) {
    fail(SourceRef{path, 0, 0}, "",
         "the file is " + std::to_string(size) + " bytes, over the limit of " +
             std::to_string(load_limits().max_file_bytes) + " (raise --max-file-size if it is real)");
  }
  in.seekg(0);
  std::string text(static_cast<size_t>(std::max<int64_t>(size, 0)), '\0');
  in.read(text.data(), size);
  return parse_all(text, path);
}

std::vector<YAML::Node> load_yaml_documents_from_string(const std::string& text,
                                                        const std::string& name) {
  return parse_all(text, name);
}

}  // namespace knetsim::core
