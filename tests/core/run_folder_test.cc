// Results folders: written whole or reported unfinished. The marker exists until finish(), the
// manifest records sizes and sha256, and every way a run can be cut short (marker left, no
// manifest, a truncated or missing file) is reported as incomplete with what is wrong.
#include "sim/core/run_folder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/core/sha256.h"

namespace knetsim::core {
namespace {

namespace fs = std::filesystem;

class RunFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() /
            ("knetsim-run-folder-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string read(const std::string& name) {
    std::ifstream in(dir_ + "/" + name, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::string dir_;
};

TEST(Sha256, MatchesTheFipsExamples) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(RunFolderTest, MarkerUntilFinishThenAManifestWithSizesAndHashes) {
  RunFolderWriter out(dir_);
  EXPECT_TRUE(fs::exists(dir_ + "/" + kInProgressMarker));
  out.write("summary.json", "{}\n");
  out.write("timeseries.csv", "second\n0\n");
  auto during = check_run_folder(dir_);
  EXPECT_EQ(during.state, RunFolderState::InProgress);
  EXPECT_TRUE(during.writer_alive);  // this process
  out.finish();
  EXPECT_FALSE(fs::exists(dir_ + "/" + kInProgressMarker));
  EXPECT_EQ(check_run_folder(dir_).state, RunFolderState::Complete);
  EXPECT_EQ(read(kManifestFile),
            "{\n  \"schema\": \"knetsim.manifest/v1\",\n  \"files\": [\n    {\n"
            "      \"name\": \"summary.json\",\n      \"bytes\": 3,\n      \"sha256\": \"" +
                sha256_hex("{}\n") +
                "\"\n    },\n    {\n      \"name\": \"timeseries.csv\",\n      \"bytes\": 9,\n"
                "      \"sha256\": \"" +
                sha256_hex("second\n0\n") + "\"\n    }\n  ]\n}\n");
  // No temporary file is left behind.
  for (const auto& e : fs::directory_iterator(dir_)) {
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
  }
}

TEST_F(RunFolderTest, AMarkerFromAProcessThatIsGoneSaysKilledOrCrashed) {
  fs::create_directories(dir_);
  std::ofstream(dir_ + "/summary.json") << "{}\n";
  std::ofstream(dir_ + "/" + kInProgressMarker) << "pid 999999999\n";
  auto c = check_run_folder(dir_);
  EXPECT_EQ(c.state, RunFolderState::InProgress);
  EXPECT_FALSE(c.writer_alive);
  EXPECT_NE(c.message(dir_).find("this run did not finish (killed or crashed); results are "
                                 "incomplete"),
            std::string::npos)
      << c.message(dir_);
}

TEST_F(RunFolderTest, ResultsWithoutAManifestAreIncomplete) {
  fs::create_directories(dir_);
  std::ofstream(dir_ + "/summary.json") << "{}\n";
  auto c = check_run_folder(dir_);
  EXPECT_EQ(c.state, RunFolderState::NoManifest);
  EXPECT_NE(c.message(dir_).find("did not finish"), std::string::npos);
  EXPECT_EQ(check_run_folder(dir_ + "/nothing-here").state, RunFolderState::NotAFolder);
}

TEST_F(RunFolderTest, ATruncatedOrMissingFileIsAMismatchNamingIt) {
  {
    RunFolderWriter out(dir_);
    out.write("summary.json", "{\"a\": 1}\n");
    out.write("cpu.csv", "x\n");
    out.finish();
  }
  fs::resize_file(dir_ + "/summary.json", 4);
  auto c = check_run_folder(dir_);
  EXPECT_EQ(c.state, RunFolderState::Mismatch);
  EXPECT_NE(c.detail.find("summary.json has 4 bytes, the manifest says 9"), std::string::npos)
      << c.detail;
  std::ofstream(dir_ + "/summary.json", std::ios::trunc) << "{\"a\": 2}\n";  // same size
  EXPECT_NE(check_run_folder(dir_).detail.find("differs from the manifest"), std::string::npos);
  std::ofstream(dir_ + "/summary.json", std::ios::trunc) << "{\"a\": 1}\n";
  EXPECT_TRUE(check_run_folder(dir_).complete());
  fs::remove(dir_ + "/cpu.csv");
  EXPECT_EQ(check_run_folder(dir_).detail, "cpu.csv is missing");
}

TEST_F(RunFolderTest, ANewRunInAFinishedFolderIsUnfinishedUntilItsOwnManifest) {
  {
    RunFolderWriter out(dir_);
    out.write("summary.json", "old\n");
    out.finish();
  }
  RunFolderWriter again(dir_);
  EXPECT_FALSE(fs::exists(dir_ + "/" + kManifestFile));  // the old manifest cannot vouch
  EXPECT_EQ(check_run_folder(dir_).state, RunFolderState::InProgress);
  again.write("summary.json", "new\n");
  again.finish();
  EXPECT_TRUE(check_run_folder(dir_).complete());
  EXPECT_EQ(read("summary.json"), "new\n");
}

TEST_F(RunFolderTest, AManifestNamingAFileOutsideTheFolderIsRefused) {
  fs::create_directories(dir_);
  std::ofstream(dir_ + "/" + kManifestFile)
      << R"({"schema": "knetsim.manifest/v1",)"
      << R"( "files": [{"name": "../x", "bytes": 0, "sha256": ""}]})";
  auto c = check_run_folder(dir_);
  EXPECT_EQ(c.state, RunFolderState::Mismatch);
  EXPECT_NE(c.detail.find("outside the folder"), std::string::npos);
}

}  // namespace
}  // namespace knetsim::core
