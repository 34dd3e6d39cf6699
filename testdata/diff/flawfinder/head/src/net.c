#include <stdio.h>
#include <string.h>
#include "util.h"

static int open_count;

int net_close(void) {
	char errbuf[30];
	if (open_count == 0) {
		strcpy(errbuf, "not open");
		fprintf(stderr, errbuf);
		return -1;
	}
	open_count--;
	return 0;
}

int net_open(const char *host) {
	char errbuf[30];
	if (host == NULL) {
		strcpy(errbuf, "no host");
		fprintf(stderr, errbuf);
		return -1;
	}
	open_count++;
	return 0;
}

int net_send(const char *msg) {
	char errbuf[30];
	if (strlen(msg) > 512) {
		snprintf(errbuf, sizeof errbuf, "too long");
		fprintf(stderr, errbuf);
		return -1;
	}
	return 0;
}
