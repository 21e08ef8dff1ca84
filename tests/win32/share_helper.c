// SPDX-License-Identifier: Apache-2.0
/*
 * The second process of the share-mode suite:
 *   share_helper hold PATH ACCESS SHARE   open, print "ok\n" (or "err N\n"), hold the handle until
 *                                         stdin reaches EOF (or the process is killed), close
 *   share_helper try PATH ACCESS SHARE    open, print "ok\n" or "err N\n", close, exit
 *   share_helper delete PATH              DeleteFileA... via DeleteFileW, print "ok\n" / "err N\n"
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
    fprintf(stderr, "usage: %s hold|try PATH ACCESS SHARE | delete PATH\n", argv[0]);
    return 2;
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
