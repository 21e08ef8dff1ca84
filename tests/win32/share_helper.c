// SPDX-License-Identifier: Apache-2.0
/*
 * The second process of the share-mode suite:
 *   share_helper hold PATH ACCESS SHARE   open, print "ok\n" (or "err N\n"), hold the handle until
 *                                         stdin reaches EOF (or the process is killed), close
 *   share_helper try PATH ACCESS SHARE    open, print "ok\n" or "err N\n", close, exit
 *   share_helper delete PATH              DeleteFileW, print "ok\n" / "err N\n"
 *   share_helper lock PATH OFFSET LENGTH  open (read/write, all shared), LockFileEx exclusive with
 *                                         LOCKFILE_FAIL_IMMEDIATELY, print "ok\n" / "err N\n",
 *                                         hold the lock until stdin reaches EOF
 * ACCESS and SHARE are numbers (strtoul, base 0).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sgio/sgio_win32.h>

static void report(int ok) {
  if (ok) printf("ok\n");
  else printf("err %u\n", (unsigned)GetLastError());
  fflush(stdout);
}

int main(int argc, char** argv) {
  if (argc == 3 && strcmp(argv[1], "delete") == 0) {
    WCHAR w[4096];
    size_t i = 0;
    for (; argv[2][i] && i + 1 < sizeof w / sizeof w[0]; ++i) w[i] = (WCHAR)(unsigned char)argv[2][i];
    w[i] = 0;
    report(DeleteFileW(w));
    return 0;
  }
  if (argc != 5) {
    fprintf(stderr, "usage: %s hold|try PATH ACCESS SHARE | delete PATH | lock PATH OFFSET LENGTH\n", argv[0]);
    return 2;
  }
  if (strcmp(argv[1], "lock") == 0) {
    unsigned long long offset = strtoull(argv[3], NULL, 0), length = strtoull(argv[4], NULL, 0);
    HANDLE f = CreateFileA(argv[2], GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    OVERLAPPED ov;
    int ok;
    memset(&ov, 0, sizeof ov);
    ov.Offset = (DWORD)offset;
    ov.OffsetHigh = (DWORD)(offset >> 32);
    ok = f != INVALID_HANDLE_VALUE &&
         LockFileEx(f, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, (DWORD)length, (DWORD)(length >> 32), &ov);
    report(ok);
    if (ok) {
      char c;
      while (read(0, &c, 1) > 0) {
      }
    }
    if (f != INVALID_HANDLE_VALUE) CloseHandle(f);
    return 0;
  }
  DWORD access = (DWORD)strtoul(argv[3], NULL, 0);
  DWORD share = (DWORD)strtoul(argv[4], NULL, 0);
  HANDLE h = CreateFileA(argv[2], access, share, NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
  report(h != INVALID_HANDLE_VALUE);
  if (h == INVALID_HANDLE_VALUE) return 0;
  if (strcmp(argv[1], "hold") == 0) {
    char c;
    while (read(0, &c, 1) > 0) {
    }
  }
  CloseHandle(h);
  return 0;
}
