#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include "util.h"

char *join(const char *a, const char *b) {
	char *out = malloc(strlen(a) + strlen(b) + 2);
	strcpy(out, a);
	strcat(out, "/");
	strcat(out, b);
	return out;
}

void upper(char *dst, const char *src, size_t n) {
	memcpy(dst, src, n);
	for (size_t i = 0; i < n; i++) {
		if (dst[i] >= 'a' && dst[i] <= 'z') {
			dst[i] -= 32;
		}
	}
}

int quote(char *dst, const char *src) {
	return sprintf(dst, "\"%s\"", src);
}

void fill(char *dst, const char *word, int times) {
	dst[0] = '\0';
	for (int i = 0; i < times; i++) {
		strcat(dst, word);
	}
}

size_t count_words(const char *s) {
	char copy[128];
	size_t n = 0;
	strncpy(copy, s, sizeof copy);
	for (char *w = strtok(copy, " "); w != NULL; w = strtok(NULL, " ")) {
		n++;
	}
	return n;
}

int read_word(char *word) {
	return scanf("%s", word);
}
