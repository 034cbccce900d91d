/*
 * http.h - the one HTTP layer of the program and the only user of libcurl.
 *
 * Three levels, each usable on its own:
 *
 *  - struct http_client: a curl multi handle.  http_client_wait() drives
 *    every transfer for at most timeout_ms while also watching one extra
 *    file descriptor (the dashboard's stdin), so a caller's event loop never
 *    blocks longer than it chose.  http_client_wakeup() interrupts it from
 *    another thread.
 *  - struct http_transfer: one GET.  gzip/deflate decoded (also gzip sent
 *    without Content-Encoding), size capped after decompression, timeouts,
 *    User-Agent, proxies from the environment but never for loopback.
 *  - struct http_call: one logical request with retries.  A judge function
 *    supplied by the API client (Stack Exchange, GitHub) says what each
 *    response means: done, retry (after a server-named wait or the default
 *    exponential backoff with jitter) or fail.  Attempts are bounded and the
 *    whole call gives up within HTTP_BUDGET seconds.  Waiting is done by the
 *    caller's loop, never by sleeping inside the call.
 *
 * http_get() is a blocking convenience for the CLI and tests.
 */
#ifndef DLREPRO_HTTP_H
#define DLREPRO_HTTP_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_MAX_BYTES (32u * 1024 * 1024)	/* default response cap */
#define HTTP_MAX_TRIES 4	/* attempts per call */
#define HTTP_BUDGET 120.0	/* seconds a call may take in all */
#define HTTP_MAX_WAIT 60.0	/* server-named waits above this fail */

/* Why a transfer produced no usable HTTP response. */
enum http_fail {
	HTTP_FAIL_NONE,		/* a response arrived (any status) */
	HTTP_FAIL_CONNECT,	/* refused, unreachable, DNS */
	HTTP_FAIL_TIMEOUT,	/* connect or stall timeout */
	HTTP_FAIL_RESET,	/* reset, empty reply, send/recv error */
	HTTP_FAIL_PARTIAL,	/* body shorter than announced, bad chunking */
	HTTP_FAIL_ENCODING,	/* broken gzip/deflate */
	HTTP_FAIL_TOO_BIG,	/* response over the cap (also decompressed) */
	HTTP_FAIL_OTHER,
};

struct http_request {
	const char *url;
	const char *const *headers;	/* NULL-terminated "Name: value" list */
	size_t max_bytes;		/* 0: HTTP_MAX_BYTES */
	long timeout_ms;		/* whole-transfer backstop; 0: 60 s */
};

struct http_response {
	long status;		/* HTTP status, 0 when none */
	enum http_fail fail;
	int curl_code;		/* CURLcode, 0 when fine */
	char *error;		/* transport failure in words, or NULL */
	char *body;		/* decoded, NUL-terminated, never NULL */
	size_t len;
	char *content_type;	/* or NULL */
	double retry_after;	/* Retry-After seconds, -1 when absent */
	int64_t rl_limit;	/* x-ratelimit-* values, -1 when absent */
	int64_t rl_remaining;
	int64_t rl_reset;
	char *link;		/* Link header or NULL */
};

void http_response_init(struct http_response *r);
void http_response_done(struct http_response *r);

/* Call once from main() before any thread starts. */
int http_global_init(void);
void http_global_cleanup(void);

/* "dlrepro/VERSION (+https://example.invalid/dlrepro)" */
const char *http_user_agent(void);

/*
 * Test hook: DLREPRO_TEST_TIME_SCALE (0 < x <= 1) shrinks the program's own
 * timeouts, backoff and budget (never the waits a server names).  1.0 when
 * unset or invalid.
 */
double http_time_scale(void);

/* ---- client and transfers ---- */

struct http_client;
struct http_transfer;

struct http_client *http_client_new(void);
void http_client_free(struct http_client *c);	/* aborts open transfers */

/* Start a GET; never blocks.  Returns NULL with the error set. */
struct http_transfer *http_transfer_start(struct http_client *c,
					  const struct http_request *rq);
int http_transfer_done(const struct http_transfer *t);
/* The finished response (valid until http_transfer_free). */
const struct http_response *http_transfer_response(const struct http_transfer *t);
void http_transfer_free(struct http_transfer *t);	/* aborts if running */

/*
 * Drive transfers: perform, collect finished ones, then wait up to
 * timeout_ms for network activity, a wakeup, or extra_fd (>= 0) becoming
 * readable, in which case *extra_ready is set to 1.  Returns the number
 * of transfers still running, or DL_ERR with the error set.
 */
int http_client_wait(struct http_client *c, int timeout_ms, int extra_fd,
		     int *extra_ready);
/* Wake a http_client_wait() running in another thread. */
void http_client_wakeup(struct http_client *c);

/* Blocking GET; out is initialised by the call. DL_OK or DL_ERR. */
int http_get(struct http_client *c, const struct http_request *rq,
	     struct http_response *out);

/* ---- calls with retries ---- */

enum http_verdict {
	HTTP_VERDICT_DONE,	/* response accepted */
	HTTP_VERDICT_RETRY,	/* transient: try again */
	HTTP_VERDICT_FAIL,	/* final: the error slot holds the cause */
};

/*
 * Decide what a response means.  For RETRY set *wait to the seconds the
 * server named, or leave it at -1 for the default backoff.  For RETRY and
 * FAIL set the cause with error_set() ("HTTP 503", "connection reset").
 */
typedef enum http_verdict (*http_judge_fn)(const struct http_response *r,
					   void *arg, double *wait);

/* The default judge: 2xx done, 5xx and transport failures retried. */
enum http_verdict http_judge_default(const struct http_response *r,
				     void *arg, double *wait);

/* Describe a transport failure or status ("HTTP 503", "timed out"). */
const char *http_describe(const struct http_response *r);

/*
 * Exponential backoff with jitter for the attempt-th retry (1-based),
 * before time scaling: base 1 s doubling, capped at 30 s, each value drawn
 * from [d/2, d] with the given uniform random number u in [0, 1).
 */
double http_backoff_delay(int attempt, double u);

enum http_call_state {
	HTTP_CALL_WAITING,	/* before an attempt (backoff) */
	HTTP_CALL_RUNNING,	/* an attempt is in flight */
	HTTP_CALL_DONE,
	HTTP_CALL_FAILED,
};

struct http_call;

/*
 * Prepare a call; nothing is sent until http_call_poll().  what names the
 * request in messages ("GET /questions/1;2"; never a URL with a key).
 * not_before: monotonic time before which the first attempt must not start
 * (0 for now).
 */
struct http_call *http_call_new(struct http_client *c,
				const struct http_request *rq,
				const char *what, http_judge_fn judge,
				void *arg, double not_before);
void http_call_free(struct http_call *call);

/*
 * Advance the call (start an attempt when its time has come, judge a
 * finished one).  Never blocks.  Returns the state; on HTTP_CALL_FAILED
 * the message ("GET /questions/1: HTTP 503 after 4 tries") is in
 * http_call_error().
 */
enum http_call_state http_call_poll(struct http_call *call);
/* Milliseconds until the call needs polling again without I/O (>= 0). */
int http_call_timeout_ms(const struct http_call *call);
const struct http_response *http_call_response(const struct http_call *call);
const char *http_call_error(const struct http_call *call);
int http_call_attempts(const struct http_call *call);

/* Blocking run of a call; DL_OK (response available) or DL_ERR (set). */
int http_call_run(struct http_call *call);

/* ---- server text and secrets ---- */

/*
 * Server-supplied text (an API's error message) for an error message: at
 * most max bytes, cut at whitespace with " ..." so that no word, a key or
 * a token echoed back, is ever cut in half (which would defeat
 * http_redact()).  Not sanitised: the fetch job does that.  Caller frees.
 */
char *http_server_text(const char *s, size_t max);

/*
 * Copy of s with secrets removed, each replaced by "***": every non-empty
 * string of the NULL-terminated list secrets (may be NULL), also in its
 * percent-encoded forms; then, whatever the value, the value of any
 * "key=" or "token=" parameter, the credential after "Bearer ", and
 * after "token " a credential-like word (8+ characters with a digit or
 * '_').  NULL gives "".  Caller frees.
 */
char *http_redact(const char *s, const char *const *secrets);

#endif
