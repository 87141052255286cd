#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static double table1[256];
double work1(int n) { double s = 0; for (int k = 0; k < n; k++) { table1[k & 255] += k * 0.5; s += table1[(k * 7) & 255]; } return s; }
