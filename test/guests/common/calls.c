/* Calls: recursion (fib, Ackermann, quicksort, a binary tree in a static
 * pool), function pointers, many-argument calls (stack-passed arguments),
 * structs by value, and output through fixed-arity print helpers. With
 * SWITCHES_AND_BIG_STRUCTS defined (the aarch64 build; the riscv64 output
 * predates it) also switch statements dense enough for jump tables and a
 * struct returned through memory (x8 on aarch64). */
#include "lib.h"

/* Fixed-arity output helpers, so this program also prints without varargs. */
static void put_dec(uint64_t v) {
  char b[24];
  int n = 0;
  do {
    b[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) kputc(b[--n]);
}
static void put_hex(uint64_t v, int digits) {
  for (int i = digits - 1; i >= 0; i--) kputc("0123456789abcdef"[(v >> (i * 4)) & 15]);
}
static void put_kv(const char *k, uint64_t v) {
  kputs(k);
  kputs(" = ");
  put_dec(v);
  kputc('\n');
}

static uint64_t fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static unsigned long ack_calls;
static uint64_t ack(uint64_t m, uint64_t n) {
  ack_calls++;
  if (m == 0) return n + 1;
  if (n == 0) return ack(m - 1, 1);
  return ack(m - 1, ack(m, n - 1));
}

static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

static uint64_t gcd(uint64_t a, uint64_t b) { return b == 0 ? a : gcd(b, a % b); }

/* Recursive quicksort with a comparison callback. */
typedef int (*cmp_fn)(uint32_t, uint32_t);
static int cmp_up(uint32_t a, uint32_t b) { return a < b ? -1 : a > b; }
static int cmp_down(uint32_t a, uint32_t b) { return cmp_up(b, a); }
static unsigned qs_depth, qs_max_depth;

static void quicksort(uint32_t *a, long lo, long hi, cmp_fn cmp) {
  if (lo >= hi) return;
  if (++qs_depth > qs_max_depth) qs_max_depth = qs_depth;
  uint32_t pivot = a[lo + (hi - lo) / 2];
  long i = lo, j = hi;
  while (i <= j) {
    while (cmp(a[i], pivot) < 0) i++;
    while (cmp(a[j], pivot) > 0) j--;
    if (i <= j) {
      uint32_t t = a[i];
      a[i] = a[j];
      a[j] = t;
      i++;
      j--;
    }
  }
  quicksort(a, lo, j, cmp);
  quicksort(a, i, hi, cmp);
  qs_depth--;
}

#define N_SORT 3000
static uint32_t arr[N_SORT];

static void sort_test(cmp_fn cmp, const char *name) {
  uint32_t seed = 2024;
  for (unsigned i = 0; i < N_SORT; i++) arr[i] = lcg_next(&seed) >> 8;
  qs_depth = qs_max_depth = 0;
  quicksort(arr, 0, N_SORT - 1, cmp);
  unsigned ok = 1;
  uint64_t h = 0;
  for (unsigned i = 0; i < N_SORT; i++) {
    if (i && cmp(arr[i - 1], arr[i]) > 0) ok = 0;
    h = h * 1099511628211UL + arr[i];
  }
  kprintf("qsort %s: sorted=%u depth=%u first %x %x %x last %x %x hash %016lx\n", name, ok, qs_max_depth, arr[0],
          arr[1], arr[2], arr[N_SORT - 2], arr[N_SORT - 1], h);
}

/* Binary search tree in a static pool. */
struct node {
  uint32_t key;
  uint32_t count;
  struct node *left, *right;
};
#define POOL 1000
static struct node pool[POOL];
static unsigned pool_used;

static struct node *insert(struct node *t, uint32_t key) {
  if (!t) {
    struct node *n = &pool[pool_used++];
    n->key = key;
    n->count = 1;
    n->left = n->right = 0;
    return n;
  }
  if (key < t->key)
    t->left = insert(t->left, key);
  else if (key > t->key)
    t->right = insert(t->right, key);
  else
    t->count++;
  return t;
}
static unsigned height(const struct node *t) {
  if (!t) return 0;
  unsigned l = height(t->left), r = height(t->right);
  return 1 + (l > r ? l : r);
}
static void walk(const struct node *t, void (*visit)(const struct node *, void *), void *ctx) {
  if (!t) return;
  walk(t->left, visit, ctx);
  visit(t, ctx);
  walk(t->right, visit, ctx);
}
struct walk_state {
  uint64_t sum, hash;
  uint32_t prev;
  unsigned ordered, nodes;
};
static void visit_node(const struct node *n, void *ctx) {
  struct walk_state *s = ctx;
  if (s->nodes && n->key <= s->prev) s->ordered = 0;
  s->prev = n->key;
  s->nodes++;
  s->sum += (uint64_t)n->key * n->count;
  s->hash = (s->hash ^ n->key) * 0x100000001b3UL;
}

/* Eleven arguments: the last three go on the stack. */
static int64_t many_args(int64_t a, int32_t b, int16_t c, int8_t d, uint64_t e, uint32_t f, uint16_t g, uint8_t h,
                         int64_t i, int32_t j, uint8_t k) {
  return a + 3 * b - 5 * c + 7 * d + (int64_t)(e >> 3) - (int64_t)f + g * 11 - h + i * 13 - j + k;
}

struct vec3 {
  int64_t x, y, z;
};
static struct vec3 cross(struct vec3 a, struct vec3 b) {
  struct vec3 r = {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
  return r;
}

typedef int64_t (*binop)(int64_t, int64_t);
static int64_t f_add(int64_t a, int64_t b) { return a + b; }
static int64_t f_sub(int64_t a, int64_t b) { return a - b; }
static int64_t f_mul(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }
static int64_t f_max(int64_t a, int64_t b) { return a > b ? a : b; }
static int64_t fold(const int64_t *v, unsigned n, binop op, int64_t init) {
  for (unsigned i = 0; i < n; i++) init = op(init, v[i]);
  return init;
}

#ifdef SWITCHES_AND_BIG_STRUCTS
/* Dense switches: gcc emits a jump table (on aarch64 adr + ldrb/ldrh + add + br). */
static __attribute__((noinline)) uint64_t opcode(unsigned op, uint64_t a, uint64_t b) {
  switch (op) {
    case 0: return a + b;
    case 1: return a - b;
    case 2: return a * b;
    case 3: return a & b;
    case 4: return a | b;
    case 5: return a ^ b;
    case 6: return a << (b & 63);
    case 7: return a >> (b & 63);
    case 8: return b ? a / b : 0;
    case 9: return b ? a % b : 0;
    case 10: return a > b ? a : b;
    case 11: return a < b ? a : b;
    case 12: return ~a;
    case 13: return 0 - a;
    default: return 0xdeadUL + op;
  }
}

static __attribute__((noinline)) const char *day_name(int d) {
  switch (d) {
    case 100: return "mon";
    case 101: return "tue";
    case 102: return "wed";
    case 103: return "thu";
    case 104: return "fri";
    case 105: return "sat";
    case 106: return "sun";
    case 108: return "eighth";
    default: return "none";
  }
}

/* A sparse switch: a tree of compares instead of a table. */
static __attribute__((noinline)) unsigned sparse(uint64_t v) {
  switch (v) {
    case 3: return 1;
    case 1000: return 2;
    case 65536: return 3;
    case 0x100000000UL: return 4;
    case 0xffffffffffffffffUL: return 5;
    default: return 0;
  }
}

/* A struct larger than 16 bytes comes back through memory. */
struct big_result {
  uint64_t w[5];
};
static __attribute__((noinline)) struct big_result spread(uint64_t seed) {
  struct big_result r;
  for (unsigned i = 0; i < 5; i++) r.w[i] = seed * (i + 3) ^ (seed >> i);
  return r;
}
#endif

int main(unsigned long cpu, unsigned long dtb) {
  (void)cpu;
  (void)dtb;
  kputs("calls: start\n");
  for (unsigned n = 0; n <= 22; n += 11) {
    kputs("fib(");
    put_dec(n);
    kputs(") = ");
    put_dec(fib(n));
    kputc('\n');
  }
  for (uint64_t m = 0; m <= 3; m++)
    for (uint64_t n = 0; n <= 4; n++) {
      ack_calls = 0;
      uint64_t r = ack(m, n);
      kprintf("ack(%lu,%lu) = %lu in %lu calls\n", m, n, r, ack_calls);
    }
  kprintf("is_even(1001) = %d, is_odd(777) = %d\n", is_even(1001), is_odd(777));
  put_kv("gcd(1071, 462)", gcd(1071, 462));
  put_kv("gcd(2^40, 6^15)", gcd(1UL << 40, 470184984576UL));
  sort_test(cmp_up, "up");
  sort_test(cmp_down, "down");

  uint32_t seed = 77;
  struct node *root = 0;
  for (unsigned i = 0; i < 900; i++) root = insert(root, lcg_next(&seed) % 5000);
  struct walk_state ws = {0, 0xcbf29ce484222325UL, 0, 1, 0};
  walk(root, visit_node, &ws);
  kprintf("tree: pool %u nodes %u height %u ordered %u sum %lu hash %016lx\n", pool_used, ws.nodes, height(root),
          ws.ordered, ws.sum, ws.hash);

  kprintf("many_args = %ld\n", many_args(-1000000000000L, -70000, -300, -100, 0xffffffffffffffffUL, 4000000000u,
                                         65535, 255, 123456789, -2, 200));
  struct vec3 a = {3, -4, 5}, b = {-7, 11, 2};
  struct vec3 c = cross(a, b);
  kprintf("cross = (%ld, %ld, %ld)\n", c.x, c.y, c.z);

  static const binop ops[] = {f_add, f_sub, f_mul, f_max};
  static const char *const names[] = {"add", "sub", "mul", "max"};
  int64_t v[10];
  for (unsigned i = 0; i < 10; i++) v[i] = (int64_t)(lcg_next(&seed) % 2001) - 1000;
  for (unsigned k = 0; k < 4; k++) {
    kputs("fold ");
    kputs(names[k]);
    kputs(" = 0x");
    put_hex((uint64_t)fold(v, 10, ops[k], k == 2 ? 1 : 0), 16);
    kputc('\n');
  }
#ifdef SWITCHES_AND_BIG_STRUCTS
  uint64_t sw = 0;
  for (unsigned op = 0; op < 16; op++) {
    uint64_t r = opcode(op, 0x123456789UL + op, 7 + op);
    sw = sw * 31 + r;
    kputs(op ? " " : "switch:");
    put_hex(r, 16);
  }
  kputc('\n');
  put_kv("switch hash", sw);
  kputs("days:");
  for (int d = 99; d <= 109; d++) {
    kputc(' ');
    kputs(day_name(d));
  }
  kputc('\n');
  static const uint64_t probes[] = {3, 4, 1000, 65536, 0x100000000UL, 0xffffffffffffffffUL, 0};
  kputs("sparse:");
  for (unsigned i = 0; i < sizeof probes / sizeof probes[0]; i++) {
    kputc(' ');
    put_dec(sparse(probes[i]));
  }
  kputc('\n');
  struct big_result br = spread(0x9e3779b97f4a7c15UL);
  kprintf("spread: %lx %lx %lx %lx %lx\n", br.w[0], br.w[1], br.w[2], br.w[3], br.w[4]);
#endif
  return 0;
}
