#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static double table5[256];
double work5(int n) { double s = 0; for (int k = 0; k < n; k++) { table5[k & 255] += k * 0.5; s += table5[(k * 7) & 255]; } return s; }
