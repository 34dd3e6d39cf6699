#include <stdio.h>
#include <string.h>
#include "util.h"

int net_open(const char *host) {
	char errbuf[30];
	if (host == NULL) {
		strcpy(errbuf, "no host");
		fprintf(stderr, errbuf);
		return -1;
	}
	return 0;
}

int net_send(const char *msg) {
	char errbuf[30];
	if (strlen(msg) > 512) {
		strcpy(errbuf, "too long");
		fprintf(stderr, errbuf);
		return -1;
	}
	return 0;
}
