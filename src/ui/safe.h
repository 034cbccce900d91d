/*
 * safe.h - untrusted text (post titles, bodies, tags, ids) made safe for a
 * terminal, one display cell at a time.  No curses here, so the unit tests
 * can exercise it without a terminal.
 */
#ifndef DLREPRO_UI_SAFE_H
#define DLREPRO_UI_SAFE_H

#include <stddef.h>
#include <wchar.h>

/* Shown in place of a control character or an unprintable code point. */
#define SAFE_PLACEHOLDER 0xFFFD

struct safe_iter {
	const unsigned char *s;
	size_t len;
	size_t pos;
	int utf8;	/* locale can draw non-ASCII */
};

/* Call once after setlocale(): decides whether non-ASCII is drawable. */
void safe_init_locale(void);

int safe_is_utf8(void);

void safe_iter_init(struct safe_iter *it, const char *s, size_t len);

/*
 * Next cell: *wc is printable (never a control, never part of an escape
 * sequence), *width is 1 or 2, *start is the byte offset where the cell's
 * source begins.  '\n' and '\t' are returned as themselves with width 0 so
 * that callers can break lines and expand tabs.  Whole escape sequences
 * (ESC [ ... final, ESC ] ... BEL/ST, ESC P/X/^/_ ... ST, and their C1
 * forms) are skipped; other C0/C1 controls, DEL, invalid UTF-8 and
 * unprintable code points become SAFE_PLACEHOLDER.  Zero-width code points
 * (combining marks, bidi controls) are dropped.  Returns 0 at the end.
 */
int safe_next(struct safe_iter *it, wchar_t *wc, int *width, size_t *start);

/* Display width of s (tabs count as one column, newlines as none). */
int safe_width(const char *s, size_t len);

/*
 * Make s safe and fit into at most maxw columns, one line (newlines and
 * tabs become spaces); truncated text ends in "…" (or "~" without UTF-8).
 * Returns a new string; *width gets its width when not NULL.
 */
char *safe_fit(const char *s, int maxw, int *width);

/*
 * A post id made safe and fit into at most maxw columns by cutting its
 * middle: ids differ at their end ("gh:pytorch/pytorch#1" and "#7",
 * "so:9000000001" and "...2"), so the end stays whole where it can (from
 * the last '#', else past the last ':') and the start keeps the site:
 * "gh:pytorch/py…#1", "so:…000007".  Returns a new string; *width gets
 * its width when not NULL.
 */
char *safe_fit_id(const char *id, int maxw, int *width);

/*
 * One display line: bytes [start, end) of the wrapped text, drawn after
 * indent blank columns (the hanging indent of a continuation line).
 */
struct safe_line {
	size_t start, end;
	int indent;
};

/*
 * Break s[0, n) into lines of at most width columns (as drawn by
 * safe_next(); a tab counts one column): '\n' ends a line, long lines
 * break after the last space that fits, else inside the word; the spaces
 * at a break are dropped.  A continuation line hangs under the text of
 * its first line: past its leading spaces and a list marker ("- ", "* ",
 * "12. "), as long as that leaves half the width.  *lines (capacity *cap) is grown as needed and
 * belongs to the caller.  Returns the number of lines; a trailing '\n'
 * adds no empty line.
 */
size_t safe_wrap(const char *s, size_t n, int width, struct safe_line **lines,
		 size_t *cap);

#endif
