#include "calc.h"

int add(int a, int b) { return a + b; }

int sub(int a, int b) { return a - b; }

int clamp(int v, int lo, int hi) {
  if (v < lo) return lo;
  if (v > hi) return hi;
  return v;
}

int sign(int v) {
  if (v > 0) return 1;
  if (v < 0) return -1;
  return 0;
}
