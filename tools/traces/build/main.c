#include <stdio.h>
double work1(int); double work2(int); double work3(int); double work4(int); double work5(int); double work6(int);
int main(void) { printf("%f\n", work1(1000) + work2(1000) + work3(1000) + work4(1000) + work5(1000) + work6(1000)); return 0; }
