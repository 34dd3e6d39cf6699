#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include "util.h"

static char cfg_file[512];
static char cfg_user[64];

int cfg_load(const char *path) {
	char line[256];
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		return -1;
	}
	strcpy(cfg_file, path);
	while (fgets(line, sizeof line, f) != NULL) {
		char key[64], value[192];
		if (parse_line(line, key, value) == 0 && strcmp(key, "user") == 0) {
			snprintf(cfg_user, sizeof cfg_user, "%s", value);
		}
	}
	fclose(f);
	return 0;
}

const char *cfg_home(void) {
	const char *home = getenv("HOME");
	return home != NULL ? home : "/";
}

int cfg_run_hook(const char *hook) {
	char cmd[300];
	snprintf(cmd, sizeof cmd, "sh -c '%s'", hook);
	return system(cmd);
}

void cfg_tmpname(char *out) {
	tmpnam(out);
}
