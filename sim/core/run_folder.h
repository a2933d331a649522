// A results folder that is either complete or says it is not. Every file is written under a
// temporary name in the folder and renamed into place (a reader never sees half a file); a
// `.knetsim-in-progress` marker exists from the start of the run until every file is written;
// manifest.json (schema knetsim.manifest/v1: each file's size and sha256) is written last. A run
// killed at any point therefore leaves the marker, or no manifest, or a manifest that does not
// match; check_run_folder() tells which, and `knetsim plot`/`describe`/`sweep` and the GUI refuse
// such a folder (exit 4) instead of showing partial results as if they were whole. Nothing
// written depends on the clock or the process, so the same seed still gives the same bytes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace knetsim::core {

inline constexpr const char* kInProgressMarker = ".knetsim-in-progress";
inline constexpr const char* kManifestFile = "manifest.json";
inline constexpr const char* kManifestSchema = "knetsim.manifest/v1";

// Writes one results folder. Not thread-safe. Throws std::runtime_error on I/O failure.
class RunFolderWriter {
 public:
  // Creates `dir` if needed, writes the marker (holding this process's id) and removes any
  // manifest a previous run left, so the folder reads as unfinished from here on.
  explicit RunFolderWriter(std::string dir);
  // Writes DIR/name atomically (temporary file in DIR, fsync, rename) and records it.
  void write(const std::string& name, std::string_view bytes);
  // Writes manifest.json listing every recorded file, then removes the marker.
  void finish();
  const std::string& dir() const { return dir_; }

 private:
  struct Entry {
    std::string name;
    size_t bytes = 0;
    std::string sha256;
  };
  std::string dir_;
  std::vector<Entry> files_;
};

// Writes `path` atomically: a temporary file beside it, fsync, rename. Throws
// std::runtime_error on failure (the temporary file is removed).
void write_file_atomically(const std::string& path, std::string_view bytes);

enum class RunFolderState {
  Complete,    // manifest present and every file matches it, no marker
  NotAFolder,  // missing, or holds neither a manifest, a marker nor a summary.json
  InProgress,  // the marker is there: the run was killed, crashed, or is still running
  NoManifest,  // results files without manifest.json (killed just before it, or older knetsim)
  Mismatch,    // a file is missing or differs from the manifest (truncated, edited, mixed runs)
};

struct RunFolderCheck {
  RunFolderState state = RunFolderState::NotAFolder;
  std::string detail;         // which file and how, or which process holds the marker
  bool writer_alive = false;  // InProgress: the marker's process still exists
  bool complete() const { return state == RunFolderState::Complete; }
  // One line for the user, naming the folder.
  std::string message(const std::string& dir) const;
};

RunFolderCheck check_run_folder(const std::string& dir);

// Files listed in DIR/manifest.json as (name, bytes); empty when there is none.
std::vector<std::pair<std::string, size_t>> manifest_files(const std::string& dir);

// The exit status for a folder that did not finish (plot, describe, sweep).
inline constexpr int kExitIncompleteResults = 4;

}  // namespace knetsim::core
