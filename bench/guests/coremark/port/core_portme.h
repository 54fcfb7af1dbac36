/* CoreMark's platform header for the bare-metal port: one context, data in a
 * static array, seeds from volatile variables, output through ee_printf on
 * the board's UART, time from the architecture's counter (platform.h). */
#ifndef CORE_PORTME_H
#define CORE_PORTME_H

#define HAS_FLOAT 1
#define HAS_TIME_H 0
#define USE_CLOCK 0
#define HAS_STDIO 0
#define HAS_PRINTF 0

/* Counter ticks; the counter is 64 bits wide on both architectures. */
typedef unsigned long CORE_TICKS;

#ifndef COMPILER_VERSION
#define COMPILER_VERSION "GCC" __VERSION__
#endif
#ifndef COMPILER_FLAGS
#error "build with -DCOMPILER_FLAGS=\"...\" naming the flags CoreMark was compiled with"
#endif
#define MEM_LOCATION "Static"

typedef signed short ee_s16;
typedef unsigned short ee_u16;
typedef signed int ee_s32;
typedef double ee_f32;
typedef unsigned char ee_u8;
typedef unsigned int ee_u32;
/* Wide enough for a pointer on a 64-bit target. */
typedef unsigned long ee_ptr_int;
typedef unsigned long ee_size_t;
#define NULL ((void *)0)

/* Rounds an address up to the next multiple of 4. */
#define align_mem(x) (void *)(4 + (((ee_ptr_int)(x)-1) & ~(ee_ptr_int)3))

#define SEED_METHOD SEED_VOLATILE
#define MEM_METHOD MEM_STATIC
#define MULTITHREAD 1
#define MAIN_HAS_NOARGC 1
#define MAIN_HAS_NORETURN 0

typedef struct CORE_PORTABLE_S {
  ee_u8 portable_id;
} core_portable;

extern ee_u32 default_num_contexts;

void portable_init(core_portable *p, int *argc, char *argv[]);
void portable_fini(core_portable *p);
int ee_printf(const char *fmt, ...);

#if !defined(PROFILE_RUN) && !defined(PERFORMANCE_RUN) && !defined(VALIDATION_RUN)
#define PERFORMANCE_RUN 1
#endif

#endif
