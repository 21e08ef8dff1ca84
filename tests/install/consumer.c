// SPDX-License-Identifier: Apache-2.0
/*
 * An sgio user built only from an installed prefix (tests/install/install_test.sh builds it twice:
 * with find_package(sgio) and with pkg-config). One gather write of three segments, one scatter
 * read into three differently sized segments, byte-for-byte comparison; prints the path of the
 * libsgio.so it runs with, so the test can check that it is the installed one.
 *
 *   consumer <scratch file>
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include <sgio/sgio.h>

static int fail(const char* what, int32_t rc) {
  fprintf(stderr, "consumer: %s: %s (%s)\n", what, sgio_error_name(rc), sgio_last_error_message());
  return 1;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: consumer <scratch file>\n");
    return 2;
  }
  Dl_info info;
  if (!dladdr((void*)&sgio_version_string, &info) || !info.dli_fname) {
    fprintf(stderr, "consumer: dladdr failed\n");
    return 1;
  }
  printf("libsgio: %s\nversion: %s\n", info.dli_fname, sgio_version_string());

  sgio_open_options opts;
  int32_t rc = sgio_open_options_init(&opts, SGIO_OPEN_OPTIONS_VERSION);
  if (rc < 0) return fail("sgio_open_options_init", rc);
  opts.flags |= SGIO_OPEN_CREATE | SGIO_OPEN_TRUNCATE;
  sgio_file* f;
  rc = sgio_file_open(&f, argv[1], &opts);
  if (rc < 0) return fail("sgio_file_open", rc);

  /* 3 + 5000 + 1 bytes gathered from three buffers; read back as 2 + 4000 + 1002. */
  static char a[3], b[5000], c[1], expect[5004], x[2], y[4000], z[1002];
  memset(a, 'a', sizeof a);
  for (size_t i = 0; i < sizeof b; i++) b[i] = (char)(i * 7 + 1);
  c[0] = 'c';
  memcpy(expect, a, sizeof a);
  memcpy(expect + sizeof a, b, sizeof b);
  memcpy(expect + sizeof a + sizeof b, c, sizeof c);
  sgio_segment w[3] = {{(uint64_t)(uintptr_t)a, sizeof a}, {(uint64_t)(uintptr_t)b, sizeof b},
                       {(uint64_t)(uintptr_t)c, sizeof c}};
  uint64_t written = 0, got = 0;
  rc = sgio_file_write_gather(f, w, 3, 0, &written);
  if (rc < 0) return fail("sgio_file_write_gather", rc);
  sgio_segment r[3] = {{(uint64_t)(uintptr_t)x, sizeof x}, {(uint64_t)(uintptr_t)y, sizeof y},
                       {(uint64_t)(uintptr_t)z, sizeof z}};
  rc = sgio_file_read_scatter(f, r, 3, 0, &got);
  if (rc < 0) return fail("sgio_file_read_scatter", rc);
  rc = sgio_file_close(f);
  if (rc < 0) return fail("sgio_file_close", rc);

  if (written != sizeof expect || got != sizeof expect) {
    fprintf(stderr, "consumer: wrote %llu, read %llu, expected %zu each\n", (unsigned long long)written,
            (unsigned long long)got, sizeof expect);
    return 1;
  }
  if (memcmp(x, expect, sizeof x) != 0 || memcmp(y, expect + sizeof x, sizeof y) != 0 ||
      memcmp(z, expect + sizeof x + sizeof y, sizeof expect - sizeof x - sizeof y) != 0) {
    fprintf(stderr, "consumer: bytes read back differ from bytes written\n");
    return 1;
  }
  printf("gather write + scatter read: %llu bytes ok\n", (unsigned long long)got);
  return 0;
}
