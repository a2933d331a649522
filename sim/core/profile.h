// A calibration profile: every cost constant a model uses, with its unit and its source.
// Models never hold numeric literals for costs; they read them here by name. A scenario may
// override any constant (`overrides:`), and `knetsim calibrate` writes new profiles.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "sim/core/diagnostics.h"
#include "sim/core/source_ref.h"

namespace knetsim::core {

struct ProfileConstant {
  double value = 0;
  std::string unit;         // ns, us, bytes, ratio, ...
  std::string source;       // paper, blog measurement, kernel measurement, or "calibrate"
  std::string description;  // what it is the cost of
  SourceRef where;          // where it was defined (or overridden)
};

class Profile {
 public:
  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }
  // Free-form metadata besides the name (e.g. the machine and kernel a calibration ran on).
  const std::map<std::string, std::string>& info() const { return info_; }
  void set_info(const std::string& key, std::string value) { info_[key] = std::move(value); }
  // The value of a constant the profile must define; a missing one is a programming error in a
  // model (or a profile missing a constant), reported with the profile's name.
  double get(std::string_view key) const;
  const ProfileConstant* find(std::string_view key) const;
  const std::map<std::string, ProfileConstant, std::less<>>& constants() const { return constants_; }

  void set(const std::string& key, ProfileConstant c) { constants_[key] = std::move(c); }
  // Applies scenario overrides; an unknown name is a user error at `where`.
  void apply_overrides(const std::map<std::string, double>& overrides,
                       const std::map<std::string, SourceRef>& where);

  // Parses `kind: CalibrationProfile` YAML; `name` is used in messages.
  static Profile parse(const std::string& text, const std::string& name);
  static Profile load_file(const std::string& path);
  // The profile as YAML in the same format parse() reads.
  std::string to_yaml() const;

 private:
  std::string name_;
  std::map<std::string, std::string> info_;
  std::map<std::string, ProfileConstant, std::less<>> constants_;
};

}  // namespace knetsim::core
