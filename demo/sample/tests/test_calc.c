#include <assert.h>
#include <stdio.h>

#include "../src/calc.h"

int main(void) {
  assert(add(2, 3) == 5);
  assert(sub(5, 3) == 2);
  assert(clamp(-5, 0, 10) == 0);
  assert(clamp(50, 0, 10) == 10);
  assert(clamp(5, 0, 10) == 5);
  assert(sign(3) == 1);
  assert(sign(-3) == -1);
  assert(sign(0) == 0);
  puts("tests passed");
  return 0;
}
