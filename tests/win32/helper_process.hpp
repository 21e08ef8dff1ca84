// SPDX-License-Identifier: Apache-2.0
// The second process of the share-mode and lock suites: fork + exec of share_helper.c.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include <doctest/doctest.h>

namespace w32_test {

// A helper process (share_helper.c: hold/try PATH ACCESS SHARE, lock PATH OFFSET LENGTH) that
// opens the file, reports its first result as a line, and may hold the file until finish()/kill9().
struct Helper {
  pid_t pid = -1;
  FILE* out = nullptr;
  int in_fd = -1;  // its stdin: closing it makes a "hold" helper close its handle and exit

  Helper(const char* mode, const std::string& path, uint64_t arg1, uint64_t arg2) {
    int to_child[2], from_child[2];
    REQUIRE(pipe2(to_child, O_CLOEXEC) == 0);
    REQUIRE(pipe2(from_child, O_CLOEXEC) == 0);
    const std::string a = std::to_string(arg1), s = std::to_string(arg2);
    pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      dup2(to_child[0], 0);
      dup2(from_child[1], 1);
      execl(SGIO_SHARE_HELPER, SGIO_SHARE_HELPER, mode, path.c_str(), a.c_str(), s.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    close(to_child[0]);
    close(from_child[1]);
    in_fd = to_child[1];
    out = fdopen(from_child[0], "r");
    REQUIRE(out != nullptr);
  }
  // Its first line: "ok" or "err N".
  std::string line() {
    char buf[64] = {};
    if (!fgets(buf, sizeof buf, out)) return "eof";
    std::string l(buf);
    if (!l.empty() && l.back() == '\n') l.pop_back();
    return l;
  }
  int finish() {
    if (in_fd >= 0) close(in_fd);
    in_fd = -1;
    int status = 0;
    waitpid(pid, &status, 0);
    pid = -1;
    return status;
  }
  void kill9() {
    REQUIRE(::kill(pid, SIGKILL) == 0);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status));
    pid = -1;
  }
  ~Helper() {
    if (pid > 0) finish();
    if (in_fd >= 0) close(in_fd);
    if (out) fclose(out);
  }
};

}  // namespace w32_test
