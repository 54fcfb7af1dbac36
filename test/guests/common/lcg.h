/* Deterministic pseudo-random numbers (Numerical Recipes LCG constants). */
#ifndef GUEST_LCG_H
#define GUEST_LCG_H

#include <stdint.h>

static inline uint32_t lcg_next(uint32_t *state) {
  *state = *state * 1664525u + 1013904223u;
  return *state;
}

#endif
