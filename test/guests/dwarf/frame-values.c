/* Values of many C types for the variables tests, bare metal on both arches:
   a linked list of nodes kept in a global array, records holding an array
   of structs, an enum, bitfields and a union, chars, floats and doubles, and
   a function with twenty locals, a recursion down the list. main builds the data, then calls the
   functions the tests stop in, forever. _start (assembly) turns the FPU on
   and sets up a stack. The stop functions are noinline: the program's API,
   called from several places, whose frames the tests walk. */

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
  int key;
  char name;
  struct node *next;
  double weight;
};

struct point {
  short x, y;
};

struct record {
  struct point corner[3];
  enum colour colour;
  struct flags flags;
  union word word;
  long total;
};

struct node nodes[4];
struct record records[2];
volatile long sink;
int rounds = 7;
unsigned long values_stack[1024] __attribute__((aligned(16)));

long __attribute__((noinline)) chain_sum(struct node *head, int limit) {
  long total = 0;
  int seen = 0;
  for (struct node *p = head; p && seen < limit; p = p->next) {
    total += p->key * (long)p->name;
    seen++;
    sink = total;
  }
  return total + seen;
}

double __attribute__((noinline)) describe(struct record *r, enum colour c, char initial, float scale, double ratio) {
  struct point far = r->corner[2];
  int width = far.x - r->corner[0].x;
  float area = (float)width * (float)(far.y - r->corner[0].y) * scale;
  double weighted = area * ratio + r->word.f;
  r->flags.level = (signed)(c == BLUE ? -3 : 2);
  r->total += (long)weighted + initial;
  sink = r->total;
  return weighted;
}

long __attribute__((noinline)) crunch(int a, int b) {
  int sum = a + b;
  int diff = a - b;
  int prod = a * b;
  int quot = b ? a / b : 0;
  int rem = b ? a % b : 0;
  unsigned mask = (unsigned)a ^ 0x5a5aU;
  long wide = (long)a << 33;
  short narrow = (short)(a * 3);
  unsigned char low = (unsigned char)b;
  signed char tiny = (signed char)-b;
  char letter = (char)('A' + (a & 15));
  float half = a / 2.0f;
  double third = b / 3.0;
  enum colour hue = (a & 1) ? GREEN : BLUE;
  struct point spot = { (short)a, (short)b };
  union word w;
  w.f = half;
  int *where = &sum;
  struct node *first = &nodes[a & 3];
  long acc = sum + diff + prod + quot + rem;
  unsigned long bits = mask | (unsigned long)low << 40;
  acc += wide + narrow + tiny + letter + (long)(half * 4) + (long)third + hue;
  acc += spot.x * spot.y + (long)w.u + *where + first->key + (long)bits;
  sink = acc;
  return acc;
}

int __attribute__((noinline)) depth_sum(const struct node *p, int level) {
  if (!p) {
    sink = level;
    return level;
  }
  int here = p->key * level;
  int below = depth_sum(p->next, level + 1);
  return below > here ? below - here : here + below;
}

static void build(int round) {
  for (int i = 0; i < 4; i++) {
    nodes[i].key = 10 * (i + 1) + round;
    nodes[i].name = (char)('a' + i);
    nodes[i].next = i < 3 ? &nodes[i + 1] : 0;
    nodes[i].weight = 0.5 * (i + 1);
  }
  for (int i = 0; i < 2; i++) {
    struct record *r = &records[i];
    for (int k = 0; k < 3; k++) {
      r->corner[k].x = (short)(k * 4 - i);
      r->corner[k].y = (short)(k * k + round);
    }
    r->colour = i ? BLUE : GREEN;
    r->flags.ready = 1;
    r->flags.mode = (unsigned)(5 - i);
    r->flags.level = -(i + 1);
    r->flags.tag = (unsigned char)('x' + i);
    r->word.f = 1.25f * (float)(i + 1);
    r->total = 1000 * i;
  }
}

int main(void) {
  for (int round = 0;; round++) {
    build(round);
    sink += chain_sum(&nodes[0], rounds);
    sink += (long)describe(&records[1], records[1].colour, 'q', 1.5f, 0.25);
    sink += crunch(37 + round, 5);
    sink += depth_sum(&nodes[1], 1);
  }
}

#if defined(__riscv)
__asm__(".pushsection .text.start, \"ax\"\n.globl _start\n.type _start, %function\n_start:\n"
        "  li t0, 1 << 13\n  csrs sstatus, t0\n  lla sp, values_stack + 8192\n  call main\n1: j 1b\n.popsection\n");
#elif defined(__aarch64__)
__asm__(".pushsection .text.start, \"ax\"\n.globl _start\n.type _start, %function\n_start:\n"
        "  mov x9, #(3 << 20)\n  msr cpacr_el1, x9\n  isb\n  adrp x9, values_stack + 8192\n  add x9, x9, :lo12:values_stack + 8192\n  mov sp, x9\n  bl main\n1: b 1b\n.popsection\n");
#endif
