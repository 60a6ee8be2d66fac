#include "tests/support/test_support.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <grp.h>
#include <pwd.h>

namespace policy::testing {

namespace {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const SpawnOptions& options) {
  static std::atomic<int> counter{0};
  dir_ = make_temp_dir("cmd-" + std::to_string(counter++));
  if (options.uid) chown(dir_.c_str(), *options.uid, options.gid.value_or(-1));
  const std::string out_path = (dir_ / "stdout").string();
  const std::string err_path = (dir_ / "stderr").string();
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  started_ = now_seconds();
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("cannot fork for " + argv[0]);
  if (pid_ == 0) {
    // The child: only async-signal-safe calls until exec.
    const int in = open("/dev/null", O_RDONLY);
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0) _exit(127);
    dup2(in, STDIN_FILENO);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    if (options.gid && (setgroups(0, nullptr) != 0 || setgid(*options.gid) != 0)) _exit(126);
    if (options.uid && setuid(*options.uid) != 0) _exit(126);
    execvp(args[0], args.data());
    _exit(127);
  }
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void ChildProcess::send_signal(int signal) const {
  if (pid_ > 0) kill(pid_, signal);
}

CommandResult ChildProcess::wait() {
  int status = 0;
  struct rusage usage {};
  wait4(pid_, &status, 0, &usage);
  pid_ = -1;
  CommandResult result;
  result.seconds = now_seconds() - started_;
  result.max_rss_kb = usage.ru_maxrss;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_file(dir_ / "stdout");
  result.err = read_file(dir_ / "stderr");
  return result;
}

CommandResult run_command(const std::vector<std::string>& argv, const SpawnOptions& options) {
  return ChildProcess(argv, options).wait();
}

uid_t nobody_uid() {
  const passwd* entry = getpwnam("nobody");
  return entry ? entry->pw_uid : 65534;
}

gid_t nobody_gid() {
  const passwd* entry = getpwnam("nobody");
  return entry ? entry->pw_gid : 65534;
}

std::filesystem::path make_temp_dir(const std::string& name) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("policy-test-" + std::to_string(getpid()) + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

void write_file(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::filesystem::path source_path(const std::string& relative) {
  return std::filesystem::path(POLICY_SOURCE_DIR) / relative;
}

std::vector<std::string> split_tsv_line(const std::string& line) {
  std::vector<std::string> fields(1);
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '\t') {
      fields.emplace_back();
    } else if (c == '\\' && i + 1 < line.size()) {
      const char next = line[++i];
      fields.back() += next == 't' ? '\t' : next == 'n' ? '\n' : next;
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

}  // namespace policy::testing
