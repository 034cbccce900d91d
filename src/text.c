/*
 * text.c - post bodies to sanitised plain text plus structure.
 *
 * Owns three front ends (libxml2's HTML parser, cmark, plain text) that all
 * feed one builder, and the sanitiser every byte of output goes through.
 * The builder only ever appends whole sanitised pieces and ASCII
 * separators, so every recorded offset falls on a UTF-8 boundary; a final
 * pass snaps the few offsets that could move when an empty block is rolled
 * back.  Tree walks are iterative (parent/next pointers, cmark's iterator)
 * so a 100,000-deep document costs heap, not stack.
 */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>
#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "dlrepro/text.h"
#include "dlrepro/util.h"

/* ---- sanitiser ---- */

/* Bytes that may be copied as they are: printable ASCII, '\t', '\n'. */
static int
plain_byte(unsigned char c)
{
	return (c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t';
}

/*
 * Length of a valid UTF-8 sequence at s (2..4), or 0 when the bytes there
 * do not start one.  *bad gets how many bytes make up the maximal invalid
 * prefix, so that one U+FFFD replaces it (Unicode's recommended practice).
 */
static size_t
utf8_seq(const unsigned char *s, size_t len, size_t *bad)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t n, i;

	*bad = 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;	/* no surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		unsigned char d;

		if (i >= len)
			return 0;
		d = s[i];
		if (i == 1 ? (d < lo || d > hi) : (d < 0x80 || d > 0xbf))
			return 0;
		*bad = i + 1;
	}
	return n;
}

/* Code point of a valid sequence of length n. */
static unsigned
utf8_cp(const unsigned char *s, size_t n)
{
	switch (n) {
	case 2:
		return ((unsigned)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
	case 3:
		return ((unsigned)(s[0] & 0x0f) << 12) |
		       ((unsigned)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
	default:
		return ((unsigned)(s[0] & 0x07) << 18) |
		       ((unsigned)(s[1] & 0x3f) << 12) |
		       ((unsigned)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
	}
}

/*
 * The bidirectional embedding, override and isolate controls (U+202A-
 * U+202E, U+2066-U+2069), as UTF-8 at s (n bytes): a terminal that does
 * bidi reorders what follows them, so "\u202egnp.exe" shows as
 * "exe.png" (Trojan Source, CVE-2021-42574).  They go like C1.
 */
static int
is_bidi_ctl(const unsigned char *s, size_t n)
{
	return n == 3 && s[0] == 0xe2 &&
	       ((s[1] == 0x80 && s[2] >= 0xaa && s[2] <= 0xae) ||
		(s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9));
}

/*
 * Skip a control string (OSC, DCS, SOS, PM, APC) whose introducer ended
 * at i.  It ends at BEL, ST (ESC '\' or U+009C) or, because a stray
 * introducer must not swallow the rest of a post, at a newline (kept) or
 * the end of the input.  Returns the index after the sequence.
 */
static size_t
skip_string(const unsigned char *s, size_t len, size_t i)
{
	while (i < len) {
		if (s[i] == 0x07)
			return i + 1;
		if (s[i] == '\n')
			return i;
		if (s[i] == 0x1b && i + 1 < len && s[i + 1] == '\\')
			return i + 2;
		if (s[i] == 0xc2 && i + 1 < len && s[i + 1] == 0x9c)
			return i + 2;
		i++;
	}
	return i;
}

/* Skip CSI parameters, intermediates and the final byte from i. */
static size_t
skip_csi(const unsigned char *s, size_t len, size_t i)
{
	while (i < len && s[i] >= 0x20 && s[i] <= 0x3f)
		i++;
	if (i < len && s[i] >= 0x40 && s[i] <= 0x7e)
		i++;
	return i;
}

/* Skip an escape sequence whose ESC is at i; returns the index after it. */
static size_t
skip_esc(const unsigned char *s, size_t len, size_t i)
{
	i++;
	if (i >= len)
		return i;
	switch (s[i]) {
	case '[':
		return skip_csi(s, len, i + 1);
	case ']':
	case 'P':
	case 'X':
	case '^':
	case '_':
		return skip_string(s, len, i + 1);
	default:
		break;
	}
	/* nF: intermediates then a final byte (ESC ( B); Fp/Fe/Fs: one byte */
	while (i < len && s[i] >= 0x20 && s[i] <= 0x2f)
		i++;
	if (i < len && s[i] >= 0x30 && s[i] <= 0x7e)
		i++;
	return i;
}

/*
 * Length of the run of plain_byte()s at s (at most len): sixteen bytes
 * per compare with SSE2; without, eight printable ASCII bytes per step
 * (the caller's byte loop takes '\t' and '\n').
 */
static size_t
ascii_run(const unsigned char *s, size_t len)
{
	size_t i = 0;

#if defined(__SSE2__)
	const __m128i lo = _mm_set1_epi8(0x1f), hi = _mm_set1_epi8(0x7f);

	while (i + 16 <= len) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)
					    (s + i));
		/* signed: bytes >= 0x80 are negative, so below lo too */
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
			_mm_and_si128(_mm_cmpgt_epi8(x, lo),
				      _mm_cmplt_epi8(x, hi)),
			_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\n')),
				     _mm_cmpeq_epi8(x, _mm_set1_epi8('\t')))));

		if (m != 0xffff)
			return i + (size_t)__builtin_ctz(~m);
		i += 16;
	}
#endif
	while (i + 8 <= len) {
		uint64_t x, lo8, hi8;

		memcpy(&x, s + i, 8);
		lo8 = (x - 0x2020202020202020ull) & ~x & 0x8080808080808080ull;
		hi8 = (x + 0x0101010101010101ull) & 0x8080808080808080ull;
		if ((x & 0x8080808080808080ull) || lo8 || hi8)
			break;
		i += 8;
	}
	while (i < len && s[i] >= 0x20 && s[i] < 0x7f)
		i++;
	return i;
}

static void
sanitize_into(struct strbuf *sb, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	sb_grow(sb, len);
	while (i < len) {
		size_t j = i, n, bad;
		unsigned cp;

		/* the longest run that needs no change: printable ASCII and
		 * valid UTF-8 above the C1 range */
		while (j < len) {
			j += ascii_run(s + j, len - j);
			if (j >= len)
				break;
			if (plain_byte(s[j])) {
				j++;
				continue;
			}
			if (s[j] < 0x80)
				break;
			n = utf8_seq(s + j, len - j, &bad);
			if (n == 0 || (n == 2 && s[j] == 0xc2 && s[j + 1] <= 0x9f) ||
			    is_bidi_ctl(s + j, n))
				break;
			j += n;
		}
		if (j > i) {
			sb_add(sb, (const char *)s + i, j - i);
			i = j;
			if (i >= len)
				break;
		}
		if (s[i] == 0x1b) {
			i = skip_esc(s, len, i);
			continue;
		}
		if (s[i] == '\r') {
			/* CR LF -> LF; a lone CR (progress bars) -> LF too */
			if (!(i + 1 < len && s[i + 1] == '\n'))
				sb_addc(sb, '\n');
			i++;
			continue;
		}
		if (s[i] < 0x80) {	/* other C0 controls, DEL */
			i++;
			continue;
		}
		n = utf8_seq(s + i, len - i, &bad);
		if (n == 0) {
			sb_add(sb, "\xef\xbf\xbd", 3);
			i += bad;
			continue;
		}
		cp = utf8_cp(s + i, n);
		if ((cp >= 0x80 && cp <= 0x9f) || is_bidi_ctl(s + i, n)) {
			/*
			 * C1 goes alone.  Without its introducer an 8-bit
			 * CSI or OSC is inert text, and U+0080-U+009F in
			 * real posts is mostly mojibake (a right quote read
			 * as Latin-1 ends in U+009D): taking the rest of the
			 * line with it, as a terminal would, lost text.
			 */
			i += n;
			continue;
		}
		sb_add(sb, (const char *)s + i, n);
		i += n;
	}
}

/* True when sanitize_into would copy s unchanged. */
static int
is_clean(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n, bad;

	while (i < len) {
		i += ascii_run(s + i, len - i);
		if (i >= len)
			break;
		if (plain_byte(s[i])) {
			i++;
			continue;
		}
		if (s[i] < 0x80)
			return 0;
		n = utf8_seq(s + i, len - i, &bad);
		if (n == 0 || (n == 2 && s[i] == 0xc2 && s[i + 1] <= 0x9f) ||
		    is_bidi_ctl(s + i, n))
			return 0;
		i += n;
	}
	return 1;
}

char *
text_sanitize(const char *s, size_t len)
{
	struct strbuf sb;

	sb_init(&sb);
	sanitize_into(&sb, s, len);
	return sb_detach(&sb);
}

/*
 * One line for a terminal, by the dashboard's rules (src/ui/safe.c):
 * 7-bit escape sequences go whole, NUL and CR go, '\n' and '\t' become
 * spaces,
 * and what is left of the controls and of invalid UTF-8 is shown as
 * U+FFFD, so that text an older version stored raw is visibly damaged
 * rather than silently shortened.
 */
char *
text_sanitize_line(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	struct strbuf sb;
	size_t i = 0, n, bad;
	unsigned cp;

	sb_init(&sb);
	sb_grow(&sb, len);
	while (i < len) {
		unsigned char c = s[i];

		if (c == 0x1b) {
			i = skip_esc(s, len, i);
		} else if (c == '\n' || c == '\t') {
			sb_addc(&sb, ' ');
			i++;
		} else if (c == '\r' || c == '\0') {
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			sb_add(&sb, "\xef\xbf\xbd", 3);
			i++;
		} else if (c < 0x80) {
			sb_addc(&sb, (char)c);
			i++;
		} else if ((n = utf8_seq(s + i, len - i, &bad)) == 0) {
			sb_add(&sb, "\xef\xbf\xbd", 3);
			i += bad;
		} else if ((cp = utf8_cp(s + i, n)) >= 0x80 && cp <= 0x9f) {
			/* C1 alone, as text_sanitize() drops it: inert
			 * without it, and mostly mojibake */
			sb_add(&sb, "\xef\xbf\xbd", 3);
			i += n;
		} else if (is_bidi_ctl(s + i, n)) {
			/* as the dashboard, which draws no zero-width
			 * character, and text_sanitize() drop it */
			i += n;
		} else {
			sb_add(&sb, (const char *)s + i, n);
			i += n;
		}
	}
	return sb_detach(&sb);
}

/* ---- builder ---- */

enum ctx_kind {
	CTX_LIST_ITEM,
	CTX_QUOTE,
	CTX_HEADING,
};

struct builder {
	struct strbuf sb;
	struct text_block *blocks;
	size_t nblocks, cap_blocks;
	struct text_span *spans;
	size_t nspans, cap_spans;

	int open;		/* a block is open */
	enum text_block_kind kind;
	size_t start;		/* text start of the open block */
	size_t sep_at;		/* length before its separator */
	int depth;
	int pending_space;

	unsigned char *ctx;	/* container stack */
	size_t nctx, cap_ctx;
	int containers;		/* list items and quotes on the stack */

	size_t *ospan;		/* indices of open spans */
	size_t nospan, cap_ospan;
};

static void
bld_init(struct builder *b)
{
	memset(b, 0, sizeof(*b));
	sb_init(&b->sb);
}

static void
bld_push_ctx(struct builder *b, enum ctx_kind k)
{
	if (b->nctx == b->cap_ctx) {
		b->cap_ctx = b->cap_ctx ? b->cap_ctx * 2 : 16;
		b->ctx = xrealloc(b->ctx, b->cap_ctx);
	}
	b->ctx[b->nctx++] = (unsigned char)k;
	if (k != CTX_HEADING)
		b->containers++;
}

static void
bld_pop_ctx(struct builder *b)
{
	if (b->nctx == 0)
		return;
	if (b->ctx[--b->nctx] != CTX_HEADING)
		b->containers--;
}

static void
bld_close(struct builder *b)
{
	struct text_block *tb;

	b->pending_space = 0;
	if (!b->open)
		return;
	b->open = 0;
	if (b->sb.len == b->start) {
		/* nothing was written: take the separator back */
		b->sb.len = b->sep_at;
		b->sb.s[b->sb.len] = '\0';
		return;
	}
	if (b->nblocks == b->cap_blocks) {
		b->cap_blocks = b->cap_blocks ? b->cap_blocks * 2 : 16;
		b->blocks = xreallocarray(b->blocks, b->cap_blocks,
					  sizeof(*b->blocks));
	}
	tb = &b->blocks[b->nblocks++];
	tb->kind = b->kind;
	tb->start = b->start;
	tb->end = b->sb.len;
	tb->depth = b->depth;
}

static void
bld_open_kind(struct builder *b, enum text_block_kind kind)
{
	const struct text_block *prev;

	b->open = 1;
	b->kind = kind;
	b->depth = b->containers;
	b->sep_at = b->sb.len;
	b->pending_space = 0;
	if (b->sb.len > 0) {
		prev = b->nblocks ? &b->blocks[b->nblocks - 1] : NULL;
		if (prev && prev->end == b->sb.len &&
		    prev->kind == TB_LIST_ITEM && kind == TB_LIST_ITEM)
			sb_addc(&b->sb, '\n');
		else
			sb_add(&b->sb, "\n\n", 2);
	}
	b->start = b->sb.len;
}

static void
bld_open(struct builder *b)
{
	enum text_block_kind kind = TB_PARAGRAPH;

	if (b->nctx > 0) {
		switch (b->ctx[b->nctx - 1]) {
		case CTX_LIST_ITEM:
			kind = TB_LIST_ITEM;
			break;
		case CTX_QUOTE:
			kind = TB_QUOTE;
			break;
		case CTX_HEADING:
			kind = TB_HEADING;
			break;
		}
	}
	bld_open_kind(b, kind);
}

/* ' ' \t \n \r \f \v: one lookup instead of six compares a byte */
static const unsigned char ws_byte[256] = {
	['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1,
	[' '] = 1,
};

static inline int
is_ws(unsigned char c)
{
	return ws_byte[c];
}

/* Flowing text: runs of white space become one space between words. */
static void
bld_text(struct builder *b, const char *s, size_t len)
{
	size_t i = 0;

	if (is_clean(s, len)) {
		/* the common case: copy with white space folded, in place */
		char *o;

		for (i = 0; i < len && is_ws((unsigned char)s[i]); i++)
			if (b->open && b->sb.len > b->start)
				b->pending_space = 1;
		if (i == len)
			return;
		if (!b->open)
			bld_open(b);
		sb_grow(&b->sb, len - i + 1);
		o = b->sb.s + b->sb.len;
		if (b->pending_space)
			*o++ = ' ';
		b->pending_space = 0;
		while (i < len) {
			unsigned char c;

#if defined(__SSE2__)
			/* no run of white space is open at i: sixteen bytes
			 * whose only white space is single spaces, none at
			 * the end, are copied as they are */
			while (i + 16 <= len) {
				__m128i x = _mm_loadu_si128(
					(const __m128i *)(const void *)(s + i));
				unsigned sp = (unsigned)_mm_movemask_epi8(
					_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')));
				/* \t..\r are 0x09..0x0d */
				__m128i c9 = _mm_sub_epi8(x, _mm_set1_epi8(9));
				unsigned ct = (unsigned)_mm_movemask_epi8(
					_mm_cmpeq_epi8(_mm_min_epu8(c9,
						_mm_set1_epi8(4)), c9));

				if (ct || (sp & (sp >> 1)) || (sp & 0x8000))
					break;
				_mm_storeu_si128((__m128i *)(void *)o, x);
				o += 16;
				i += 16;
			}
			if (i >= len)
				break;
#endif
			c = (unsigned char)s[i++];
			if (!is_ws(c)) {
				*o++ = (char)c;
				continue;
			}
			while (i < len && is_ws((unsigned char)s[i]))
				i++;
			if (i < len)
				*o++ = ' ';
			else
				b->pending_space = 1;
		}
		*o = '\0';
		b->sb.len = (size_t)(o - b->sb.s);
		return;
	}

	while (i < len) {
		size_t j;

		if (is_ws((unsigned char)s[i])) {
			if (b->open && b->sb.len > b->start)
				b->pending_space = 1;
			i++;
			continue;
		}
		j = i;
		while (j < len && !is_ws((unsigned char)s[j]))
			j++;
		if (!b->open)
			bld_open(b);
		if (b->pending_space) {
			sb_addc(&b->sb, ' ');
			b->pending_space = 0;
		}
		sanitize_into(&b->sb, s + i, j - i);
		i = j;
	}
}

/* Text kept as written (inline code in Markdown, raw HTML shown as text). */
static void
bld_verbatim(struct builder *b, const char *s, size_t len)
{
	if (len == 0)
		return;
	if (!b->open)
		bld_open(b);
	if (b->pending_space) {
		sb_addc(&b->sb, ' ');
		b->pending_space = 0;
	}
	sanitize_into(&b->sb, s, len);
}

static void
bld_newline(struct builder *b)
{
	if (!b->open || b->sb.len == b->start)
		return;
	b->pending_space = 0;
	sb_addc(&b->sb, '\n');
}

/* Cell separator for tables: a tab keeps columns apart. */
static void
bld_tab(struct builder *b)
{
	if (!b->open || b->sb.len == b->start)
		return;
	b->pending_space = 0;
	sb_addc(&b->sb, '\t');
}

/* A verbatim code block; trailing blank lines are dropped. */
static void
bld_code(struct builder *b, const char *s, size_t len)
{
	bld_close(b);
	bld_open_kind(b, TB_CODE);
	sanitize_into(&b->sb, s, len);
	while (b->sb.len > b->start &&
	       (b->sb.s[b->sb.len - 1] == '\n' ||
		b->sb.s[b->sb.len - 1] == ' ' ||
		b->sb.s[b->sb.len - 1] == '\t'))
		b->sb.len--;
	b->sb.s[b->sb.len] = '\0';
	bld_close(b);
}

static void
bld_span_open(struct builder *b, enum text_span_kind kind, const char *href)
{
	struct text_span *sp;

	if (!b->open)
		bld_open(b);
	if (b->pending_space) {
		sb_addc(&b->sb, ' ');
		b->pending_space = 0;
	}
	if (b->nspans == b->cap_spans) {
		b->cap_spans = b->cap_spans ? b->cap_spans * 2 : 16;
		b->spans = xreallocarray(b->spans, b->cap_spans,
					 sizeof(*b->spans));
	}
	sp = &b->spans[b->nspans];
	sp->kind = kind;
	sp->start = sp->end = b->sb.len;
	sp->href = href ? text_sanitize(href, strlen(href)) : NULL;
	if (b->nospan == b->cap_ospan) {
		b->cap_ospan = b->cap_ospan ? b->cap_ospan * 2 : 16;
		b->ospan = xreallocarray(b->ospan, b->cap_ospan,
					 sizeof(*b->ospan));
	}
	b->ospan[b->nospan++] = b->nspans++;
}

static void
bld_span_close(struct builder *b)
{
	if (b->nospan == 0)
		return;
	b->spans[b->ospan[--b->nospan]].end = b->sb.len;
}

static size_t
snap(const char *s, size_t len, size_t pos)
{
	if (pos > len)
		return len;
	while (pos < len && ((unsigned char)s[pos] & 0xc0) == 0x80)
		pos++;
	return pos;
}

/* Hand the result over to doc; empty spans are dropped. */
static void
bld_finish(struct builder *b, struct text_doc *doc)
{
	size_t i, n = 0;

	bld_close(b);
	while (b->nospan > 0)
		bld_span_close(b);
	for (i = 0; i < b->nspans; i++) {
		struct text_span sp = b->spans[i];

		sp.start = snap(b->sb.s, b->sb.len, sp.start);
		sp.end = snap(b->sb.s, b->sb.len, sp.end);
		if (sp.end <= sp.start) {
			free(sp.href);
			continue;
		}
		b->spans[n++] = sp;
	}
	b->nspans = n;
	for (i = 0; i < b->nblocks; i++) {
		b->blocks[i].start = snap(b->sb.s, b->sb.len,
					  b->blocks[i].start);
		b->blocks[i].end = snap(b->sb.s, b->sb.len, b->blocks[i].end);
	}
	text_doc_done(doc);
	doc->len = b->sb.len;
	doc->text = sb_detach(&b->sb);
	doc->blocks = b->blocks;
	doc->nblocks = b->nblocks;
	doc->spans = b->spans;
	doc->nspans = b->nspans;
	free(b->ctx);
	free(b->ospan);
	memset(b, 0, sizeof(*b));
}

void
text_doc_init(struct text_doc *doc)
{
	memset(doc, 0, sizeof(*doc));
}

void
text_doc_done(struct text_doc *doc)
{
	size_t i;

	if (!doc)
		return;
	for (i = 0; i < doc->nspans; i++)
		free(doc->spans[i].href);
	free(doc->spans);
	free(doc->blocks);
	free(doc->text);
	memset(doc, 0, sizeof(*doc));
}

/* Input cleaned before a parser sees it; *tmp is freed by the caller. */
static const char *
clean_input(const char *s, size_t *len, char **tmp)
{
	struct strbuf sb;

	*tmp = NULL;
	if (is_clean(s, *len))
		return s;
	sb_init(&sb);
	sanitize_into(&sb, s, *len);
	*len = sb.len;
	*tmp = sb_detach(&sb);
	return *tmp;
}

/* ---- HTML ---- */

enum html_elem {
	H_INLINE,	/* descend, nothing else */
	H_BLOCK,	/* a block boundary before and after */
	H_PRE,
	H_CODE,
	H_A,
	H_EM,
	H_STRONG,
	H_LI,
	H_QUOTE,
	H_HEADING,
	H_BR,
	H_CELL,
	H_SKIP,		/* content not shown */
};

struct html_name {
	const char *name;
	enum html_elem kind;
};

static const struct html_name html_names[] = {
	{ "a", H_A }, { "address", H_BLOCK }, { "article", H_BLOCK },
	{ "aside", H_BLOCK }, { "b", H_STRONG }, { "blockquote", H_QUOTE },
	{ "body", H_BLOCK }, { "br", H_BR }, { "caption", H_BLOCK },
	{ "center", H_BLOCK }, { "code", H_CODE }, { "dd", H_BLOCK },
	{ "del", H_INLINE }, { "details", H_BLOCK }, { "dir", H_BLOCK },
	{ "div", H_BLOCK }, { "dl", H_BLOCK }, { "dt", H_BLOCK },
	{ "em", H_EM }, { "embed", H_SKIP }, { "fieldset", H_BLOCK },
	{ "figcaption", H_BLOCK }, { "figure", H_BLOCK },
	{ "footer", H_BLOCK }, { "form", H_BLOCK }, { "h1", H_HEADING },
	{ "h2", H_HEADING }, { "h3", H_HEADING }, { "h4", H_HEADING },
	{ "h5", H_HEADING }, { "h6", H_HEADING }, { "head", H_SKIP },
	{ "header", H_BLOCK }, { "hr", H_BLOCK }, { "html", H_BLOCK },
	{ "i", H_EM }, { "iframe", H_SKIP }, { "img", H_SKIP },
	{ "li", H_LI }, { "listing", H_PRE }, { "main", H_BLOCK },
	{ "menu", H_BLOCK }, { "nav", H_BLOCK }, { "noscript", H_SKIP },
	{ "object", H_SKIP }, { "ol", H_BLOCK }, { "p", H_BLOCK },
	{ "plaintext", H_PRE }, { "pre", H_PRE }, { "script", H_SKIP },
	{ "section", H_BLOCK }, { "select", H_SKIP }, { "strong", H_STRONG },
	{ "style", H_SKIP }, { "summary", H_BLOCK }, { "svg", H_SKIP },
	{ "table", H_BLOCK }, { "tbody", H_BLOCK }, { "td", H_CELL },
	{ "template", H_SKIP }, { "tfoot", H_BLOCK }, { "th", H_CELL },
	{ "thead", H_BLOCK }, { "title", H_SKIP }, { "tr", H_BLOCK },
	{ "tt", H_CODE }, { "ul", H_BLOCK }, { "xmp", H_PRE },
};

static int
html_name_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct html_name *)elem)->name);
}

static enum html_elem
html_kind(const xmlChar *name)
{
	const struct html_name *hn;
	const char *n = (const char *)name;

	if (!n || n[0] == '\0')
		return H_INLINE;
	/* the elements of nearly every post, without a search */
	switch (n[0]) {
	case 'p':
		if (n[1] == '\0')
			return H_BLOCK;
		if (n[1] == 'r' && n[2] == 'e' && n[3] == '\0')
			return H_PRE;
		break;
	case 'c':
		if (strcmp(n, "code") == 0)
			return H_CODE;
		break;
	case 'a':
		if (n[1] == '\0')
			return H_A;
		break;
	case 'l':
		if (n[1] == 'i' && n[2] == '\0')
			return H_LI;
		break;
	case 'u':
		if (n[1] == 'l' && n[2] == '\0')
			return H_BLOCK;
		break;
	case 'b':
		if (n[1] == 'r' && n[2] == '\0')
			return H_BR;
		break;
	default:
		break;
	}
	hn = bsearch(n, html_names, ARRAY_SIZE(html_names),
		     sizeof(html_names[0]), html_name_cmp);
	return hn ? hn->kind : H_INLINE;
}

/*
 * The parser's events go straight into the builder (SAX): libxml2 still
 * does all the HTML work (tokenising, entities, implied and auto-closed
 * elements, error recovery), but no tree is built, walked and freed, which
 * costs about as much as the parse itself, and nesting costs no stack.
 */
struct html_state {
	struct builder b;
	struct strbuf pre;	/* text of the open <pre> */
	int in_pre;		/* <pre> nesting */
	int skip;		/* <script>, <style>... nesting */
	htmlParserCtxtPtr ctxt;	/* the parser, for its element stack */
};

/*
 * Open elements libxml2 keeps at most; an element opened deeper is not
 * opened (its content stays).  libxml2 2.9 compares each end tag with
 * every open element (and each <body> too), so a body of 100,000
 * unclosed <b> and then as many stray </i> took minutes; no real post
 * nests a tenth as deep.
 */
#define HTML_DEPTH_MAX 256

/* A start tag past HTML_DEPTH_MAX: taken off the stack, unseen. */
static int
html_too_deep(struct html_state *st, const xmlChar *name)
{
	htmlParserCtxtPtr ctxt = st->ctxt;
	const htmlElemDesc *info;

	if (ctxt == NULL || ctxt->nameNr <= HTML_DEPTH_MAX ||
	    ctxt->name != name)
		return 0;
	/* an empty element (<br>, <img>) closes at once: let it be */
	info = htmlTagLookup(name);
	if (info != NULL && info->empty)
		return 0;
	namePop(ctxt);
	return 1;
}

static void
html_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
	struct html_state *st = ctx;
	struct builder *b = &st->b;
	enum html_elem k;
	const char *href = NULL;
	size_t i;

	if (html_too_deep(st, name))
		return;
	k = html_kind(name);
	if (st->skip) {
		if (k == H_SKIP)
			st->skip++;
		return;
	}
	if (st->in_pre) {
		if (k == H_PRE)
			st->in_pre++;
		else if (k == H_BR)
			sb_addc(&st->pre, '\n');
		else if (k == H_SKIP)
			st->skip++;
		return;
	}
	switch (k) {
	case H_INLINE:
		break;
	case H_BLOCK:
		bld_close(b);
		break;
	case H_PRE:
		bld_close(b);
		st->in_pre = 1;
		sb_reset(&st->pre);
		break;
	case H_CODE:
		bld_span_open(b, TS_INLINE_CODE, NULL);
		break;
	case H_A:
		for (i = 0; atts && atts[i]; i += 2)
			if (strcmp((const char *)atts[i], "href") == 0) {
				href = (const char *)atts[i + 1];
				break;
			}
		bld_span_open(b, TS_LINK, href);
		break;
	case H_EM:
		bld_span_open(b, TS_EMPH, NULL);
		break;
	case H_STRONG:
		bld_span_open(b, TS_STRONG, NULL);
		break;
	case H_LI:
		bld_close(b);
		bld_push_ctx(b, CTX_LIST_ITEM);
		break;
	case H_QUOTE:
		bld_close(b);
		bld_push_ctx(b, CTX_QUOTE);
		break;
	case H_HEADING:
		bld_close(b);
		bld_push_ctx(b, CTX_HEADING);
		break;
	case H_BR:
		bld_newline(b);
		break;
	case H_CELL:
		bld_tab(b);
		break;
	case H_SKIP:
		st->skip = 1;
		break;
	}
}

static void
html_end(void *ctx, const xmlChar *name)
{
	struct html_state *st = ctx;
	struct builder *b = &st->b;
	enum html_elem k = html_kind(name);

	if (st->skip) {
		if (k == H_SKIP)
			st->skip--;
		return;
	}
	if (st->in_pre) {
		if (k != H_PRE || --st->in_pre > 0)
			return;
		/* the HTML rule: a newline right after <pre> is not content */
		if (st->pre.len && st->pre.s[0] == '\n')
			bld_code(b, st->pre.s + 1, st->pre.len - 1);
		else
			bld_code(b, st->pre.s, st->pre.len);
		return;
	}
	switch (k) {
	case H_BLOCK:
		bld_close(b);
		break;
	case H_CODE:
	case H_A:
	case H_EM:
	case H_STRONG:
		bld_span_close(b);
		break;
	case H_LI:
	case H_QUOTE:
	case H_HEADING:
		bld_close(b);
		bld_pop_ctx(b);
		break;
	default:
		break;
	}
}

static void
html_chars(void *ctx, const xmlChar *ch, int len)
{
	struct html_state *st = ctx;

	if (st->skip || len <= 0)
		return;
	if (st->in_pre)
		sb_add(&st->pre, (const char *)ch, (size_t)len);
	else
		bld_text(&st->b, (const char *)ch, (size_t)len);
}

static htmlParserCtxtPtr spare_ctxt;

/*
 * htmlCtxtReadMemory(ctxt, in, len, NULL, "UTF-8", opts), step by step,
 * but for the encoding: the input is valid UTF-8 already (clean_input),
 * so the parser is told to read it as UTF-8 instead of being handed
 * libxml2's UTF-8 to UTF-8 converter, which copies the body and is
 * consulted again each time the parser reads ahead (a twentieth of the
 * parse).  input->encoding set, as that call sets it, keeps a <meta
 * charset> from switching encodings.  (Without an encoding at all,
 * libxml2 2.9 would read bytes above 0x7f as Latin-1.)
 */
static htmlDocPtr
html_read(htmlParserCtxtPtr ctxt, const char *in, int len, int opts)
{
	xmlParserInputBufferPtr buf;
	xmlParserInputPtr stream;
	htmlDocPtr hd;

	htmlCtxtReset(ctxt);
	buf = xmlParserInputBufferCreateMem(in, len, XML_CHAR_ENCODING_NONE);
	if (!buf)
		fatal("out of memory");
	stream = xmlNewIOInputStream(ctxt, buf, XML_CHAR_ENCODING_NONE);
	if (!stream)
		fatal("out of memory");
	inputPush(ctxt, stream);
	/* switching to the converter skips a UTF-8 byte order mark, even
	 * in a body too short for the parser's own look at the start */
	if (len >= 3 && memcmp(in, "\xef\xbb\xbf", 3) == 0)
		stream->cur += 3;
	htmlCtxtUseOptions(ctxt, opts);
	ctxt->html = 1;
	/*
	 * The whole body is in the parser's buffer already (CreateMem copies
	 * it, and no converter sits in between), so reading ahead can bring
	 * nothing: in libxml2 2.9's HTML parser, "progressive" only turns
	 * off those read-ahead calls (GROW), which near the end of a body
	 * come at every character, a twentieth of the parse.  htmlCtxtReset
	 * leaves it set; set again for a context made before.
	 */
	ctxt->progressive = 1;
	ctxt->charset = XML_CHAR_ENCODING_UTF8;
	stream->encoding = xmlStrdup((const xmlChar *)"UTF-8");
	htmlParseDocument(ctxt);
	hd = ctxt->myDoc;
	ctxt->myDoc = NULL;
	return hd;
}

int
text_from_html(const char *html, size_t len, struct text_doc *doc)
{
	struct html_state st;
	htmlParserCtxtPtr ctxt;
	htmlDocPtr hd;
	char *clean;
	const char *in;

	if (len > INT_MAX)
		return error_set("body of %zu bytes is too large", len);
	in = clean_input(html, &len, &clean);
	memset(&st, 0, sizeof(st));
	bld_init(&st.b);
	sb_init(&st.pre);
	if (len > 0) {
		/* one parser context, reset for each body: creating it costs
		 * a tenth of a parse (not thread-safe; nothing here is) */
		ctxt = spare_ctxt ? spare_ctxt : htmlNewParserCtxt();
		spare_ctxt = NULL;
		if (!ctxt)
			fatal("out of memory");
		/* only our handlers: no document is built */
		memset(ctxt->sax, 0, sizeof(*ctxt->sax));
		ctxt->sax->initialized = 1;
		ctxt->sax->startElement = html_start;
		ctxt->sax->endElement = html_end;
		ctxt->sax->characters = html_chars;
		ctxt->sax->ignorableWhitespace = html_chars;
		ctxt->sax->cdataBlock = html_chars;
		ctxt->userData = &st;
		st.ctxt = ctxt;
		/* not HTML_PARSE_NOIMPLIED: libxml2 2.9 then nests a block
		 * after a closed <h2> inside it */
		hd = html_read(ctxt, in, (int)len,
			       HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
			       HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
			       HTML_PARSE_COMPACT);
		if (hd)
			xmlFreeDoc(hd);
		if (spare_ctxt)
			htmlFreeParserCtxt(ctxt);
		else
			spare_ctxt = ctxt;
	}
	/* a <pre> left open by a truncated body still counts */
	if (st.in_pre) {
		st.in_pre = 1;
		st.skip = 0;
		html_end(&st, (const xmlChar *)"pre");
	}
	sb_done(&st.pre);
	free(clean);
	bld_finish(&st.b, doc);
	return DL_OK;
}

/* ---- Markdown ---- */

/*
 * Image openers ("![") cmark sees at most; later ones are escaped
 * ("!\["), so they read as text (in code spans and blocks, a backslash
 * shows).  cmark 0.30.2, on each link, walks back over every image
 * opener still open: "![[]()" repeated was quadratic (0.5 MB took 14 s;
 * fixed upstream in 0.30.3).  No real post has that many images.
 * Returns a copy to free, or NULL when there are fewer.
 */
#define MD_IMAGES_MAX 256

static char *
md_cap_images(const char *s, size_t *len)
{
	const char *p = s, *end = s + *len, *q;
	size_t n = 0;
	struct strbuf sb;

	while ((q = memchr(p, '!', (size_t)(end - p))) != NULL) {
		p = q + 1;
		if (p < end && *p == '[')
			n++;
	}
	if (n <= MD_IMAGES_MAX)
		return NULL;
	sb_init(&sb);
	sb_grow(&sb, *len + (n - MD_IMAGES_MAX) + 1);
	n = 0;
	for (p = s; (q = memchr(p, '!', (size_t)(end - p))) != NULL;
	     p = q + 1) {
		sb_add(&sb, p, (size_t)(q + 1 - p));
		if (q + 1 < end && q[1] == '[' && ++n > MD_IMAGES_MAX)
			sb_addc(&sb, '\\');
	}
	sb_add(&sb, p, (size_t)(end - p));
	*len = sb.len;
	return sb_detach(&sb);
}

int
text_from_markdown(const char *md, size_t len, struct text_doc *doc)
{
	struct builder b;
	cmark_node *root, *n;
	cmark_iter *it;
	cmark_event_type ev;
	const char *lit;
	char *clean, *capped;
	const char *in;

	in = clean_input(md, &len, &clean);
	capped = md_cap_images(in, &len);
	if (capped)
		in = capped;
	bld_init(&b);
	root = cmark_parse_document(in, len, CMARK_OPT_DEFAULT);
	it = cmark_iter_new(root);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		int enter = ev == CMARK_EVENT_ENTER;

		n = cmark_iter_get_node(it);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_PARAGRAPH:
		case CMARK_NODE_THEMATIC_BREAK:
		case CMARK_NODE_LIST:
			bld_close(&b);
			break;
		case CMARK_NODE_HEADING:
		case CMARK_NODE_ITEM:
		case CMARK_NODE_BLOCK_QUOTE:
			bld_close(&b);
			if (!enter)
				bld_pop_ctx(&b);
			else
				bld_push_ctx(&b, cmark_node_get_type(n) ==
					     CMARK_NODE_HEADING ? CTX_HEADING :
					     cmark_node_get_type(n) ==
					     CMARK_NODE_ITEM ? CTX_LIST_ITEM :
					     CTX_QUOTE);
			break;
		case CMARK_NODE_CODE_BLOCK:
			lit = cmark_node_get_literal(n);
			if (lit)
				bld_code(&b, lit, strlen(lit));
			break;
		case CMARK_NODE_HTML_BLOCK:
			/* shown as the text it is, never interpreted */
			lit = cmark_node_get_literal(n);
			bld_close(&b);
			if (lit) {
				size_t l = strlen(lit);

				while (l && lit[l - 1] == '\n')
					l--;
				bld_verbatim(&b, lit, l);
			}
			bld_close(&b);
			break;
		case CMARK_NODE_TEXT:
			lit = cmark_node_get_literal(n);
			if (lit)
				bld_text(&b, lit, strlen(lit));
			break;
		case CMARK_NODE_HTML_INLINE:
			lit = cmark_node_get_literal(n);
			if (lit)
				bld_verbatim(&b, lit, strlen(lit));
			break;
		case CMARK_NODE_CODE:
			lit = cmark_node_get_literal(n);
			bld_span_open(&b, TS_INLINE_CODE, NULL);
			if (lit)
				bld_verbatim(&b, lit, strlen(lit));
			bld_span_close(&b);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			/* keep the author's lines: pasted logs read better */
			bld_newline(&b);
			break;
		case CMARK_NODE_EMPH:
		case CMARK_NODE_STRONG:
		case CMARK_NODE_LINK:
			if (enter)
				bld_span_open(&b, cmark_node_get_type(n) ==
					      CMARK_NODE_EMPH ? TS_EMPH :
					      cmark_node_get_type(n) ==
					      CMARK_NODE_STRONG ? TS_STRONG :
					      TS_LINK,
					      cmark_node_get_type(n) ==
					      CMARK_NODE_LINK ?
					      cmark_node_get_url(n) : NULL);
			else
				bld_span_close(&b);
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	cmark_node_free(root);
	free(capped);
	free(clean);
	bld_finish(&b, doc);
	return DL_OK;
}

/* ---- plain text ---- */

/* Paragraphs are separated by lines holding only white space. */
int
text_from_plain(const char *s, size_t len, struct text_doc *doc)
{
	struct builder b;
	struct strbuf clean;
	size_t i = 0;

	bld_init(&b);
	sb_init(&clean);
	sanitize_into(&clean, s, len);
	/* the text is the sanitised input itself; blocks just index it */
	sb_done(&b.sb);
	b.sb = clean;
	while (i < b.sb.len) {
		size_t ls = i, le, k;
		int blank = 1;

		le = ls;
		while (le < b.sb.len && b.sb.s[le] != '\n')
			le++;
		for (k = ls; k < le; k++)
			if (!is_ws((unsigned char)b.sb.s[k])) {
				blank = 0;
				break;
			}
		if (blank) {
			if (b.open) {
				struct text_block *tb;

				b.open = 0;
				if (b.nblocks == b.cap_blocks) {
					b.cap_blocks = b.cap_blocks ?
						b.cap_blocks * 2 : 16;
					b.blocks = xreallocarray(b.blocks,
						b.cap_blocks, sizeof(*b.blocks));
				}
				tb = &b.blocks[b.nblocks++];
				tb->kind = TB_PARAGRAPH;
				tb->start = b.start;
				tb->end = ls ? ls - 1 : 0;
				tb->depth = 0;
			}
		} else if (!b.open) {
			b.open = 1;
			b.start = ls;
		}
		i = le + 1;
	}
	if (b.open) {
		struct text_block *tb;

		b.open = 0;
		if (b.nblocks == b.cap_blocks) {
			b.cap_blocks = b.cap_blocks ? b.cap_blocks * 2 : 16;
			b.blocks = xreallocarray(b.blocks, b.cap_blocks,
						 sizeof(*b.blocks));
		}
		tb = &b.blocks[b.nblocks++];
		tb->kind = TB_PARAGRAPH;
		tb->start = b.start;
		tb->end = b.sb.len;
		if (tb->end > tb->start && b.sb.s[tb->end - 1] == '\n')
			tb->end--;
		tb->depth = 0;
	}
	bld_finish(&b, doc);
	return DL_OK;
}

int
text_from_post(const struct post *p, struct text_doc *doc)
{
	const char *body = p->body ? p->body : "";

	switch (p->format) {
	case POST_HTML:
		return text_from_html(body, strlen(body), doc);
	case POST_MARKDOWN:
		return text_from_markdown(body, strlen(body), doc);
	case POST_TEXT:
		break;
	}
	return text_from_plain(body, strlen(body), doc);
}
