#include <stdio.h>
#include <string.h>
#include "util.h"

int copy_name(char *dst, const char *src) {
	strcpy(dst, src);
	return 0;
}

void report(const char *what) {
	char errbuf[30];
	sprintf(errbuf, "util: %s", what);
	fprintf(stderr, errbuf);
}

void report_code(int code) {
	char errbuf[30];
	sprintf(errbuf, "code %d", code);
	fprintf(stderr, errbuf);
}
