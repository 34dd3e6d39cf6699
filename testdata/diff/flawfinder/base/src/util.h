#ifndef UTIL_H
#define UTIL_H
int copy_name(char *dst, const char *src);
void report(const char *what);
#endif
