#include "sim/core/scenario_loader.h"

#include <algorithm>
#include <filesystem>
#include <memory>

#include "sim/core/manifest_loader.h"
#include "sim/core/quantity.h"
#include "sim/core/scenario_sections.h"

namespace knetsim::core {

namespace fs = std::filesystem;

namespace {

bool is_scenario_doc(const YAML::Node& n) {
  return n.IsMap() && n["kind"] && n["kind"].IsScalar() && n["kind"].Scalar() == "Scenario";
}

// Manifest includes stay inside the scenario's folder tree, so a scenario from elsewhere cannot
// read arbitrary files.
std::vector<std::string> resolve_include(const Field& f, const fs::path& base_dir) {
  std::string rel = f.str();
  fs::path p(rel);
  if (p.is_absolute()) {
    f.error("manifest paths are relative to the scenario file; \"" + rel + "\" is absolute");
  }
  fs::path full = (base_dir / p).lexically_normal();
  fs::path root = base_dir.lexically_normal();
  auto rel_to_root = full.lexically_relative(root);
  if (rel_to_root.empty() || *rel_to_root.begin() == "..") {
    f.error("manifest path \"" + rel + "\" leaves the scenario's folder");
  }
  std::error_code ec;
  if (fs::is_directory(full, ec)) {
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(full, ec)) {
      auto ext = e.path().extension();
      if (e.is_regular_file() && (ext == ".yaml" || ext == ".yml")) files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) f.error("folder \"" + rel + "\" holds no .yaml or .yml files");
    return files;
  }
  if (!fs::exists(full, ec)) f.error("manifest file \"" + rel + "\" does not exist");
  return {full.string()};
}

void parse_scenario_doc(const Field& doc, Scenario& sc, const fs::path& base_dir,
                        Diagnostics& diags) {
  doc.check_keys({"apiVersion", "kind", "metadata", "seed", "duration", "warmup", "cluster", "cni",
                  "kubeProxy", "profile", "overrides", "manifests", "objects", "generate",
                  "traffic", "events", "measure"});
  Field api = doc.require("apiVersion");
  if (api.str() != "knetsim/v1") {
    api.error("expected apiVersion knetsim/v1 for kind Scenario, got " + api.describe());
  }
  Field meta = doc["metadata"];
  meta.check_keys({"name", "description"});
  sc.name = meta["name"].str_or(fs::path(sc.file).stem().string());
  sc.description = meta["description"].str_or("");
  sc.seed = static_cast<uint64_t>(doc["seed"].integer_or(1, 0, INT64_MAX));
  if (doc["duration"].defined()) {
    sc.duration_ns = field_duration_ns(doc["duration"]);
    if (sc.duration_ns <= 0) doc["duration"].error("duration must be positive");
  }
  if (doc["warmup"].defined()) sc.warmup_ns = field_duration_ns(doc["warmup"]);
  parse_cluster_section(doc["cluster"], sc.cluster);
  parse_cni_section(doc["cni"], sc.cni);
  parse_kube_proxy_section(doc["kubeProxy"], sc.kube_proxy);
  sc.profile = doc["profile"].str_or("default");
  for (const auto& [key, value] : doc["overrides"].entries()) {
    sc.profile_overrides[key] = value.number(-1e18, 1e18);
    sc.profile_override_sources[key] = value.where();
  }
  for (const Field& m : doc["manifests"].items()) {
    for (auto& file : resolve_include(m, base_dir)) {
      sc.manifest_files.push_back(file);
      load_manifest_file(file, sc.objects, diags);
    }
  }
  for (const Field& o : doc["objects"].items()) parse_manifest_object(o, sc.objects);
  parse_generate_section(doc["generate"], sc.generate);
  sc.traffic = parse_traffic_section(doc["traffic"]);
  sc.events = parse_events_section(doc["events"]);
  for (const Field& m : doc["measure"].items()) {
    sc.measure.push_back(m.one_of({"latency", "throughput", "errors", "cpu", "rules", "syncs",
                                   "conntrack", "endpoints"}));
  }
}

Scenario load_documents(const std::vector<YAML::Node>& docs, const std::string& name,
                        const fs::path& base_dir, Diagnostics& diags) {
  Scenario sc;
  sc.file = name;
  auto file = std::make_shared<const std::string>(name);
  for (const auto& d : docs) Field(d, "", file, &diags).check_no_duplicate_keys();
  size_t first = 0;
  while (first < docs.size() && (!docs[first].IsDefined() || docs[first].IsNull())) ++first;
  if (first == docs.size()) fail(SourceRef{name, 0, 0}, "", "the file holds no YAML documents");
  size_t start = first;
  if (is_scenario_doc(docs[first])) {
    parse_scenario_doc(Field(docs[first], "", file, &diags), sc, base_dir, diags);
    start = first + 1;
  } else {
    sc.plain_manifests = true;
    sc.name = fs::path(name).stem().string();
  }
  for (size_t i = start; i < docs.size(); ++i) {
    if (!docs[i].IsDefined() || docs[i].IsNull()) continue;
    parse_manifest_object(Field(docs[i], "", file, &diags), sc.objects);
  }
  return sc;
}

}  // namespace

Scenario load_scenario(const std::string& path, Diagnostics& diags) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) fail(SourceRef{path, 0, 0}, "", "is a folder, not a YAML file");
  auto docs = load_yaml_documents(path);
  fs::path base = fs::path(path).parent_path();
  if (base.empty()) base = ".";
  return load_documents(docs, path, base, diags);
}

Scenario load_scenario_text(const std::string& text, const std::string& name,
                            const std::string& base_dir, Diagnostics& diags) {
  return load_documents(load_yaml_documents_from_string(text, name), name, base_dir, diags);
}

}  // namespace knetsim::core
