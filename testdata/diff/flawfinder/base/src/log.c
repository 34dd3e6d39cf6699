#include <stdio.h>
#include <stdarg.h>
#include <string.h>
#include <stdlib.h>
#include "util.h"

static char log_path[256];

void log_line(const char *line) {
	char errbuf[30];
	strcpy(errbuf, line);
	fprintf(stderr, errbuf);
}

void log_open(void) {
	const char *dir = getenv("LOG_DIR");
	if (dir != NULL) {
		strcpy(log_path, dir);
		strcat(log_path, "/app.log");
	}
}

void log_printf(const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

void log_flush(void) {
	fflush(stderr);
}
