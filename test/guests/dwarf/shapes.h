/* An inline helper from a second file, so line tables name two files. */
static inline int scale(int level) {
  return level * 3 + 1;
}
