// Atomic results folders (see run_folder.h).
#include "sim/core/run_folder.h"

#include <fcntl.h>
#include <fmt/core.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "sim/core/sha256.h"

namespace knetsim::core {

namespace fs = std::filesystem;

namespace {

std::string read_all(const std::string& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  ok = static_cast<bool>(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void fsync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// Whether `pid` exists and is not a zombie (a killed run its parent has not reaped yet).
bool process_alive(pid_t pid) {
  if (::kill(pid, 0) != 0 && errno != EPERM) return false;
  bool ok = false;
  std::string stat = read_all("/proc/" + std::to_string(pid) + "/stat", ok);
  auto paren = stat.rfind(')');
  if (ok && paren != std::string::npos && paren + 2 < stat.size()) {
    return stat[paren + 2] != 'Z' && stat[paren + 2] != 'X';
  }
  return true;
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view bytes) {
  fs::path p(path);
  std::string tmp =
      (p.parent_path() / ("." + p.filename().string() + ".tmp-" + std::to_string(::getpid())))
          .string();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    throw std::runtime_error(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + off, bytes.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      throw std::runtime_error(fmt::format("cannot write {}: {}", path, std::strerror(err)));
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw std::runtime_error(fmt::format("cannot write {}: {}", path, std::strerror(err)));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw std::runtime_error(fmt::format("cannot write {}: {}", path, std::strerror(err)));
  }
}

RunFolderWriter::RunFolderWriter(std::string dir) : dir_(std::move(dir)) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot create {}: {}", dir_, ec.message()));
  write_file_atomically(dir_ + "/" + kInProgressMarker,
                        fmt::format("pid {}\nThis knetsim run has not finished writing its "
                                    "results; if no knetsim process is running, it was killed "
                                    "or crashed and these results are incomplete.\n",
                                    ::getpid()));
  fs::remove(dir_ + "/" + kManifestFile, ec);
  fsync_dir(dir_);
}

void RunFolderWriter::write(const std::string& name, std::string_view bytes) {
  write_file_atomically(dir_ + "/" + name, bytes);
  for (auto& e : files_) {
    if (e.name == name) {
      e = {name, bytes.size(), sha256_hex(bytes)};
      return;
    }
  }
  files_.push_back({name, bytes.size(), sha256_hex(bytes)});
}

void RunFolderWriter::finish() {
  nlohmann::ordered_json j;
  j["schema"] = kManifestSchema;
  auto& files = j["files"] = nlohmann::ordered_json::array();
  for (const auto& e : files_) {
    files.push_back({{"name", e.name}, {"bytes", e.bytes}, {"sha256", e.sha256}});
  }
  fsync_dir(dir_);  // the renamed results are durable before the manifest vouches for them
  write_file_atomically(dir_ + "/" + kManifestFile, j.dump(2) + "\n");
  if (::unlink((dir_ + "/" + kInProgressMarker).c_str()) != 0 && errno != ENOENT) {
    throw std::runtime_error(
        fmt::format("cannot remove {}/{}: {}", dir_, kInProgressMarker, std::strerror(errno)));
  }
  fsync_dir(dir_);
}

RunFolderCheck check_run_folder(const std::string& dir) {
  RunFolderCheck c;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    c.detail = "no such folder";
    return c;
  }
  std::string marker = dir + "/" + kInProgressMarker;
  if (fs::exists(marker, ec)) {
    c.state = RunFolderState::InProgress;
    bool ok = false;
    std::string text = read_all(marker, ok);
    long pid = 0;
    if (std::sscanf(text.c_str(), "pid %ld", &pid) == 1 && pid > 0) {
      c.writer_alive = process_alive(static_cast<pid_t>(pid));
      c.detail = fmt::format("{} holds the marker of process {}{}", kInProgressMarker, pid,
                             c.writer_alive ? ", which is still running" : ", which is gone");
    } else {
      c.detail = fmt::format("{} is present", kInProgressMarker);
    }
    return c;
  }
  std::string manifest = dir + "/" + kManifestFile;
  if (!fs::exists(manifest, ec)) {
    c.state = fs::exists(dir + "/summary.json", ec) ? RunFolderState::NoManifest
                                                    : RunFolderState::NotAFolder;
    c.detail = fmt::format("no {}", kManifestFile);
    return c;
  }
  c.state = RunFolderState::Mismatch;
  bool ok = false;
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(read_all(manifest, ok));
  } catch (const std::exception& e) {
    c.detail = fmt::format("{} is not valid JSON ({})", kManifestFile, e.what());
    return c;
  }
  if (!j.is_object() || j.value("schema", "") != kManifestSchema || !j.contains("files") ||
      !j["files"].is_array()) {
    c.detail = fmt::format("{} is not a {} manifest", kManifestFile, kManifestSchema);
    return c;
  }
  for (const auto& f : j["files"]) {
    if (!f.is_object() || !f.contains("name") || !f["name"].is_string() || !f.contains("bytes") ||
        !f["bytes"].is_number_unsigned() || !f.contains("sha256") || !f["sha256"].is_string()) {
      c.detail = fmt::format("{} has a malformed entry", kManifestFile);
      return c;
    }
    std::string name = f["name"].get<std::string>();
    if (name.find('/') != std::string::npos || name == ".." || name.empty()) {
      c.detail = fmt::format("{} names a file outside the folder: {}", kManifestFile, name);
      return c;
    }
    bool found = false;
    std::string bytes = read_all(dir + "/" + name, found);
    if (!found) {
      c.detail = fmt::format("{} is missing", name);
      return c;
    }
    if (bytes.size() != f["bytes"].get<size_t>()) {
      c.detail = fmt::format("{} has {} bytes, the manifest says {}", name, bytes.size(),
                             f["bytes"].get<size_t>());
      return c;
    }
    if (sha256_hex(bytes) != f["sha256"].get<std::string>()) {
      c.detail = fmt::format("{} differs from the manifest (sha256)", name);
      return c;
    }
  }
  c.state = RunFolderState::Complete;
  c.detail.clear();
  return c;
}

std::string RunFolderCheck::message(const std::string& dir) const {
  switch (state) {
    case RunFolderState::Complete:
      return fmt::format("{}: complete", dir);
    case RunFolderState::NotAFolder:
      return fmt::format("{} is not a knetsim results folder ({})", dir, detail);
    case RunFolderState::InProgress:
      if (writer_alive) {
        return fmt::format("{}: this run has not finished yet ({}); results are incomplete", dir,
                           detail);
      }
      return fmt::format(
          "{}: this run did not finish (killed or crashed); results are "
          "incomplete ({})",
          dir, detail);
    case RunFolderState::NoManifest:
      return fmt::format(
          "{}: this run did not finish (killed or crashed); results are "
          "incomplete ({}; folders from knetsim builds before the manifest have "
          "none either: run again)",
          dir, detail);
    case RunFolderState::Mismatch:
      return fmt::format(
          "{}: this run did not finish (killed or crashed) or was changed "
          "since; results are incomplete ({})",
          dir, detail);
  }
  return dir;
}

std::vector<std::pair<std::string, size_t>> manifest_files(const std::string& dir) {
  std::vector<std::pair<std::string, size_t>> out;
  bool ok = false;
  std::string text = read_all(dir + "/" + kManifestFile, ok);
  if (!ok) return out;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("files") || !j["files"].is_array()) return out;
  for (const auto& f : j["files"]) {
    if (f.is_object() && f.value("name", "").size() > 0 && f.contains("bytes") &&
        f["bytes"].is_number_unsigned()) {
      out.emplace_back(f["name"].get<std::string>(), f["bytes"].get<size_t>());
    }
  }
  return out;
}

}  // namespace knetsim::core
