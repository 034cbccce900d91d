/*
 * safe.c - the dashboard's last line of defence: every byte of post text
 * goes through safe_next() before curses sees it.  Upstream sanitising
 * (text.c) should already have removed escapes; this does not trust it.
 */
#include "config.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dlrepro/util.h"
#include "safe.h"

static int safe_utf8 = 1;

void
safe_init_locale(void)
{
	const char *cs = nl_langinfo(CODESET);

	safe_utf8 = cs && (strcasecmp(cs, "UTF-8") == 0 ||
			   strcasecmp(cs, "utf8") == 0);
}

int
safe_is_utf8(void)
{
	return safe_utf8;
}

void
safe_iter_init(struct safe_iter *it, const char *s, size_t len)
{
	it->s = (const unsigned char *)s;
	it->len = len;
	it->pos = 0;
	it->utf8 = safe_utf8;
}

/* Decode one code point at *pos; invalid input yields -1 and one byte. */
static long
utf8_decode(const unsigned char *s, size_t len, size_t *pos)
{
	size_t i = *pos;
	unsigned c = s[i];
	long cp;
	int n, k;

	if (c < 0x80) {
		*pos = i + 1;
		return c;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 1;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 2;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 3;
		cp = c & 0x07;
	} else {
		*pos = i + 1;
		return -1;
	}
	for (k = 1; k <= n; k++) {
		if (i + k >= len || (s[i + k] & 0xC0) != 0x80) {
			*pos = i + 1;
			return -1;
		}
		cp = (cp << 6) | (s[i + k] & 0x3F);
	}
	if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
		*pos = i + 1;
		return -1;
	}
	*pos = i + n + 1;
	return cp;
}

/* Skip a control string (OSC, DCS, SOS, PM, APC) up to its terminator. */
static void
skip_string(struct safe_iter *it)
{
	while (it->pos < it->len) {
		unsigned c = it->s[it->pos];

		if (c == 0x07) {
			it->pos++;
			return;
		}
		if (c == '\n')
			return;	/* keep the text's lines; nothing is emitted */
		if (c == 0x1B && it->pos + 1 < it->len &&
		    it->s[it->pos + 1] == '\\') {
			it->pos += 2;
			return;
		}
		if (c == 0xC2 && it->pos + 1 < it->len &&
		    it->s[it->pos + 1] == 0x9C) {
			it->pos += 2;
			return;
		}
		it->pos++;
	}
}

static void
skip_csi(struct safe_iter *it)
{
	while (it->pos < it->len) {
		unsigned c = it->s[it->pos];

		if (c == '\n')
			return;
		it->pos++;
		if (c >= 0x40 && c <= 0x7E)
			return;
	}
}

/* After ESC: skip the rest of the sequence it introduces. */
static void
skip_escape(struct safe_iter *it)
{
	unsigned c;

	if (it->pos >= it->len)
		return;
	c = it->s[it->pos];
	if (c == '[') {
		it->pos++;
		skip_csi(it);
	} else if (c == ']' || c == 'P' || c == 'X' || c == '^' ||
		   c == '_') {
		it->pos++;
		skip_string(it);
	} else if (c >= 0x20 && c <= 0x2F) {
		while (it->pos < it->len && it->s[it->pos] >= 0x20 &&
		       it->s[it->pos] <= 0x2F)
			it->pos++;
		if (it->pos < it->len && it->s[it->pos] >= 0x30 &&
		    it->s[it->pos] <= 0x7E)
			it->pos++;
	} else if (c >= 0x30 && c <= 0x7E) {
		it->pos++;
	}
}

int
safe_next(struct safe_iter *it, wchar_t *wc, int *width, size_t *start)
{
	wchar_t ph = it->utf8 ? (wchar_t)SAFE_PLACEHOLDER : L'?';

	while (it->pos < it->len) {
		size_t at = it->pos;
		long cp = utf8_decode(it->s, it->len, &it->pos);
		int w;

		*start = at;
		if (cp == '\n' || cp == '\t') {
			*wc = (wchar_t)cp;
			*width = 0;
			return 1;
		}
		if (cp == 0x1B) {
			skip_escape(it);
			continue;
		}
		if (cp == 0x9B) {
			skip_csi(it);
			continue;
		}
		if (cp == 0x9D || cp == 0x90 || cp == 0x98 || cp == 0x9E ||
		    cp == 0x9F) {
			skip_string(it);
			continue;
		}
		if (cp == '\r' || cp == 0)
			continue;
		if (cp < 0 || cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
			*wc = ph;
			*width = 1;
			return 1;
		}
		if (cp < 0x7F) {
			*wc = (wchar_t)cp;
			*width = 1;
			return 1;
		}
		if (!it->utf8) {
			*wc = L'?';
			*width = 1;
			return 1;
		}
		w = wcwidth((wchar_t)cp);
		if (w == 0)
			continue;
		if (w < 0) {
			*wc = ph;
			*width = 1;
			return 1;
		}
		*wc = (wchar_t)cp;
		*width = w > 2 ? 2 : w;
		return 1;
	}
	return 0;
}

int
safe_width(const char *s, size_t len)
{
	struct safe_iter it;
	wchar_t wc;
	int w, total = 0;
	size_t at;

	safe_iter_init(&it, s, len);
	while (safe_next(&it, &wc, &w, &at))
		total += wc == L'\t' ? 1 : w;
	return total;
}

static void
sb_add_wc(struct strbuf *sb, wchar_t wc)
{
	char buf[8];
	unsigned long c = (unsigned long)wc;
	size_t n;

	if (c < 0x80) {
		buf[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		buf[0] = (char)(0xC0 | (c >> 6));
		buf[1] = (char)(0x80 | (c & 0x3F));
		n = 2;
	} else if (c < 0x10000) {
		buf[0] = (char)(0xE0 | (c >> 12));
		buf[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		buf[2] = (char)(0x80 | (c & 0x3F));
		n = 3;
	} else {
		buf[0] = (char)(0xF0 | (c >> 18));
		buf[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		buf[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		buf[3] = (char)(0x80 | (c & 0x3F));
		n = 4;
	}
	sb_add(sb, buf, n);
}

char *
safe_fit(const char *s, int maxw, int *width)
{
	struct strbuf sb;
	struct safe_iter it;
	wchar_t wc;
	int w, used = 0;
	size_t at;
	int full = safe_width(s ? s : "", s ? strlen(s) : 0) <= maxw;
	int room = full ? maxw : maxw - 1;

	sb_init(&sb);
	if (s && maxw > 0) {
		safe_iter_init(&it, s, strlen(s));
		while (safe_next(&it, &wc, &w, &at)) {
			if (wc == L'\n' || wc == L'\t') {
				wc = L' ';
				w = 1;
			}
			if (used + w > room)
				break;
			sb_add_wc(&sb, wc);
			used += w;
		}
		if (!full && room >= 0) {
			sb_adds(&sb, safe_utf8 ? "\xe2\x80\xa6" : "~");
			used++;
		}
	}
	if (width)
		*width = used;
	return sb_detach(&sb);
}

char *
safe_fit_id(const char *id, int maxw, int *width)
{
	struct safe_iter it;
	struct strbuf sb;
	wchar_t wc, *wcs = NULL;
	int w, *ws = NULL, avail, headw, tailw, used = 0;
	size_t n = 0, cap = 0, i, mark, tail;
	size_t at;

	if (!id || maxw <= 0 || safe_width(id, strlen(id)) <= maxw)
		return safe_fit(id, maxw, width);
	safe_iter_init(&it, id, strlen(id));
	while (safe_next(&it, &wc, &w, &at)) {
		if (wc == L'\n' || wc == L'\t') {
			wc = L' ';
			w = 1;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			wcs = xreallocarray(wcs, cap, sizeof(*wcs));
			ws = xreallocarray(ws, cap, sizeof(*ws));
		}
		wcs[n] = wc;
		ws[n++] = w;
	}
	avail = maxw - 1;	/* the ellipsis takes one */
	/* The tail: from the last '#' ("#12"), else past the last ':'. */
	mark = n;
	for (i = n; i-- > 0;)
		if (wcs[i] == L'#') {
			mark = i;
			break;
		}
	if (mark == n)
		for (i = n; i-- > 0;)
			if (wcs[i] == L':') {
				mark = i + 1;
				break;
			}
	tailw = 0;
	for (i = mark; i < n; i++)
		tailw += ws[i];
	if (mark == n || tailw == 0)
		tailw = avail - avail / 2;	/* no mark: the end half */
	else if (tailw > avail - (avail < 6 ? avail / 2 : 3))
		tailw = avail - (avail < 6 ? avail / 2 : 3);	/* keep "so:" */
	headw = avail - tailw;
	sb_init(&sb);
	for (i = 0; i < n && used + ws[i] <= headw; i++) {
		sb_add_wc(&sb, wcs[i]);
		used += ws[i];
	}
	sb_adds(&sb, safe_utf8 ? "\xe2\x80\xa6" : "~");
	used++;
	/* As many cells from the end as fit in what is left. */
	for (tail = n, w = 0; tail > 0 && used + w + ws[tail - 1] <= maxw;
	     tail--)
		w += ws[tail - 1];
	for (i = tail; i < n; i++)
		sb_add_wc(&sb, wcs[i]);
	used += w;
	free(wcs);
	free(ws);
	if (width)
		*width = used;
	return sb_detach(&sb);
}

static void
add_line(struct safe_line **lines, size_t *cap, size_t *nlines, size_t start,
	 size_t end, int indent)
{
	if (*nlines == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		*lines = xreallocarray(*lines, *cap, sizeof(**lines));
	}
	(*lines)[*nlines].start = start;
	(*lines)[*nlines].end = end;
	(*lines)[*nlines].indent = indent;
	(*nlines)++;
}

/*
 * Columns a continuation of the line s[0, n) hangs by: its leading
 * spaces and a list marker after them; 0 when that leaves less than
 * half of width.
 */
static int
hang_of(const char *s, size_t n, int width)
{
	size_t i = 0, d;

	while (i < n && s[i] == ' ')
		i++;
	if (i + 1 < n && (s[i] == '-' || s[i] == '*') && s[i + 1] == ' ')
		i += 2;
	else {
		for (d = i; d < n && d - i < 3 && s[d] >= '0' && s[d] <= '9';
		     d++)
			;
		if (d > i && d + 1 < n && s[d] == '.' && s[d + 1] == ' ')
			i = d + 2;
	}
	return i * 2 <= (size_t)width ? (int)i : 0;
}

size_t
safe_wrap(const char *s, size_t n, int width, struct safe_line **lines,
	  size_t *cap)
{
	size_t ls = 0, nlines = 0;

	if (width < 1)
		width = 1;
	while (ls < n) {
		const char *nl = memchr(s + ls, '\n', n - ls);
		size_t le = nl ? (size_t)(nl - s) : n;
		struct safe_iter it;
		wchar_t wc;
		int cw, used = 0, indent = 0, w = width;
		int hang = hang_of(s + ls, le - ls, width);
		size_t at, start = ls, last_space = 0;

		safe_iter_init(&it, s + ls, le - ls);
		while (safe_next(&it, &wc, &cw, &at)) {
			size_t abs = ls + at;

			if (abs < start)
				continue;	/* spaces eaten by a break */
			if (wc == L'\t')
				cw = 1;
			if (used + cw > w) {
				size_t cut = abs;

				/* at a space that does not fit, else after
				 * the last space, unless what moves would
				 * not fit the next line either */
				if (wc != L' ' && last_space > start &&
				    safe_width(s + last_space,
					       abs - last_space) + cw <=
					    width - hang)
					cut = last_space;

				/* A lone cell wider than the line: keep it. */
				if (cut == start && used == 0) {
					used = cw;
					continue;
				}
				add_line(lines, cap, &nlines, start, cut,
					 indent);
				/* what follows hangs under the text */
				indent = hang;
				w = width - hang;
				start = cut;
				while (start < le && s[start] == ' ')
					start++;
				last_space = 0;
				if (start > abs) {
					used = 0;
					continue;
				}
				/* re-measure what moved to the new line */
				used = safe_width(s + start, abs - start);
			}
			if (wc == L' ')
				last_space = abs + 1;
			used += cw;
		}
		add_line(lines, cap, &nlines, start, le, indent);
		ls = le + 1;
	}
	return nlines;
}
