/* C values for the variables and expression tests, bare metal on both
   arches: structs, unions, enums (plain and flags), arrays, bitfields,
   chars, floats, strings, function pointers and a pointer chain, as globals
   and as the parameters and locals of functions main calls again and again.
   _start (assembly) enables the FPU, sets up a stack and calls main. */

typedef unsigned long ulong_t;
enum color { RED, GREEN = 5, BLUE };
enum access { ACCESS_READ = 1, ACCESS_WRITE = 2, ACCESS_EXEC = 4 };

struct node {
  int key;
  struct node *next;
};
typedef struct node node_t;

union word {
  unsigned int u;
  float f;
  unsigned char bytes[4];
};

struct bits {
  unsigned int low : 3;
  int middle : 5;
  unsigned int high : 12;
  unsigned char flag : 1;
};

struct shape {
  char name[8];
  enum color color;
  double scale;
  struct bits bits;
  union word word;
  int (*area)(int);
  const char *label;
};

volatile int sink;
unsigned long values_stack[1024] __attribute__((aligned(16)));

static int square_area(int side) { return side * side; }

/* A struct copy may call memcpy, which a freestanding program provides; volatile keeps the compiler from making this loop a call to itself. */
void *memcpy(void *to, const void *from, unsigned long n) {
  volatile char *out = to;
  const char *in = from;
  while (n--) *out++ = *in++;
  return to;
}

node_t nodes[3] = {{10, &nodes[1]}, {20, &nodes[2]}, {30, 0}};
node_t *head = &nodes[0];
struct shape shape = {"square", GREEN, 1.5, {5, -3, 1000, 1}, {.u = 0x3fc00000}, square_area, "a label"};
int numbers[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
int zeros[12];
char message[32] = "hello, world";
static int counter = 7;
enum access mode = ACCESS_READ | ACCESS_WRITE;
enum color unnamed_color = (enum color)3;
float ratio = 0.1f;
double precise = 2.5e-10;
unsigned char letters[4] = {'A', '\n', 0, 0xff};
_Bool ready = 1;
ulong_t big = 0xfedcba9876543210ul;
short negative = -1234;
void *opaque = &counter;
const char *greeting = "hi there";

/* The call-chain probe: its parameters and locals are the Locals tests' subject. */
__attribute__((noinline)) int walk(node_t *list, int depth, char tag) {
  int sum = 0;
  node_t *p = list;
  while (p) {
    sum += p->key;
    p = p->next;
  }
  sink = sum + depth + tag;
  return sum;
}

/* Twenty locals live at once, for the cost of Locals on every step. */
__attribute__((noinline)) long twenty(long a) {
  long v0 = a + 1, v1 = a * 2, v2 = a - 3, v3 = a ^ 4, v4 = a | 5, v5 = a + 6, v6 = a * 7, v7 = a - 8, v8 = a ^ 9, v9 = a | 10;
  long v10 = v0 + v9, v11 = v1 + v8, v12 = v2 + v7, v13 = v3 + v6, v14 = v4 + v5, v15 = v0 * v1, v16 = v2 * v3, v17 = v4 * v5, v18 = v6 * v7;
  sink = (int)(v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8 + v9 + v10 + v11 + v12 + v13 + v14 + v15 + v16 + v17 + v18);
  return v18;
}

int main(void) {
  struct shape local = shape;
  char c = 'A';
  unsigned char uc = 200;
  float f = 1.25f;
  for (int round = 0;; round++) {
    local.bits.middle = (int)(round % 7) - 3;
    sink += walk(head, round, c) + (int)twenty(round) + local.bits.middle + shape.area(3) + (int)(f * 2) + uc;
    counter++;
  }
}

/* A variable named like a riscv64 register (the expression language reads $s1 for the register), and flags with a bit no enumerator names. */
long s1 = 77;
enum access odd_mode = (enum access)(ACCESS_READ | 8);

#if defined(__riscv)
__asm__(".pushsection .text.start, \"ax\"\n.globl _start\n.type _start, %function\n_start:\n"
        "  li t0, 0x2000\n  csrs sstatus, t0\n  lla sp, values_stack + 8192\n  call main\n1: j 1b\n.popsection\n");
#elif defined(__aarch64__)
__asm__(".pushsection .text.start, \"ax\"\n.globl _start\n.type _start, %function\n_start:\n"
        "  mov x9, #(3 << 20)\n  msr cpacr_el1, x9\n  isb\n  adrp x9, values_stack + 8192\n  add x9, x9, :lo12:values_stack + 8192\n  mov sp, x9\n  bl main\n1: b 1b\n.popsection\n");
#endif
