#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static double table6[256];
double work6(int n) { double s = 0; for (int k = 0; k < n; k++) { table6[k & 255] += k * 0.5; s += table6[(k * 7) & 255]; } return s; }
