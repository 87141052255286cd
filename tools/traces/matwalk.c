/* A program with a large, irregular working set: random pointer chasing over 32 MiB,
   then a column-major sweep of a 1024x1024 matrix of doubles (8 MiB). */
#include <stdio.h>
#include <stdlib.h>
int main(void) {
    size_t n = (32u << 20) / sizeof(size_t);
    size_t *next = malloc(n * sizeof(size_t));
    for (size_t i = 0; i < n; i++) next[i] = i;
    unsigned long long x = 88172645463325252ull;
    for (size_t i = n - 1; i > 0; i--) { x ^= x << 13; x ^= x >> 7; x ^= x << 17; size_t j = x % (i + 1); size_t t = next[i]; next[i] = next[j]; next[j] = t; }
    size_t p = 0, sum = 0;
    for (int k = 0; k < 200000; k++) { p = next[p]; sum += p; }
    int m = 1024; double *a = calloc((size_t)m * m, sizeof(double)); double s = 0;
    for (int c = 0; c < m; c++) for (int r = 0; r < m; r += 4) s += a[(size_t)r * m + c];
    printf("%zu %f\n", sum, s);
    return 0;
}
