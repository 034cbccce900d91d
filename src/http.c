/*
 * http.c - the only user of libcurl.  Owns transfers (compression, size
 * cap, timeouts, proxies, response headers), the multi handle that lets a
 * caller's event loop drive them without blocking, and calls with retries
 * whose meaning is judged by the API client and whose waits are left to
 * the caller's loop.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>
#include <zlib.h>

#include "dlrepro/http.h"
#include "dlrepro/util.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

#define HTTP_CONNECT_TIMEOUT 10.0	/* seconds */
#define HTTP_LOW_SPEED_TIME 20.0	/* seconds below 1 byte/s */
#define HTTP_TRANSFER_TIMEOUT 60.0	/* backstop per attempt */
#define HTTP_BACKOFF_BASE 1.0
#define HTTP_BACKOFF_CAP 30.0

/* Loopback never goes through a proxy, whatever the environment says. */
#define HTTP_NOPROXY "127.0.0.1,localhost,::1"

struct http_client {
	CURLM *multi;
};

struct http_transfer {
	struct http_client *client;
	CURL *easy;
	struct curl_slist *headers;
	struct strbuf body;
	size_t max_bytes;
	int too_big;
	int done;
	/* Our own decoding, so that a truncated stream is noticed. */
	enum { DEC_UNDECIDED, DEC_IDENTITY, DEC_ZLIB } dec;
	z_stream z;
	int z_init;
	int z_ended;		/* Z_STREAM_END seen */
	int try_raw;		/* "deflate" may be raw deflate after all */
	int fed;		/* the decoder has seen a chunk */
	char *bad_encoding;	/* why decoding failed, or NULL */
	struct http_response resp;
	char errbuf[CURL_ERROR_SIZE];
};

void
http_response_init(struct http_response *r)
{
	memset(r, 0, sizeof(*r));
	r->body = xstrdup("");
	r->retry_after = -1;
	r->rl_limit = r->rl_remaining = r->rl_reset = -1;
}

void
http_response_done(struct http_response *r)
{
	free(r->error);
	free(r->body);
	free(r->content_type);
	free(r->link);
	memset(r, 0, sizeof(*r));
}

int
http_global_init(void)
{
	if (curl_global_init(CURL_GLOBAL_ALL) != CURLE_OK)
		return error_set("cannot initialise libcurl");
	return DL_OK;
}

void
http_global_cleanup(void)
{
	curl_global_cleanup();
}

const char *
http_user_agent(void)
{
	return "dlrepro/" PACKAGE_VERSION " (+https://example.invalid/dlrepro)";
}

double
http_time_scale(void)
{
	static double scale = -1;
	const char *s;
	char *end;
	double v;

	if (scale > 0)
		return scale;
	scale = 1.0;
	s = getenv("DLREPRO_TEST_TIME_SCALE");
	if (s && *s) {
		errno = 0;
		v = strtod(s, &end);
		if (!errno && *end == '\0' && v > 0 && v <= 1)
			scale = v;
	}
	return scale;
}

/* ---- client ---- */

struct http_client *
http_client_new(void)
{
	struct http_client *c = xcalloc(1, sizeof(*c));

	c->multi = curl_multi_init();
	if (!c->multi)
		fatal("cannot create a libcurl multi handle");
	/* One connection per host: requests to one API go one at a time. */
	curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 1L);
	return c;
}

void
http_client_free(struct http_client *c)
{
	if (!c)
		return;
	curl_multi_cleanup(c->multi);
	free(c);
}

/* ---- transfers ---- */

static char *header_value(CURL *easy, const char *name);

static int
append_capped(struct http_transfer *t, const char *data, size_t len)
{
	/* Counted after decoding, so a gzip bomb stops here too. */
	if (t->body.len + len > t->max_bytes) {
		t->too_big = 1;
		return DL_ERR;
	}
	sb_add(&t->body, data, len);
	return DL_OK;
}

/* Pick the decoder from Content-Encoding, or the gzip magic bytes. */
static int
decoder_start(struct http_transfer *t, const unsigned char *data, size_t len)
{
	char *ce = header_value(t->easy, "content-encoding");
	int bits = 0;

	if (ce) {
		char *p;

		for (p = ce; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	}
	if (ce && (!strcmp(ce, "gzip") || !strcmp(ce, "x-gzip"))) {
		bits = 16 + MAX_WBITS;
	} else if (ce && !strcmp(ce, "deflate")) {
		bits = MAX_WBITS;
		t->try_raw = 1;
	} else if (ce && *ce && strcmp(ce, "identity")) {
		t->bad_encoding = xasprintf("unsupported Content-Encoding "
					    "'%.40s'", ce);
		free(ce);
		return DL_ERR;
	} else if (len >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
		/* Stack Exchange may send gzip without saying so. */
		bits = 16 + MAX_WBITS;
	}
	free(ce);
	if (!bits) {
		t->dec = DEC_IDENTITY;
		return DL_OK;
	}
	memset(&t->z, 0, sizeof(t->z));
	if (inflateInit2(&t->z, bits) != Z_OK) {
		t->bad_encoding = xstrdup("cannot start zlib");
		return DL_ERR;
	}
	t->z_init = 1;
	t->dec = DEC_ZLIB;
	return DL_OK;
}

static int
inflate_chunk(struct http_transfer *t, const unsigned char *data, size_t len)
{
	unsigned char out[16384];
	int rc;

	if (t->z_ended)
		return DL_OK;	/* bytes after the stream: ignored */
	t->z.next_in = (unsigned char *)data;
	t->z.avail_in = (uInt)len;
	while (t->z.avail_in > 0) {
		t->z.next_out = out;
		t->z.avail_out = sizeof(out);
		rc = inflate(&t->z, Z_NO_FLUSH);
		if (rc == Z_DATA_ERROR && t->try_raw && !t->fed) {
			/* "deflate" sent as raw deflate: start again, raw. */
			t->try_raw = 0;
			inflateReset2(&t->z, -MAX_WBITS);
			t->z.next_in = (unsigned char *)data;
			t->z.avail_in = (uInt)len;
			continue;
		}
		if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
			t->bad_encoding = xasprintf("bad compressed data (%s)",
						    t->z.msg ? t->z.msg : "zlib");
			return DL_ERR;
		}
		if (append_capped(t, (char *)out, sizeof(out) - t->z.avail_out))
			return DL_ERR;
		if (rc == Z_STREAM_END) {
			t->z_ended = 1;
			break;
		}
		if (rc == Z_BUF_ERROR)
			break;
	}
	t->fed = 1;
	return DL_OK;
}

static size_t
write_cb(char *data, size_t size, size_t n, void *arg)
{
	struct http_transfer *t = arg;
	size_t len = size * n;

	if (t->dec == DEC_UNDECIDED &&
	    decoder_start(t, (unsigned char *)data, len) != DL_OK)
		return CURL_WRITEFUNC_ERROR;
	if (t->dec == DEC_IDENTITY) {
		if (append_capped(t, data, len) != DL_OK)
			return CURL_WRITEFUNC_ERROR;
		return len;
	}
	if (inflate_chunk(t, (unsigned char *)data, len) != DL_OK)
		return CURL_WRITEFUNC_ERROR;
	return len;
}

static long
ms_scaled(double seconds, long floor_ms)
{
	long ms = (long)(seconds * 1000.0 * http_time_scale());

	return ms < floor_ms ? floor_ms : ms;
}

struct http_transfer *
http_transfer_start(struct http_client *c, const struct http_request *rq)
{
	struct http_transfer *t = xcalloc(1, sizeof(*t));
	long low_speed_time;
	size_t i;

	t->client = c;
	t->max_bytes = rq->max_bytes ? rq->max_bytes : HTTP_MAX_BYTES;
	sb_init(&t->body);
	http_response_init(&t->resp);
	t->easy = curl_easy_init();
	if (!t->easy) {
		http_transfer_free(t);
		error_set("cannot create a libcurl handle");
		return NULL;
	}
	for (i = 0; rq->headers && rq->headers[i]; i++)
		t->headers = curl_slist_append(t->headers, rq->headers[i]);

	low_speed_time = ms_scaled(HTTP_LOW_SPEED_TIME, 1000) / 1000;
	curl_easy_setopt(t->easy, CURLOPT_URL, rq->url);
	curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t);
	curl_easy_setopt(t->easy, CURLOPT_ERRORBUFFER, t->errbuf);
	curl_easy_setopt(t->easy, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(t->easy, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, t->headers);
	curl_easy_setopt(t->easy, CURLOPT_USERAGENT, http_user_agent());
	/*
	 * We decode gzip and deflate ourselves (libcurl 7.88 accepts a
	 * truncated gzip stream silently), so advertise exactly those and
	 * turn its decoding off.  The cap counts decoded bytes.
	 */
	curl_easy_setopt(t->easy, CURLOPT_ACCEPT_ENCODING, "gzip, deflate");
	curl_easy_setopt(t->easy, CURLOPT_HTTP_CONTENT_DECODING, 0L);
	curl_easy_setopt(t->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(t->easy, CURLOPT_CONNECTTIMEOUT_MS,
			 ms_scaled(HTTP_CONNECT_TIMEOUT, 500));
	curl_easy_setopt(t->easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(t->easy, CURLOPT_LOW_SPEED_TIME, low_speed_time);
	curl_easy_setopt(t->easy, CURLOPT_TIMEOUT_MS, rq->timeout_ms > 0 ?
			 rq->timeout_ms : ms_scaled(HTTP_TRANSFER_TIMEOUT, 3000));
	curl_easy_setopt(t->easy, CURLOPT_NOPROXY, HTTP_NOPROXY);
	curl_easy_setopt(t->easy, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(t->easy, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(t->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(t->easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	/* Never CURLOPT_FAILONERROR: error bodies carry the API's reason. */

	if (curl_multi_add_handle(c->multi, t->easy) != CURLM_OK) {
		http_transfer_free(t);
		error_set("cannot start a transfer");
		return NULL;
	}
	return t;
}

int
http_transfer_done(const struct http_transfer *t)
{
	return t->done;
}

const struct http_response *
http_transfer_response(const struct http_transfer *t)
{
	return &t->resp;
}

void
http_transfer_free(struct http_transfer *t)
{
	if (!t)
		return;
	if (t->easy) {
		curl_multi_remove_handle(t->client->multi, t->easy);
		curl_easy_cleanup(t->easy);
	}
	curl_slist_free_all(t->headers);
	if (t->z_init)
		inflateEnd(&t->z);
	free(t->bad_encoding);
	sb_done(&t->body);
	http_response_done(&t->resp);
	free(t);
}

static enum http_fail
fail_class(CURLcode rc)
{
	switch (rc) {
	case CURLE_OK:
		return HTTP_FAIL_NONE;
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
		return HTTP_FAIL_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return HTTP_FAIL_TIMEOUT;
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
		return HTTP_FAIL_RESET;
	case CURLE_PARTIAL_FILE:
		return HTTP_FAIL_PARTIAL;
	case CURLE_BAD_CONTENT_ENCODING:
		return HTTP_FAIL_ENCODING;
	default:
		return HTTP_FAIL_OTHER;
	}
}

static const char *
fail_words(enum http_fail f)
{
	switch (f) {
	case HTTP_FAIL_NONE:
		return "ok";
	case HTTP_FAIL_CONNECT:
		return "cannot connect";
	case HTTP_FAIL_TIMEOUT:
		return "timed out";
	case HTTP_FAIL_RESET:
		return "connection reset";
	case HTTP_FAIL_PARTIAL:
		return "truncated response";
	case HTTP_FAIL_ENCODING:
		return "bad compressed data";
	case HTTP_FAIL_TOO_BIG:
		return "response too large";
	case HTTP_FAIL_OTHER:
		break;
	}
	return "transfer failed";
}

static char *
header_value(CURL *easy, const char *name)
{
	struct curl_header *h;

	if (curl_easy_header(easy, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK)
		return NULL;
	return xstrdup(h->value);
}

static int64_t
header_int(CURL *easy, const char *name)
{
	char *v = header_value(easy, name);
	int64_t n;

	if (!v)
		return -1;
	if (parse_int64(v, &n) != DL_OK || n < 0)
		n = -1;
	error_clear();
	free(v);
	return n;
}

static void
transfer_finish(struct http_transfer *t, CURLcode rc)
{
	struct http_response *r = &t->resp;
	char *ct = NULL;
	long status = 0;
	curl_off_t ra = -1;

	t->done = 1;
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
	r->status = status;
	r->curl_code = rc;
	r->fail = fail_class(rc);
	if (rc == CURLE_WRITE_ERROR && t->too_big) {
		r->fail = HTTP_FAIL_TOO_BIG;
	} else if (rc == CURLE_WRITE_ERROR && t->bad_encoding) {
		r->fail = HTTP_FAIL_ENCODING;
	} else if (rc == CURLE_OK && t->dec == DEC_ZLIB && !t->z_ended) {
		r->fail = HTTP_FAIL_ENCODING;
		t->bad_encoding = xstrdup("bad compressed data (stream cut "
					  "short)");
	}

	if (curl_easy_getinfo(t->easy, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct)
		r->content_type = xstrdup(ct);
	if (curl_easy_getinfo(t->easy, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra >= 0) {
		char *v = header_value(t->easy, "retry-after");
		/* libcurl reports 0 both for "0" and for no header. */
		if (v || ra > 0)
			r->retry_after = (double)ra;
		free(v);
	}
	r->rl_limit = header_int(t->easy, "x-ratelimit-limit");
	r->rl_remaining = header_int(t->easy, "x-ratelimit-remaining");
	r->rl_reset = header_int(t->easy, "x-ratelimit-reset");
	r->link = header_value(t->easy, "link");

	if (r->fail != HTTP_FAIL_NONE) {
		if (r->fail == HTTP_FAIL_TOO_BIG)
			r->error = xasprintf("response larger than %zu bytes",
					     t->max_bytes);
		else if (r->fail == HTTP_FAIL_ENCODING && t->bad_encoding)
			r->error = xstrdup(t->bad_encoding);
		else
			r->error = xasprintf("%s (curl %d: %s)", fail_words(r->fail),
					     (int)rc, t->errbuf[0] ? t->errbuf :
					     curl_easy_strerror(rc));
		sb_reset(&t->body);
	}
	free(r->body);
	r->len = t->body.len;
	r->body = sb_detach(&t->body);
	/* The handle is finished: take it out so the connection is reused. */
	curl_multi_remove_handle(t->client->multi, t->easy);
	curl_easy_cleanup(t->easy);
	t->easy = NULL;
}

int
http_client_wait(struct http_client *c, int timeout_ms, int extra_fd,
		 int *extra_ready)
{
	struct curl_waitfd wfd;
	CURLMsg *msg;
	CURLMcode mc;
	int running = 0, left, finished = 0;

	if (extra_ready)
		*extra_ready = 0;
	mc = curl_multi_perform(c->multi, &running);
	if (mc != CURLM_OK)
		return error_set("libcurl: %s", curl_multi_strerror(mc));
	while ((msg = curl_multi_info_read(c->multi, &left))) {
		struct http_transfer *t = NULL;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
		if (t) {
			transfer_finish(t, msg->data.result);
			finished++;
		}
	}
	/* Something finished: let the caller look before waiting again. */
	if (timeout_ms <= 0 || finished)
		return running;
	memset(&wfd, 0, sizeof(wfd));
	wfd.fd = extra_fd;
	wfd.events = CURL_WAIT_POLLIN;
	mc = curl_multi_poll(c->multi, extra_fd >= 0 ? &wfd : NULL,
			     extra_fd >= 0 ? 1 : 0, timeout_ms, NULL);
	if (mc != CURLM_OK)
		return error_set("libcurl: %s", curl_multi_strerror(mc));
	if (extra_fd >= 0 && extra_ready && (wfd.revents & CURL_WAIT_POLLIN))
		*extra_ready = 1;
	return running;
}

void
http_client_wakeup(struct http_client *c)
{
	curl_multi_wakeup(c->multi);
}

static void
response_copy(struct http_response *dst, const struct http_response *src)
{
	*dst = *src;
	dst->error = xstrdup(src->error);
	dst->body = xmalloc(src->len + 1);
	memcpy(dst->body, src->body, src->len + 1);
	dst->content_type = xstrdup(src->content_type);
	dst->link = xstrdup(src->link);
}

int
http_get(struct http_client *c, const struct http_request *rq,
	 struct http_response *out)
{
	struct http_transfer *t;

	http_response_init(out);
	t = http_transfer_start(c, rq);
	if (!t)
		return DL_ERR;
	while (!t->done) {
		if (http_client_wait(c, 100, -1, NULL) < 0) {
			http_transfer_free(t);
			return DL_ERR;
		}
	}
	http_response_done(out);
	response_copy(out, &t->resp);
	http_transfer_free(t);
	return DL_OK;
}

/* ---- judging and backoff ---- */

const char *
http_describe(const struct http_response *r)
{
	static _Thread_local char buf[64];

	if (r->fail != HTTP_FAIL_NONE)
		return r->error ? r->error : fail_words(r->fail);
	snprintf(buf, sizeof(buf), "HTTP %ld", r->status);
	return buf;
}

enum http_verdict
http_judge_default(const struct http_response *r, void *arg, double *wait)
{
	(void)arg;
	(void)wait;
	if (r->fail == HTTP_FAIL_NONE && r->status >= 200 && r->status < 300)
		return HTTP_VERDICT_DONE;
	error_set("%s", http_describe(r));
	if (r->fail == HTTP_FAIL_TOO_BIG || r->fail == HTTP_FAIL_OTHER)
		return HTTP_VERDICT_FAIL;
	if (r->fail != HTTP_FAIL_NONE || r->status >= 500 || r->status == 429)
		return HTTP_VERDICT_RETRY;
	return HTTP_VERDICT_FAIL;
}

double
http_backoff_delay(int attempt, double u)
{
	double d = HTTP_BACKOFF_BASE;

	if (attempt < 1)
		attempt = 1;
	while (--attempt > 0 && d < HTTP_BACKOFF_CAP)
		d *= 2;
	if (d > HTTP_BACKOFF_CAP)
		d = HTTP_BACKOFF_CAP;
	if (u < 0)
		u = 0;
	if (u >= 1)
		u = 0.999;
	return d / 2 + u * d / 2;
}

/* ---- calls ---- */

struct http_call {
	struct http_client *client;
	char *url;
	struct strvec headers;	/* NULL-terminated after the last one */
	size_t max_bytes;
	char *what;
	http_judge_fn judge;
	void *arg;
	double not_before;	/* monotonic */
	double deadline;	/* monotonic; set on the first attempt */
	int attempts;
	enum http_call_state state;
	struct http_transfer *t;
	char *err;
	unsigned rng;
};

struct http_call *
http_call_new(struct http_client *c, const struct http_request *rq,
	      const char *what, http_judge_fn judge, void *arg,
	      double not_before)
{
	struct http_call *call = xcalloc(1, sizeof(*call));
	size_t i;

	call->client = c;
	call->url = xstrdup(rq->url);
	sv_init(&call->headers);
	for (i = 0; rq->headers && rq->headers[i]; i++)
		sv_push(&call->headers, rq->headers[i]);
	sv_push_owned(&call->headers, NULL);
	call->headers.n--;
	call->max_bytes = rq->max_bytes;
	call->what = xstrdup(what);
	call->judge = judge ? judge : http_judge_default;
	call->arg = arg;
	call->not_before = not_before;
	call->state = HTTP_CALL_WAITING;
	call->rng = (unsigned)(now_mono() * 1e6) ^ (unsigned)getpid();
	return call;
}

void
http_call_free(struct http_call *call)
{
	if (!call)
		return;
	http_transfer_free(call->t);
	free(call->url);
	sv_done(&call->headers);
	free(call->what);
	free(call->err);
	free(call);
}

static double
call_random(struct http_call *call)
{
	/* xorshift32: jitter only needs to differ between clients. */
	unsigned x = call->rng ? call->rng : 2463534242u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	call->rng = x;
	return (x % 1000000u) / 1e6;
}

static enum http_call_state
call_fail(struct http_call *call, const char *cause, int with_tries)
{
	free(call->err);
	if (with_tries && call->attempts > 1)
		call->err = xasprintf("%s: %s after %d tries", call->what,
				      cause, call->attempts);
	else
		call->err = xasprintf("%s: %s", call->what, cause);
	call->state = HTTP_CALL_FAILED;
	return call->state;
}

static int
call_start(struct http_call *call, double now)
{
	struct http_request rq;
	double left = call->deadline - now;

	http_transfer_free(call->t);
	memset(&rq, 0, sizeof(rq));
	rq.url = call->url;
	rq.headers = (const char *const *)call->headers.v;
	rq.max_bytes = call->max_bytes;
	rq.timeout_ms = ms_scaled(HTTP_TRANSFER_TIMEOUT, 3000);
	if (left * 1000 < rq.timeout_ms)
		rq.timeout_ms = left * 1000 < 1000 ? 1000 : (long)(left * 1000);
	call->t = http_transfer_start(call->client, &rq);
	if (!call->t)
		return DL_ERR;
	call->attempts++;
	call->state = HTTP_CALL_RUNNING;
	return DL_OK;
}

enum http_call_state
http_call_poll(struct http_call *call)
{
	enum http_verdict v;
	double now = now_mono(), wait = -1, delay;
	char *cause;

	switch (call->state) {
	case HTTP_CALL_DONE:
	case HTTP_CALL_FAILED:
		return call->state;
	case HTTP_CALL_WAITING:
		if (now < call->not_before)
			return call->state;
		if (!call->deadline)
			call->deadline = now + HTTP_BUDGET * http_time_scale();
		if (call_start(call, now) != DL_OK)
			return call_fail(call, error_msg(), 0);
		/* The transfer makes progress in http_client_wait(). */
		return call->state;
	case HTTP_CALL_RUNNING:
		break;
	}
	if (!http_transfer_done(call->t))
		return call->state;

	error_clear();
	v = call->judge(&call->t->resp, call->arg, &wait);
	if (v == HTTP_VERDICT_DONE) {
		call->state = HTTP_CALL_DONE;
		return call->state;
	}
	cause = xstrdup(error_msg()[0] ? error_msg() :
			http_describe(&call->t->resp));
	if (v == HTTP_VERDICT_FAIL) {
		call_fail(call, cause, 1);
	} else if (wait > HTTP_MAX_WAIT) {
		char *m = xasprintf("%s; the server asks to wait %.0f s",
				    cause, wait);
		call_fail(call, m, 0);
		free(m);
	} else if (call->attempts >= HTTP_MAX_TRIES) {
		call_fail(call, cause, 1);
	} else {
		delay = wait >= 0 ? wait :
			http_backoff_delay(call->attempts, call_random(call)) *
			http_time_scale();
		if (now + delay >= call->deadline) {
			call_fail(call, cause, 1);
		} else {
			call->not_before = now + delay;
			call->state = HTTP_CALL_WAITING;
			/* the judge's words may quote the server, secrets
			 * and all: not left in the slot while waiting */
			error_clear();
		}
	}
	free(cause);
	return call->state;
}

int
http_call_timeout_ms(const struct http_call *call)
{
	double left;

	if (call->state != HTTP_CALL_WAITING)
		return call->state == HTTP_CALL_RUNNING ? 100 : 0;
	left = call->not_before - now_mono();
	if (left <= 0)
		return 0;
	return (int)ceil(left * 1000);
}

const struct http_response *
http_call_response(const struct http_call *call)
{
	return call->t ? &call->t->resp : NULL;
}

const char *
http_call_error(const struct http_call *call)
{
	return call->err ? call->err : "";
}

int
http_call_attempts(const struct http_call *call)
{
	return call->attempts;
}

int
http_call_run(struct http_call *call)
{
	enum http_call_state st;
	int ms;

	for (;;) {
		st = http_call_poll(call);
		if (st == HTTP_CALL_DONE)
			return DL_OK;
		if (st == HTTP_CALL_FAILED)
			return error_set("%s", call->err);
		ms = http_call_timeout_ms(call);
		if (st == HTTP_CALL_WAITING && ms > 0) {
			/* Nothing in flight: curl_multi_poll just sleeps. */
			if (http_client_wait(call->client, ms > 1000 ? 1000 : ms,
					     -1, NULL) < 0)
				return DL_ERR;
		} else if (st == HTTP_CALL_RUNNING) {
			if (http_client_wait(call->client, ms, -1, NULL) < 0)
				return DL_ERR;
		}
	}
}

/* ---- server text and secrets ---- */

char *
http_server_text(const char *s, size_t max)
{
	size_t n, cut;

	if (!s)
		return xstrdup("");
	n = strlen(s);
	if (n <= max)
		return xstrdup(s);
	/* Cut before the word that does not fit, never inside it, with
	 * room for " ..." within max. */
	cut = max > 4 ? max - 4 : 0;
	while (cut > 0 && !isspace((unsigned char)s[cut]))
		cut--;
	while (cut > 0 && isspace((unsigned char)s[cut - 1]))
		cut--;
	if (cut == 0)
		return xstrdup(max >= 3 ? "..." : "");
	return xasprintf("%.*s ...", (int)cut, s);
}

/* s[0..] starts with word, ignoring ASCII case. */
static size_t
starts_ci(const char *s, const char *word)
{
	size_t n = strlen(word);

	return strncasecmp(s, word, n) == 0 ? n : 0;
}

/* Characters a credential in a query string or header may be made of. */
static int
cred_char(unsigned char c)
{
	return c > 0x20 && c != 0x7f && !strchr("&#\"'<>,;()[]{}\\", c);
}

/* A value after "token " that looks like a credential, not a word. */
static size_t
token_like(const char *s)
{
	size_t n;
	int digit = 0;

	for (n = 0; isalnum((unsigned char)s[n]) || s[n] == '_' ||
		    s[n] == '-' || s[n] == '.'; n++)
		if (isdigit((unsigned char)s[n]) || s[n] == '_')
			digit = 1;
	return n >= 8 && digit ? n : 0;
}

/* The value of hex digit c, or -1. */
static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * Length of the text at t spelling secret, each of its bytes as itself,
 * percent-encoded (%2A, %2a) or encoded twice (%252A), in any mix: what
 * query strings, encodeURIComponent and a server's echo may make of a
 * key.  0 when it does not.
 */
static size_t
spells(const char *t, const char *secret)
{
	size_t i = 0;

	for (; *secret; secret++) {
		unsigned char c = (unsigned char)*secret;
		size_t at = i;

		if ((unsigned char)t[i] == c) {
			i++;
			continue;
		}
		if (t[i] != '%')
			return 0;
		at = i + 1;
		if (t[at] == '2' && t[at + 1] == '5')	/* %25: a '%' itself */
			at += 2;
		if (hexval(t[at]) < 0 || hexval(t[at + 1]) < 0 ||
		    hexval(t[at]) * 16 + hexval(t[at + 1]) != c)
			return 0;
		i = at + 2;
	}
	return i;
}

/* Pass one: every spelling of the configured secrets becomes "***". */
static char *
redact_known(const char *s, const char *const *secrets)
{
	struct strbuf sb;
	size_t i, k, n = 0;

	sb_init(&sb);
	for (i = 0; s[i];) {
		for (k = 0; secrets && secrets[k]; k++)
			if (*secrets[k] && (n = spells(s + i, secrets[k])) > 0)
				break;
		if (secrets && secrets[k]) {
			sb_adds(&sb, "***");
			i += n;
		} else {
			sb_addc(&sb, s[i++]);
		}
	}
	return sb_detach(&sb);
}

/* Pass two: credentials of any value, by their shape. */
static char *
redact_shapes(const char *s)
{
	static const char *const params[] = { "key=", "token=" };
	struct strbuf sb;
	size_t i, k, n, w;

	sb_init(&sb);
	for (i = 0; s[i];) {
		/* Any key=/token= value (access_token=, api_key= too). */
		for (k = 0; k < ARRAY_SIZE(params); k++)
			if ((w = starts_ci(s + i, params[k])) != 0)
				break;
		if (k < ARRAY_SIZE(params)) {
			sb_add(&sb, s + i, w);
			i += w;
			for (n = 0; cred_char((unsigned char)s[i + n]) &&
				    s[i + n] != '&'; n++)
				;
			if (n)
				sb_adds(&sb, "***");
			i += n;
			continue;
		}
		/* "Bearer X" always; "token X" when X looks like one. */
		if ((i == 0 || !isalnum((unsigned char)s[i - 1])) &&
		    ((w = starts_ci(s + i, "bearer")) ||
		     (w = starts_ci(s + i, "token"))) &&
		    (s[i + w] == ' ' || s[i + w] == '\t')) {
			int bearer = w == 6;

			for (n = w; s[i + n] == ' ' || s[i + n] == '\t'; n++)
				;
			if (bearer)
				for (k = 0; cred_char((unsigned char)s[i + n + k]);
				     k++)
					;
			else
				k = token_like(s + i + n);
			if (k) {
				sb_add(&sb, s + i, n);
				sb_adds(&sb, "***");
				i += n + k;
				continue;
			}
		}
		sb_addc(&sb, s[i++]);
	}
	return sb_detach(&sb);
}

char *
http_redact(const char *s, const char *const *secrets)
{
	char *known, *out;

	if (!s)
		return xstrdup("");
	known = redact_known(s, secrets);
	out = redact_shapes(known);
	free(known);
	return out;
}
