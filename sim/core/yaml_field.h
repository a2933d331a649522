// A located view of one YAML value: it knows its file, its line/column and its field path, so
// every accessor can fail with a message a user can act on ("file:12:7: spec.ports[1].port:
// expected an integer from 1 to 65535, got \"http\"").
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/diagnostics.h"
#include "sim/core/source_ref.h"

namespace knetsim::core {

class Field {
 public:
  Field(YAML::Node node, std::string path, std::shared_ptr<const std::string> file,
        Diagnostics* diags, SourceRef fallback = {});

  // Present and not null.
  bool defined() const { return node_.IsDefined() && !node_.IsNull(); }
  bool is_map() const { return node_.IsMap(); }
  bool is_seq() const { return node_.IsSequence(); }
  bool is_scalar() const { return node_.IsScalar(); }
  // A scalar written without quotes (YAML plain style): integers and booleans must be plain.
  bool is_plain_scalar() const { return node_.IsScalar() && node_.Tag() == "?"; }

  const std::string& path() const { return path_; }
  SourceRef where() const;
  const std::string& file() const { return *file_; }
  Diagnostics* diagnostics() const { return diags_; }
  const YAML::Node& node() const { return node_; }

  // Children. A missing key gives an undefined Field located at its parent.
  Field operator[](std::string_view key) const;
  Field require(std::string_view key) const;  // error when missing or null
  std::vector<Field> items() const;           // a sequence (null -> empty)
  std::vector<std::pair<std::string, Field>> entries() const;  // a mapping (null -> empty)

  // Scalars, with type checks.
  std::string str() const;
  std::string str_or(std::string fallback) const { return defined() ? str() : fallback; }
  int64_t integer(int64_t min, int64_t max) const;
  int64_t integer_or(int64_t fallback, int64_t min, int64_t max) const {
    return defined() ? integer(min, max) : fallback;
  }
  double number(double min, double max) const;
  bool boolean() const;
  bool boolean_or(bool fallback) const { return defined() ? boolean() : fallback; }
  // One of `choices`, exactly (Kubernetes enums are case-sensitive).
  std::string one_of(std::initializer_list<std::string_view> choices) const;

  // Warn about keys not in `known`; error on a key written twice.
  void check_keys(std::initializer_list<std::string_view> known) const;
  void expect_map() const;
  void expect_seq() const;

  // Error on any mapping, at any depth below this value, that writes a key twice (YAML forbids
  // it; yaml-cpp would silently keep the first).
  void check_no_duplicate_keys() const;

  [[noreturn]] void error(const std::string& message) const;
  void warn(const std::string& message) const;

  // A short description of the value for messages: `"text"`, `a mapping`, `a sequence`.
  std::string describe() const;

 private:
  YAML::Node node_;
  std::string path_;
  std::shared_ptr<const std::string> file_;
  Diagnostics* diags_;
  SourceRef fallback_;  // location of the parent, for missing keys
};

// Parse every YAML document of a file; syntax errors become located ScenarioErrors.
std::vector<YAML::Node> load_yaml_documents(const std::string& path);
std::vector<YAML::Node> load_yaml_documents_from_string(const std::string& text,
                                                        const std::string& name);

}  // namespace knetsim::core
