// The log, file and command sinks against the real stderr stream, files and
// processes.
#include "alerts/sink.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace daybook {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class SinkTest : public ::testing::Test {
 protected:
  SinkTest() {
    std::string tmpl = (fs::temp_directory_path() / "daybook-sinks-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    alert_.alert_id = "00000000000000aa";
    alert_.kind = "raised";
    alert_.severity = "error";
    alert_.check = "volume";
    alert_.model = "order_events";
    alert_.message = "loaded 0 rows from source 'landing'; expected at least 1000";
    alert_.run_id = 7;
  }
  ~SinkTest() override { fs::remove_all(dir_); }

  static std::string Slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  SinkConfig Command(std::vector<std::string> argv, int64_t timeout_micros = 10000000) {
    SinkConfig c;
    c.type = SinkType::kCommand;
    c.name = "command:" + argv[0];
    c.argv = std::move(argv);
    c.timeout_micros = timeout_micros;
    return c;
  }

  std::string dir_;
  Alert alert_;
};

TEST_F(SinkTest, LogWritesOneJsonLinePerNotice) {
  std::ostringstream log;
  SinkEnv env;
  env.log_stream = &log;
  SinkConfig c;
  c.name = "log";
  auto sink = MakeSink(c, env);
  Delivery d = sink->Send(alert_, AlertJson(alert_));
  EXPECT_TRUE(d.ok);
  EXPECT_EQ(d.sink, "log");
  EXPECT_EQ(d.attempts, 1);
  sink->Send(alert_, "{\"second\":1}");
  EXPECT_EQ(log.str(), AlertJson(alert_) + "\n{\"second\":1}\n");
}

TEST_F(SinkTest, FileAppendsJsonLines) {
  SinkConfig c;
  c.type = SinkType::kFile;
  c.name = "file:alerts.jsonl";
  c.path = dir_ + "/alerts.jsonl";
  std::ofstream(c.path) << "{\"earlier\":true}\n";
  auto sink = MakeSink(c);
  Delivery d1 = sink->Send(alert_, AlertJson(alert_));
  Alert resolved = alert_;
  resolved.kind = "resolved";
  Delivery d2 = sink->Send(resolved, AlertJson(resolved));
  EXPECT_TRUE(d1.ok) << d1.error;
  EXPECT_TRUE(d2.ok) << d2.error;
  EXPECT_EQ(Slurp(c.path), "{\"earlier\":true}\n" + AlertJson(alert_) + "\n" + AlertJson(resolved) + "\n");
}

TEST_F(SinkTest, FileInAMissingFolderIsARecordedFailure) {
  SinkConfig c;
  c.type = SinkType::kFile;
  c.name = "file:nope/alerts.jsonl";
  c.path = dir_ + "/nope/alerts.jsonl";
  Delivery d = MakeSink(c)->Send(alert_, AlertJson(alert_));
  EXPECT_FALSE(d.ok);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.error, "cannot open '" + c.path + "': No such file or directory");
  EXPECT_FALSE(fs::exists(dir_ + "/nope"));
}

TEST_F(SinkTest, CommandGetsTheJsonOnStdin) {
  std::string out = dir_ + "/stdin.txt";
  // argv form: the shell is the program, not an interpreter of our string.
  auto sink = MakeSink(Command({"/bin/sh", "-c", "cat > \"$0\"", out}));
  Delivery d = sink->Send(alert_, AlertJson(alert_));
  EXPECT_TRUE(d.ok) << d.error;
  EXPECT_EQ(d.sink, "command:/bin/sh");
  EXPECT_EQ(Slurp(out), AlertJson(alert_) + "\n");
}

TEST_F(SinkTest, CommandIsSearchedInPathAndArgumentsAreNotShellExpanded) {
  std::string out = dir_ + "/args.txt";
  auto sink = MakeSink(Command({"sh", "-c", "printf '%s' \"$1\" > \"$0\"", out, "$HOME; rm -rf /"}));
  Delivery d = sink->Send(alert_, AlertJson(alert_));
  EXPECT_TRUE(d.ok) << d.error;
  EXPECT_EQ(Slurp(out), "$HOME; rm -rf /");
}

TEST_F(SinkTest, CommandFailingIsRecordedWithItsOutput) {
  auto sink = MakeSink(Command({"/bin/sh", "-c", "cat >/dev/null; echo 'relay refused' >&2; exit 3"}));
  Delivery d = sink->Send(alert_, AlertJson(alert_));
  EXPECT_FALSE(d.ok);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.error, "exited with status 3: relay refused");
}

TEST_F(SinkTest, CommandThatCannotStartIsRecorded) {
  Delivery d = MakeSink(Command({dir_ + "/no-such-program"}))->Send(alert_, AlertJson(alert_));
  EXPECT_FALSE(d.ok);
  EXPECT_EQ(d.error, "cannot run '" + dir_ + "/no-such-program': No such file or directory");
}

TEST_F(SinkTest, CommandThatIgnoresItsInputAndSucceedsIsOk) {
  Delivery d = MakeSink(Command({"/bin/true"}))->Send(alert_, std::string(200000, 'x'));
  EXPECT_TRUE(d.ok) << d.error;
}

TEST_F(SinkTest, CommandPastItsTimeoutIsKilledWithItsChildren) {
  std::string marker = dir_ + "/survivor";
  // The grandchild would write the marker after 1 s unless the group is killed.
  auto sink = MakeSink(Command({"/bin/sh", "-c", "(sleep 1; touch \"$0\") & sleep 30", marker}, 300000));
  auto t0 = std::chrono::steady_clock::now();
  Delivery d = sink->Send(alert_, AlertJson(alert_));
  auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_FALSE(d.ok);
  EXPECT_EQ(d.error, "timed out after 300ms (killed)");
  EXPECT_GE(elapsed, std::chrono::milliseconds(290));
  EXPECT_LT(elapsed, std::chrono::milliseconds(1000));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_FALSE(fs::exists(marker));
}

TEST_F(SinkTest, CommandLeavesNoDescriptorsOpen) {
  auto count = [] { return std::distance(fs::directory_iterator("/proc/self/fd"), fs::directory_iterator()); };
  auto before = count();
  for (auto argv : std::vector<std::vector<std::string>>{
           {"/bin/cat"}, {"/bin/false"}, {dir_ + "/missing"}, {"/bin/sh", "-c", "sleep 5"}}) {
    MakeSink(Command(argv, 100000))->Send(alert_, AlertJson(alert_));
  }
  EXPECT_EQ(count(), before);
}

TEST_F(SinkTest, CommandKilledBySignalIsAFailure) {
  Delivery d = MakeSink(Command({"/bin/sh", "-c", "kill -TERM $$"}))->Send(alert_, AlertJson(alert_));
  EXPECT_FALSE(d.ok);
  EXPECT_THAT(d.error, StartsWith("killed by signal Terminated"));
}

}  // namespace
}  // namespace daybook
