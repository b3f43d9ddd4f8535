int add(int a, int b);
int sub(int a, int b);
int clamp(int v, int lo, int hi);
int sign(int v);
