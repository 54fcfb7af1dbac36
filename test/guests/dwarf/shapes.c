/* Types, scopes and calls for the DWARF reader's tests: every kind of type
   the reader describes, locals in nested blocks, a recursive function and a
   second file's inline helper. Built freestanding; _start never returns. */
#include "shapes.h"

enum colour { RED, GREEN = 5, BLUE };

struct flags {
  unsigned ready : 1;
  unsigned mode : 3;
  signed level : 4;
  unsigned char tag;
};

union word {
  unsigned int u;
  float f;
  unsigned char bytes[4];
};

struct node {
  struct node *next;
  int key;
  const char *name;
  struct flags flags;
  union word value;
  enum colour colour;
  int matrix[2][3];
};

typedef struct node node_t;
typedef int (*combine_fn)(int, int);

volatile int ticks;
static node_t nodes[3];
const char greeting[] = "hi";
long long total = -7;

static int add(int a, int b) { return a + b; }

static int __attribute__((noinline)) fold(const node_t *list, combine_fn combine, int seed) {
  int acc = seed;
  for (const node_t *p = list; p; p = p->next) {
    int k = p->key * 2;
    acc = combine(acc, k + scale(p->flags.level));
  }
  return acc;
}

static int __attribute__((noinline)) depth(int n) {
  if (n <= 0) return ticks;
  return depth(n - 1) + 1;
}

void _start(void) {
  for (int i = 0; i < 3; i++) {
    nodes[i].key = i + 1;
    nodes[i].next = i < 2 ? &nodes[i + 1] : 0;
    nodes[i].colour = (enum colour)(i == 2 ? BLUE : GREEN);
    nodes[i].flags.level = -i;
    nodes[i].value.u = 0x3f800000u;
  }
  total += fold(nodes, add, greeting[0]);
  total += depth(3);
  for (;;) ticks++;
}
