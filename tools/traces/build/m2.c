#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static double table2[256];
double work2(int n) { double s = 0; for (int k = 0; k < n; k++) { table2[k & 255] += k * 0.5; s += table2[(k * 7) & 255]; } return s; }
