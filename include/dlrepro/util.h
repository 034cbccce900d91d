/*
 * util.h - allocation that cannot fail, growable strings, the one error
 * slot, and small helpers shared by every module.
 *
 * Out-of-memory ends the program from one place (xmalloc and friends), so
 * callers never check allocations.  Fallible functions return DL_OK (0) or
 * DL_ERR (-1) and set the message once with error_set(), where the failure is
 * understood; the caller that reports it reads error_msg() once.
 */
#ifndef DLREPRO_UTIL_H
#define DLREPRO_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define DL_OK 0
#define DL_ERR (-1)
#define DL_NOTFOUND 1

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define DL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define DL_NORETURN __attribute__((noreturn))
#define DL_UNUSED __attribute__((unused))
#else
#define DL_PRINTF(f, a)
#define DL_NORETURN
#define DL_UNUSED
#endif

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* xreallocarray: p grown to nmemb * size, overflow-checked. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);             /* NULL in -> NULL out */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) DL_PRINTF(1, 2);
DL_NORETURN void fatal(const char *fmt, ...) DL_PRINTF(1, 2);

/*
 * The error slot: one message per thread.  error_set() formats it and
 * returns DL_ERR so that "return error_set(...)" reads naturally.
 * error_prefix() prepends context ("import data.json: ") to the message
 * already there.
 */
int error_set(const char *fmt, ...) DL_PRINTF(1, 2);
int error_prefix(const char *fmt, ...) DL_PRINTF(1, 2);
const char *error_msg(void);
void error_clear(void);

/* Growable NUL-terminated byte string; sb_init/sb_done pair. */
struct strbuf {
	char *s;	/* always NUL-terminated once initialised */
	size_t len;
	size_t cap;
};

void sb_init(struct strbuf *sb);
void sb_done(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_grow(struct strbuf *sb, size_t extra);
void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) DL_PRINTF(2, 3);
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap) DL_PRINTF(2, 0);
/* sb_detach: the string now belongs to the caller; sb is reset. */
char *sb_detach(struct strbuf *sb);

/* Vector of owned strings; sv_init/sv_done pair. */
struct strvec {
	char **v;
	size_t n;
	size_t cap;
};

void sv_init(struct strvec *sv);
void sv_done(struct strvec *sv);
void sv_push(struct strvec *sv, const char *s);     /* copies s */
void sv_push_owned(struct strvec *sv, char *s);     /* takes s */
void sv_uniq(struct strvec *sv);	/* drops repeats, keeps first order */

/* Wall-clock time as Unix seconds with sub-second precision (UTC). */
double now_wall(void);
/* Monotonic seconds, for durations within one process. */
double now_mono(void);
/* ISO-8601 UTC ("2024-01-02T03:04:05.123Z") into buf (>= 32 bytes). */
void format_iso8601(double t, char *buf, size_t len);
/* Parse "YYYY-MM-DD" or full ISO-8601 UTC; DL_OK or DL_ERR (message set). */
int parse_iso8601(const char *s, double *out);

/*
 * getline() for input that may be anything (/dev/zero, one endless
 * line): one line, its '\n' included, into *line (grown as needed, *cap
 * its size, NUL-terminated); returns its length, or -1 at the end of the
 * file or on a read error (ferror() tells which).  A line longer than max
 * bytes gives READ_LINE_LONG and one holding a NUL byte READ_LINE_NUL as
 * soon as that is known, the rest of the line unread, so memory stays
 * under about max bytes and a stream of NULs is refused at once.
 */
#define READ_LINE_LONG (-2)
#define READ_LINE_NUL (-3)
ssize_t read_line_max(FILE *f, char **line, size_t *cap, size_t max);

/* Parse a base-10 integer that must fill the whole string. */
int parse_int64(const char *s, int64_t *out);

/*
 * A copy of s safe to print on a terminal in one line, by the rules the
 * dashboard draws with (text_sanitize_line() in text.h): escape sequences
 * dropped whole, NUL and CR dropped, newline and tab become spaces, other
 * C0/C1 controls, DEL and invalid UTF-8 become U+FFFD.  NULL gives "".
 * Caller frees.
 */
char *term_safe(const char *s);
/*
 * With on, term_safe() also shows every character beyond ASCII as '?':
 * for a terminal whose locale is not UTF-8 (main() decides), where the
 * bytes of UTF-8 text would be taken for C1 controls.
 */
void term_safe_ascii(int on);

/*
 * Remove every \u0000 escape inside the strings of the JSON text
 * s[0, len) in place; returns the new length.  cJSON ends a decoded string
 * at its first NUL ("nul\u0000byte" would be read as "nul"), and stored
 * text holds no NUL anyway, so files are read with NUL removed, not cut.
 */
size_t json_drop_nul_escapes(char *s, size_t len);
/* Byte at of the text json_drop_nul_escapes() made of orig, in orig. */
size_t json_nul_offset(const char *orig, size_t len, size_t at);
/*
 * The same for text the caller cannot write (an HTTP response): s itself
 * when it has no \u0000, else a cleaned copy left in *tmp (the caller
 * frees *tmp, NULL when s was returned); *len is updated.
 */
const char *json_without_nul(const char *s, size_t *len, char **tmp);

/* Case-insensitive ASCII substring search. */
const char *strcasestr_ascii(const char *hay, const char *needle);

/* Directory handling. mkdir_p creates missing parents with mode. */
int mkdir_p(const char *path, unsigned mode);

/*
 * Where data/ lives: $DLREPRO_DATADIR when set, else the compiled-in
 * pkgdatadir, else (not installed yet) the source tree's data/.
 * Returned string is static.
 */
const char *datadir(void);
/* Where temporary files go: $TMPDIR when set and not empty, else /tmp. */
const char *tmp_dir(void);

#endif
