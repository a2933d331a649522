#include "sim/core/profile.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "sim/core/yaml_field.h"

namespace knetsim::core {

double Profile::get(std::string_view key) const {
  auto it = constants_.find(key);
  if (it == constants_.end()) {
    throw std::logic_error("calibration profile \"" + name_ + "\" has no constant \"" +
                           std::string(key) + "\"");
  }
  return it->second.value;
}

const ProfileConstant* Profile::find(std::string_view key) const {
  auto it = constants_.find(key);
  return it == constants_.end() ? nullptr : &it->second;
}

void Profile::apply_overrides(const std::map<std::string, double>& overrides,
                              const std::map<std::string, SourceRef>& where_map) {
  for (const auto& [key, value] : overrides) {
    auto w = where_map.find(key);
    SourceRef where = w == where_map.end() ? SourceRef{} : w->second;
    auto it = constants_.find(key);
    if (it == constants_.end()) {
      fail(where, "overrides." + key,
           "profile \"" + name_ + "\" has no constant \"" + key + "\" (see docs/MODELS.md)");
    }
    it->second.value = value;
    it->second.source = "scenario override";
    it->second.where = where;
  }
}

Profile Profile::parse(const std::string& text, const std::string& name) {
  Diagnostics diags;
  auto docs = load_yaml_documents_from_string(text, name);
  if (docs.empty()) fail(SourceRef{name, 0, 0}, "", "the profile is empty");
  auto file = std::make_shared<const std::string>(name);
  Field doc(docs.front(), "", file, &diags);
  doc.expect_map();
  doc.check_no_duplicate_keys();
  if (doc.require("kind").str() != "CalibrationProfile") {
    doc["kind"].error("expected kind CalibrationProfile");
  }
  Profile p;
  p.name_ = doc["metadata"]["name"].str_or(name);
  for (const auto& [key, f] : doc["metadata"].entries()) {
    if (key != "name" && f.is_scalar()) p.info_[key] = f.str();  // e.g. kernel, machine
  }
  for (const auto& [key, f] : doc.require("constants").entries()) {
    f.expect_map();
    f.check_keys({"value", "unit", "source", "description"});
    ProfileConstant c;
    c.value = f.require("value").number(-1e18, 1e18);
    c.unit = f.require("unit").str();
    c.source = f.require("source").str();
    c.description = f["description"].str_or("");
    c.where = f.where();
    p.constants_[key] = std::move(c);
  }
  return p;
}

Profile Profile::load_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) fail(SourceRef{path, 0, 0}, "", "cannot open calibration profile");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path);
}

std::string Profile::to_yaml() const {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "apiVersion" << YAML::Value << "knetsim/v1";
  out << YAML::Key << "kind" << YAML::Value << "CalibrationProfile";
  out << YAML::Key << "metadata" << YAML::Value << YAML::BeginMap << YAML::Key << "name"
      << YAML::Value << name_;
  for (const auto& [key, value] : info_) out << YAML::Key << key << YAML::Value << value;
  out << YAML::EndMap;
  out << YAML::Key << "constants" << YAML::Value << YAML::BeginMap;
  for (const auto& [key, c] : constants_) {
    out << YAML::Key << key << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "value" << YAML::Value << c.value;
    out << YAML::Key << "unit" << YAML::Value << c.unit;
    out << YAML::Key << "source" << YAML::Value << c.source;
    if (!c.description.empty()) out << YAML::Key << "description" << YAML::Value << c.description;
    out << YAML::EndMap;
  }
  out << YAML::EndMap << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace knetsim::core
