#include <stdio.h>
#include <string.h>
#include "util.h"

int parse_line(const char *line, char *key, char *value) {
	char errbuf[30];
	const char *eq = strchr(line, '=');
	if (eq == NULL) {
		strcpy(errbuf, "no '=' in line");
		fprintf(stderr, errbuf);
		return -1;
	}
	strncpy(key, line, eq - line);
	strcpy(value, eq + 1);
	return 0;
}
