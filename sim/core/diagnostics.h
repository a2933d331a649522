// Errors and warnings about user input. Every message names file:line:column, the field path
// (e.g. spec.ports[1].targetPort) and what was expected; a ScenarioError ends the load (exit 2).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "sim/core/source_ref.h"

namespace knetsim::core {

struct Diagnostic {
  SourceRef where;
  std::string field;  // dotted path inside the object, may be empty
  std::string message;

  // "file:line:col: field: message" (parts omitted when unknown).
  std::string str() const;
};

class ScenarioError : public std::runtime_error {
 public:
  explicit ScenarioError(Diagnostic d) : std::runtime_error(d.str()), diagnostic_(std::move(d)) {}
  const Diagnostic& diagnostic() const { return diagnostic_; }

 private:
  Diagnostic diagnostic_;
};

// Warnings gathered during a load (unknown fields, unmodelled kinds, odd but legal values).
class Diagnostics {
 public:
  void warn(SourceRef where, std::string field, std::string message) {
    warnings_.push_back({std::move(where), std::move(field), std::move(message)});
  }
  const std::vector<Diagnostic>& warnings() const { return warnings_; }

 private:
  std::vector<Diagnostic> warnings_;
};

[[noreturn]] inline void fail(SourceRef where, std::string field, std::string message) {
  throw ScenarioError(Diagnostic{std::move(where), std::move(field), std::move(message)});
}

}  // namespace knetsim::core
