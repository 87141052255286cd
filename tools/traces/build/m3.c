#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static double table3[256];
double work3(int n) { double s = 0; for (int k = 0; k < n; k++) { table3[k & 255] += k * 0.5; s += table3[(k * 7) & 255]; } return s; }
