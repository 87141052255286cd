#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static double table4[256];
double work4(int n) { double s = 0; for (int k = 0; k < n; k++) { table4[k & 255] += k * 0.5; s += table4[(k * 7) & 255]; } return s; }
