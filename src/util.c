/*
 * util.c - allocation that cannot fail, growable strings and string
 * vectors, the per-thread error slot, time and small parsing helpers.
 * Everything else in the program builds on these.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dlrepro/text.h"
#include "dlrepro/util.h"

void
fatal(const char *fmt, ...)
{
	va_list ap;

	fputs("dlrepro: fatal: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		fatal("out of memory (%zu bytes)", n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		fatal("out of memory (%zu x %zu bytes)", nmemb, size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		fatal("out of memory (%zu bytes)", n);
	return q;
}

void *
xreallocarray(void *p, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size)
		fatal("allocation overflow (%zu x %zu)", nmemb, size);
	return xrealloc(p, nmemb * size);
}

char *
xstrdup(const char *s)
{
	return s == NULL ? NULL : xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *d;
	size_t len = 0;

	while (len < n && s[len] != '\0')
		len++;
	d = xmalloc(len + 1);
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

char *
xasprintf(const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;

	sb_init(&sb);
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	return sb_detach(&sb);
}

/* ---- the error slot ---- */

static _Thread_local char error_buf[1024];

int
error_set(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(error_buf, sizeof error_buf, fmt, ap);
	va_end(ap);
	return DL_ERR;
}

int
error_prefix(const char *fmt, ...)
{
	char head[512], old[sizeof error_buf];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(head, sizeof head, fmt, ap);
	va_end(ap);
	memcpy(old, error_buf, sizeof old);
	/* Truncation is acceptable: the message stays one bounded line. */
	size_t hl = strlen(head), ol = strlen(old);

	if (hl >= sizeof error_buf)
		hl = sizeof error_buf - 1;
	memcpy(error_buf, head, hl);
	if (ol > sizeof error_buf - 1 - hl)
		ol = sizeof error_buf - 1 - hl;
	memcpy(error_buf + hl, old, ol);
	error_buf[hl + ol] = '\0';
	return DL_ERR;
}

const char *
error_msg(void)
{
	return error_buf[0] != '\0' ? error_buf : "unknown error";
}

void
error_clear(void)
{
	error_buf[0] = '\0';
}

/* ---- strbuf ---- */

void
sb_init(struct strbuf *sb)
{
	sb->cap = 64;
	sb->len = 0;
	sb->s = xmalloc(sb->cap);
	sb->s[0] = '\0';
}

void
sb_done(struct strbuf *sb)
{
	free(sb->s);
	sb->s = NULL;
	sb->len = sb->cap = 0;
}

void
sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	sb->s[0] = '\0';
}

void
sb_grow(struct strbuf *sb, size_t extra)
{
	size_t need;

	if (extra > SIZE_MAX - sb->len - 1)
		fatal("string too long");
	need = sb->len + extra + 1;
	if (need <= sb->cap)
		return;
	while (sb->cap < need)
		sb->cap = sb->cap > SIZE_MAX / 2 ? need : sb->cap * 2;
	sb->s = xrealloc(sb->s, sb->cap);
}

void
sb_add(struct strbuf *sb, const char *s, size_t n)
{
	sb_grow(sb, n);
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

void
sb_adds(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void
sb_addc(struct strbuf *sb, char c)
{
	sb_grow(sb, 1);
	sb->s[sb->len++] = c;
	sb->s[sb->len] = '\0';
}

void
sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(sb->s + sb->len, sb->cap - sb->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		fatal("bad format string");
	if ((size_t)n >= sb->cap - sb->len) {
		sb_grow(sb, (size_t)n);
		vsnprintf(sb->s + sb->len, sb->cap - sb->len, fmt, ap);
	}
	sb->len += (size_t)n;
}

void
sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

char *
sb_detach(struct strbuf *sb)
{
	char *s = sb->s;

	sb->s = NULL;
	sb->len = sb->cap = 0;
	return s;
}

/* ---- strvec ---- */

void
sv_init(struct strvec *sv)
{
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

void
sv_done(struct strvec *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv_init(sv);
}

void
sv_push_owned(struct strvec *sv, char *s)
{
	if (sv->n + 1 >= sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 8;
		sv->v = xreallocarray(sv->v, sv->cap, sizeof *sv->v);
	}
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
}

void
sv_push(struct strvec *sv, const char *s)
{
	sv_push_owned(sv, xstrdup(s));
}

void
sv_uniq(struct strvec *sv)
{
	size_t n = 0;

	for (size_t i = 0; i < sv->n; i++) {
		size_t j;

		for (j = 0; j < n && strcmp(sv->v[j], sv->v[i]) != 0; j++)
			;
		if (j < n)
			free(sv->v[i]);
		else
			sv->v[n++] = sv->v[i];
	}
	sv->n = n;
	if (sv->v != NULL)
		sv->v[n] = NULL;
}

/* ---- time ---- */

double
now_wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double
now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
format_iso8601(double t, char *buf, size_t len)
{
	time_t secs = (time_t)t;
	int ms = (int)((t - (double)secs) * 1000.0 + 0.5);
	struct tm tm;

	if (ms >= 1000) {
		secs++;
		ms -= 1000;
	}
	gmtime_r(&secs, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, ms);
}

/* n digits at s into *v; 0 if any is not a digit */
static int
digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		*v = *v * 10 + (s[i] - '0');
	}
	return 1;
}

/*
 * YYYY-MM-DD, optionally followed by T or a space and HH:MM, :SS and a
 * fraction, then Z or +00:00: fixed-width digits only (no signs, spaces
 * or exponents), a day the month has, seconds below 60.
 */
int
parse_iso8601(const char *s, double *out)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, sec = 0;
	double frac = 0;
	const char *p = s;
	time_t t;
	struct tm back;

	memset(&tm, 0, sizeof tm);
	if (!digits(p, 4, &y) || p[4] != '-' || !digits(p + 5, 2, &mo) ||
	    p[7] != '-' || !digits(p + 8, 2, &d))
		return error_set("'%s' is not a date (want YYYY-MM-DD, or "
				 "YYYY-MM-DDTHH:MM[:SS]Z for a time)", s);
	p += 10;
	if (*p == 'T' || *p == ' ') {
		if (!digits(p + 1, 2, &h) || p[3] != ':' ||
		    !digits(p + 4, 2, &mi))
			return error_set("'%s' is not an ISO-8601 time (want "
					 "YYYY-MM-DDTHH:MM[:SS]Z)", s);
		p += 6;
		if (*p == ':') {
			if (!digits(p + 1, 2, &sec))
				return error_set("'%s' is not an ISO-8601 "
						 "time (want "
						 "YYYY-MM-DDTHH:MM[:SS]Z)", s);
			p += 3;
			if (*p == '.' && isdigit((unsigned char)p[1])) {
				double scale = 0.1;

				for (p++; isdigit((unsigned char)*p); p++) {
					frac += (*p - '0') * scale;
					scale /= 10;
				}
			}
		}
		if (*p == 'Z')
			p++;
		else if (strncmp(p, "+00:00", 6) == 0)
			p += 6;
	}
	if (*p != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 59)
		return error_set("'%s' is not a valid UTC date", s);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	/* timegm() carries 2024-02-30 into March: not a date */
	if (gmtime_r(&t, &back) == NULL || back.tm_mday != d ||
	    back.tm_mon != mo - 1)
		return error_set("'%s' is not a valid UTC date", s);
	*out = (double)t + frac;
	return DL_OK;
}

ssize_t
read_line_max(FILE *f, char **line, size_t *cap, size_t max)
{
	ssize_t rc = 0;
	size_t n = 0;
	int c;

	if (*line == NULL || *cap < 2) {
		*cap = 128;
		*line = xrealloc(*line, *cap);
	}
	flockfile(f);
	while ((c = getc_unlocked(f)) != EOF) {
		if (c == '\0') {
			rc = READ_LINE_NUL;
			break;
		}
		if (n >= max) {
			rc = READ_LINE_LONG;
			break;
		}
		if (n + 2 > *cap) {
			/* doubling, but not far past the limit */
			size_t want = *cap > max / 2 ? max + 2 : *cap * 2;

			*line = xrealloc(*line, want);
			*cap = want;
		}
		(*line)[n++] = (char)c;
		if (c == '\n')
			break;
	}
	funlockfile(f);
	(*line)[n < *cap ? n : *cap - 1] = '\0';
	if (rc != 0)
		return rc;
	return n == 0 && c == EOF ? -1 : (ssize_t)n;
}

int
parse_int64(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return error_set("'%s' is not a number", s ? s : "");
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return error_set("'%s' is not a number", s);
	*out = v;
	return DL_OK;
}

const char *
strcasestr_ascii(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0)
		return hay;
	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return hay;
	return NULL;
}

int
mkdir_p(const char *path, unsigned mode)
{
	char *tmp = xstrdup(path);
	int rc = DL_OK;

	for (char *p = tmp + 1;; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;

			*p = '\0';
			if (mkdir(tmp, (mode_t)mode) != 0 && errno != EEXIST) {
				rc = error_set("%s: cannot create directory: %s",
					       tmp, strerror(errno));
				break;
			}
			*p = c;
			if (c == '\0')
				break;
		}
	}
	free(tmp);
	return rc;
}

const char *
tmp_dir(void)
{
	const char *t = getenv("TMPDIR");

	return t && *t ? t : "/tmp";
}

/*
 * A binary run from its build tree, before `make install`, finds no
 * pkgdatadir; it falls back to the source tree's data/ it was built from,
 * so `./src/dlrepro analyze ...` works without DLREPRO_DATADIR.
 */
const char *
datadir(void)
{
	const char *d = getenv("DLREPRO_DATADIR");

	if (d != NULL && *d != '\0')
		return d;
#ifdef SRCDATADIR
	if (access(PKGDATADIR "/taxonomy.json", R_OK) != 0 &&
	    access(SRCDATADIR "/taxonomy.json", R_OK) == 0)
		return SRCDATADIR;
#endif
	return PKGDATADIR;
}

/*
 * The \u0000 escapes of in[0, len) dropped: bytes kept go to out (which
 * may be in; NULL: only counted) until stop of them are kept.  Returns
 * how many were kept; *in_at the input bytes read.
 */
static size_t
nul_walk(const char *in, size_t len, char *out, size_t stop, size_t *in_at)
{
	size_t i = 0, o = 0;
	int in_str = 0;

	while (i < len && o < stop) {
		char c = in[i];
		size_t k = 1;

		if (in_str && c == '\\' && i + 6 <= len &&
		    memcmp(in + i + 1, "u0000", 5) == 0) {
			i += 6;
			continue;
		}
		if (in_str && c == '\\' && i + 1 < len)
			k = 2;	/* an escape: its second byte is not a quote */
		else if (c == '"')
			in_str = !in_str;
		for (; k > 0; k--, i++, o++)
			if (out != NULL)
				out[o] = in[i];
	}
	/* stopped: the next kept byte is past any escapes dropped here */
	while (in_str && i + 6 <= len && in[i] == '\\' &&
	       memcmp(in + i + 1, "u0000", 5) == 0)
		i += 6;
	if (in_at != NULL)
		*in_at = i;
	return o;
}

size_t
json_drop_nul_escapes(char *s, size_t len)
{
	size_t o;

	if (memmem(s, len, "\\u0000", 6) == NULL)
		return len;
	o = nul_walk(s, len, s, SIZE_MAX, NULL);
	if (o < len)
		s[o] = '\0';
	return o;
}

size_t
json_nul_offset(const char *orig, size_t len, size_t at)
{
	size_t i;

	nul_walk(orig, len, NULL, at, &i);
	return i;
}

const char *
json_without_nul(const char *s, size_t *len, char **tmp)
{
	*tmp = NULL;
	if (*len < 6 || memmem(s, *len, "\\u0000", 6) == NULL)
		return s;
	*tmp = xmalloc(*len + 1);
	memcpy(*tmp, s, *len);
	(*tmp)[*len] = '\0';
	*len = json_drop_nul_escapes(*tmp, *len);
	return *tmp;
}

static int term_ascii;

void
term_safe_ascii(int on)
{
	term_ascii = on;
}

/* The dashboard's rules, from the one sanitiser (text.c). */
char *
term_safe(const char *s)
{
	char *out = text_sanitize_line(s ? s : "", s ? strlen(s) : 0);
	size_t i, o;

	if (!term_ascii)
		return out;
	/*
	 * A terminal that is not UTF-8 reads bytes 0x80-0x9f as C1
	 * controls (0x9b is CSI): "ě" is c4 9b.  The text is valid UTF-8
	 * here, so each character beyond ASCII, whole, becomes one '?',
	 * as ls shows such names on such a terminal.
	 */
	for (i = o = 0; out[i]; o++) {
		if ((unsigned char)out[i] < 0x80) {
			out[o] = out[i++];
			continue;
		}
		out[o] = '?';
		for (i++; ((unsigned char)out[i] & 0xc0) == 0x80; i++)
			;
	}
	out[o] = '\0';
	return out;
}
