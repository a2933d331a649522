#include "sim/core/yaml_prescan.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <sstream>

#include "sim/core/diagnostics.h"
#include "sim/core/load_limits.h"

namespace knetsim::core {

namespace {

// Only document boundaries matter; the nodes themselves are counted later, per document.
class DocumentWatch : public YAML::EventHandler {
 public:
  DocumentWatch(const std::string& text, const std::string& name) : text_(text), name_(name) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    // A document starting where the previous one started consumed nothing: the parser is stuck
    // on a token no node can begin with and would repeat this document forever.
    if (documents_ > 0 && mark.pos == last_start_.pos) {
      std::string token = mark.pos >= 0 && static_cast<size_t>(mark.pos) < text_.size()
                              ? std::string(1, text_[static_cast<size_t>(mark.pos)])
                              : std::string("end of input");
      fail(SourceRef{name_, mark.line + 1, mark.column + 1}, "",
           "invalid YAML: unexpected \"" + token +
               "\" where a document or a value should start (outside [...] and {...} a comma "
               "cannot begin a value)");
    }
    last_start_ = mark;
    if (++documents_ > load_limits().max_documents) {
      fail(SourceRef{name_, mark.line + 1, mark.column + 1}, "",
           "the file holds more than " + std::to_string(load_limits().max_documents) +
               " YAML documents, over the limit");
    }
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

 private:
  const std::string& text_;
  const std::string& name_;
  size_t documents_ = 0;
  YAML::Mark last_start_;
};

}  // namespace

void prescan_yaml_stream(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentWatch watch(text, name);
  while (parser.HandleNextDocument(watch)) {
  }
}

}  // namespace knetsim::core
