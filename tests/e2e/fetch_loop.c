/*
 * fetch_loop.c - drives a fetch job the way the dashboard does: steps of
 * at most 100 ms with an extra descriptor watched, and reports on stdout
 * (one JSON object) how long the longest step took and whether a write to
 * the watched pipe woke the loop.  tests/e2e/fetch.py runs it against the
 * mock to show that slow servers and backoff never block the caller.
 * The report also carries fetch_job_error() and the status line, the texts
 * the dashboard shows, and DLREPRO_SE_KEY is used as the dashboard would.
 *
 *     fetch_loop DB SE_API_BASE ID...
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "dlrepro/fetch.h"
#include "dlrepro/http.h"
#include "dlrepro/util.h"

int
main(int argc, char **argv)
{
	struct fetch_opts o;
	struct fetch_target t;
	struct fetch_job *j;
	struct store *st;
	double start, t0, dt, max_step = 0;
	int fds[2], st_rc, ready, woken = 0, poked = 0, steps = 0, i;
	char c;

	if (argc < 4) {
		fputs("usage: fetch_loop DB SE_API_BASE ID...\n", stderr);
		return 2;
	}
	if (http_global_init() != DL_OK || pipe(fds) != 0)
		return 1;
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	st = store_open(argv[1]);
	if (!st) {
		fprintf(stderr, "%s\n", error_msg());
		return 1;
	}
	fetch_opts_init(&o);
	o.se_api = argv[2];
	o.se_key = getenv("DLREPRO_SE_KEY");
	j = fetch_job_new(st, &o);
	for (i = 3; i < argc; i++) {
		if (fetch_target_parse(argv[i], NULL, &t) != DL_OK) {
			fprintf(stderr, "%s\n", error_msg());
			return 2;
		}
		fetch_job_add(j, &t);
		fetch_target_done(&t);
	}
	start = now_mono();
	do {
		/* A key press 300 ms in: the next step must return at once. */
		if (!poked && now_mono() - start > 0.3) {
			if (write(fds[1], "k", 1) != 1)
				return 1;
			poked = 1;
		}
		t0 = now_mono();
		st_rc = fetch_job_step(j, 100, fds[0], &ready);
		dt = now_mono() - t0;
		if (dt > max_step)
			max_step = dt;
		steps++;
		if (ready) {
			woken++;
			while (read(fds[0], &c, 1) == 1)
				;
		}
	} while (st_rc == FETCH_RUNNING);
	{
		cJSON *r = cJSON_CreateObject();
		char *out;

		cJSON_AddStringToObject(r, "status", st_rc == FETCH_DONE ?
					"done" : "failed");
		cJSON_AddNumberToObject(r, "max_step_ms", max_step * 1000);
		cJSON_AddNumberToObject(r, "steps", steps);
		cJSON_AddNumberToObject(r, "woken", woken);
		cJSON_AddNumberToObject(r, "elapsed_ms",
					(now_mono() - start) * 1000);
		cJSON_AddNumberToObject(r, "stored", fetch_job_stats(j)->stored);
		cJSON_AddStringToObject(r, "error", fetch_job_error(j));
		cJSON_AddStringToObject(r, "status_line",
					fetch_job_status_line(j));
		out = cJSON_PrintUnformatted(r);
		puts(out);
		cJSON_free(out);
		cJSON_Delete(r);
	}
	fetch_job_free(j);
	store_close(st);
	http_global_cleanup();
	close(fds[0]);
	close(fds[1]);
	return 0;
}
