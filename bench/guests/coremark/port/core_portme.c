/* The shared part of the bare-metal port: seeds, timing and the C library
 * pieces CoreMark and the compiler need. */
#include "coremark.h"
#include "platform.h"

#if VALIDATION_RUN
volatile ee_s32 seed1_volatile = 0x3415;
volatile ee_s32 seed2_volatile = 0x3415;
volatile ee_s32 seed3_volatile = 0x66;
#endif
#if PERFORMANCE_RUN
volatile ee_s32 seed1_volatile = 0x0;
volatile ee_s32 seed2_volatile = 0x0;
volatile ee_s32 seed3_volatile = 0x66;
#endif
#if PROFILE_RUN
volatile ee_s32 seed1_volatile = 0x8;
volatile ee_s32 seed2_volatile = 0x8;
volatile ee_s32 seed3_volatile = 0x8;
#endif
/* 0 iterations: CoreMark picks a count that runs about 10 s. */
#ifndef ITERATIONS
#define ITERATIONS 0
#endif
volatile ee_s32 seed4_volatile = ITERATIONS;
/* 0: every algorithm. */
volatile ee_s32 seed5_volatile = 0;

ee_u32 default_num_contexts = 1;

static CORE_TICKS start_ticks, stop_ticks;

void start_time(void) { start_ticks = platform_ticks(); }

void stop_time(void) { stop_ticks = platform_ticks(); }

CORE_TICKS get_time(void) { return stop_ticks - start_ticks; }

secs_ret time_in_secs(CORE_TICKS ticks) { return (secs_ret)ticks / (secs_ret)platform_tick_hz(); }

void portable_init(core_portable *p, int *argc, char *argv[]) {
  (void)argc;
  (void)argv;
  if (sizeof(ee_ptr_int) != sizeof(ee_u8 *)) ee_printf("ERROR! ee_ptr_int cannot hold a pointer\n");
  if (sizeof(ee_u32) != 4) ee_printf("ERROR! ee_u32 is not 32 bits\n");
  p->portable_id = 1;
}

/* Names the counter's rate, so a reader can turn ticks into time. */
void portable_fini(core_portable *p) {
  p->portable_id = 0;
  ee_printf("Counter frequency: %lu Hz\n", platform_tick_hz());
}

/* The compiler may call these for copies and clears even when freestanding;
 * it must not turn their own loops back into calls to themselves. */
#define NO_LOOP_PATTERNS __attribute__((optimize("no-tree-loop-distribute-patterns")))

NO_LOOP_PATTERNS void *memset(void *dst, int c, unsigned long n) {
  unsigned char *d = dst;
  while (n--) *d++ = (unsigned char)c;
  return dst;
}

NO_LOOP_PATTERNS void *memcpy(void *dst, const void *src, unsigned long n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  while (n--) *d++ = *s++;
  return dst;
}

NO_LOOP_PATTERNS unsigned long strlen(const char *s) {
  unsigned long n = 0;
  while (s[n]) n++;
  return n;
}
