/* The work of the MIPS benchmark guests (bench/guests/mips.c for riscv64,
 * bench/guests/aarch64/mips.c), the same on every architecture: ROUNDS rounds
 * of integer work (LCG fill + shell sort, a sieve, a bitwise CRC-32, an
 * integer matrix multiply) spread over NCPUS CPUs. Round r runs on CPU
 * r % NCPUS; results are combined with commutative atomics, so the printed
 * totals are the same for any NCPUS. The last CPU to finish prints and powers
 * off; the others wait in wfi, so no CPU spins. The includer provides lib.h
 * and CPU_WORD, what the totals line calls a CPU ("harts", "cpus"). */
#ifndef BENCH_MIPS_WORK_H
#define BENCH_MIPS_WORK_H

#ifndef NCPUS
#define NCPUS 1
#endif
#ifndef ROUNDS
#define ROUNDS 64
#endif

#define SORT_N 2048
#define SIEVE_N 32768
#define CRC_BYTES 4096
#define MAT_N 24

struct cpu_data {
  uint32_t sort[SORT_N];
  uint8_t sieve[SIEVE_N];
  uint8_t buf[CRC_BYTES];
  int32_t a[MAT_N][MAT_N], b[MAT_N][MAT_N], c[MAT_N][MAT_N];
};
static struct cpu_data data[NCPUS];

static volatile uint64_t total_sum;
static volatile uint64_t total_xor;
static volatile uint32_t finished;

static uint64_t sort_round(struct cpu_data *d, uint32_t seed) {
  for (unsigned i = 0; i < SORT_N; i++) d->sort[i] = lcg_next(&seed);
  /* Shell sort with Ciura's gaps. */
  static const unsigned gaps[] = {701, 301, 132, 57, 23, 10, 4, 1};
  for (unsigned g = 0; g < sizeof gaps / sizeof gaps[0]; g++) {
    unsigned gap = gaps[g];
    for (unsigned i = gap; i < SORT_N; i++) {
      uint32_t v = d->sort[i];
      unsigned j = i;
      while (j >= gap && d->sort[j - gap] > v) {
        d->sort[j] = d->sort[j - gap];
        j -= gap;
      }
      d->sort[j] = v;
    }
  }
  uint64_t h = 0;
  for (unsigned i = 0; i < SORT_N; i += 64) h = h * 31 + d->sort[i];
  return h;
}

static uint64_t sieve_round(struct cpu_data *d, uint32_t seed) {
  unsigned limit = SIEVE_N - (seed & 1023);
  memset(d->sieve, 1, limit);
  d->sieve[0] = d->sieve[1] = 0;
  for (unsigned i = 2; i * i < limit; i++)
    if (d->sieve[i])
      for (unsigned j = i * i; j < limit; j += i) d->sieve[j] = 0;
  uint64_t count = 0, last = 0;
  for (unsigned i = 0; i < limit; i++)
    if (d->sieve[i]) {
      count++;
      last = i;
    }
  return count << 32 | last;
}

static uint64_t crc_round(struct cpu_data *d, uint32_t seed) {
  for (unsigned i = 0; i < CRC_BYTES; i++) d->buf[i] = (uint8_t)(lcg_next(&seed) >> 24);
  uint32_t crc = 0xffffffffu;
  for (unsigned i = 0; i < CRC_BYTES; i++) {
    crc ^= d->buf[i];
    for (unsigned k = 0; k < 8; k++) {
      if (crc & 1)
        crc = (crc >> 1) ^ 0xedb88320u;
      else
        crc >>= 1;
    }
  }
  return ~crc;
}

static uint64_t matrix_round(struct cpu_data *d, uint32_t seed) {
  for (unsigned i = 0; i < MAT_N; i++)
    for (unsigned j = 0; j < MAT_N; j++) {
      d->a[i][j] = (int32_t)(lcg_next(&seed) >> 20) - 2048;
      d->b[i][j] = (int32_t)(lcg_next(&seed) >> 20) - 2048;
    }
  for (unsigned i = 0; i < MAT_N; i++)
    for (unsigned j = 0; j < MAT_N; j++) {
      int32_t s = 0;
      for (unsigned k = 0; k < MAT_N; k++) s += d->a[i][k] * d->b[k][j];
      d->c[i][j] = s;
    }
  uint64_t h = 0;
  for (unsigned i = 0; i < MAT_N; i++) h = h * 1000003 + (uint32_t)d->c[i][(i * 7) % MAT_N];
  return h;
}

static void run(unsigned long cpu) {
  struct cpu_data *d = &data[cpu];
  uint64_t sum = 0, x = 0;
  for (unsigned r = (unsigned)cpu; r < ROUNDS; r += NCPUS) {
    uint32_t seed = r * 2654435761u + 1;
    uint64_t v = sort_round(d, seed) ^ (sieve_round(d, seed) * 3) ^ (crc_round(d, seed) << 7) ^ matrix_round(d, seed);
    sum += v;
    x ^= v * (r + 1);
  }
  __atomic_fetch_add(&total_sum, sum, __ATOMIC_SEQ_CST);
  __atomic_fetch_xor(&total_xor, x, __ATOMIC_SEQ_CST);
  if (__atomic_fetch_add(&finished, 1, __ATOMIC_SEQ_CST) == NCPUS - 1) {
    kprintf("mips: %u rounds on %u " CPU_WORD ": sum %016lx xor %016lx\n", ROUNDS, NCPUS, total_sum, total_xor);
    poweroff();
  }
  for (;;) __asm__ volatile("wfi");
}

#endif
