// SPDX-License-Identifier: Apache-2.0
// Which backend AUTO picks here, through the public API only. Under qemu-user (the aarch64 preset)
// io_uring_setup is not emulated (ENOSYS): AUTO must then fall back to the pool and a forced
// io_uring must fail with SGIO_ENOTSUP; the test says so in its output. Exit 0 when consistent.
#include <sgio/sgio.h>
#include <stdio.h>

int main(void) {
  sgio_queue_options o;
  if (sgio_queue_options_init(&o, SGIO_QUEUE_OPTIONS_VERSION) != SGIO_OK) return 2;
  o.backend = SGIO_BACKEND_URING;
  sgio_queue* q = NULL;
  int32_t forced = sgio_queue_create(&q, &o);
  if (forced == SGIO_OK) sgio_queue_free(q);
  else if (forced != SGIO_ENOTSUP) {
    fprintf(stderr, "forced io_uring: unexpected status %d\n", (int)forced);
    return 1;
  }
  o.backend = SGIO_BACKEND_AUTO;
  q = NULL;
  if (sgio_queue_create(&q, &o) != SGIO_OK) return 3;
  uint32_t b = 0;
  int32_t rc = sgio_queue_backend(q, &b);
  sgio_queue_free(q);
  if (rc != SGIO_OK) return 4;
  if (forced == SGIO_OK) {
    if (b != SGIO_BACKEND_URING) {
      fprintf(stderr, "io_uring works but AUTO picked backend %u\n", (unsigned)b);
      return 1;
    }
    printf("io_uring available: AUTO uses io_uring\n");
    return 0;
  }
  if (b != SGIO_BACKEND_POOL) {
    fprintf(stderr, "io_uring unavailable but AUTO picked backend %u, not the pool\n", (unsigned)b);
    return 1;
  }
  printf("io_uring is not available here (qemu-user does not emulate it; seccomp or io_uring_disabled can "
         "refuse it): AUTO uses the pool backend, "
         "so the queue/win32 suites run on the pool backend\n");
  return 0;
}
