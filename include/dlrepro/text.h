/*
 * text.h - post bodies (HTML from Stack Exchange, Markdown from GitHub and
 * pasted reports, plain text) turned into one plain-text string plus its
 * structure: blocks (paragraphs, code blocks, quotes, list items, headings)
 * and inline spans (inline code, links, emphasis).  Offsets are bytes into
 * doc->text.  The text is valid UTF-8 with no NUL and no control bytes
 * other than '\n' and '\t': safe to match, store and (after the UI's own
 * width handling) draw.
 *
 * Pure: no terminal, network or disk.  Not reentrant: text_from_html
 * reuses one libxml2 parser context, so call it from one thread at a time.
 */
#ifndef DLREPRO_TEXT_H
#define DLREPRO_TEXT_H

#include <stddef.h>

#include "dlrepro/post.h"

enum text_block_kind {
	TB_PARAGRAPH,
	TB_CODE,	/* verbatim code block (<pre>, fenced/indented code) */
	TB_QUOTE,
	TB_LIST_ITEM,
	TB_HEADING,
};

struct text_block {
	enum text_block_kind kind;
	size_t start, end;	/* [start, end) in doc->text */
	int depth;		/* list / quote nesting */
};

enum text_span_kind {
	TS_INLINE_CODE,
	TS_LINK,
	TS_EMPH,
	TS_STRONG,
};

struct text_span {
	enum text_span_kind kind;
	size_t start, end;
	char *href;		/* links only, else NULL */
};

struct text_doc {
	char *text;
	size_t len;
	struct text_block *blocks;
	size_t nblocks;
	struct text_span *spans;
	size_t nspans;
};

void text_doc_init(struct text_doc *doc);
void text_doc_done(struct text_doc *doc);

int text_from_html(const char *html, size_t len, struct text_doc *doc);
int text_from_markdown(const char *md, size_t len, struct text_doc *doc);
int text_from_plain(const char *s, size_t len, struct text_doc *doc);
/* Dispatch on the post's format. */
int text_from_post(const struct post *p, struct text_doc *doc);

/*
 * Repair invalid UTF-8 (U+FFFD), drop NUL, C0 controls other than '\n' and
 * '\t', DEL and C1 controls (U+0080..U+009F), the bidi embedding, override
 * and isolate controls (U+202A..U+202E, U+2066..U+2069), and whole escape
 * sequences (CSI, OSC, DCS...).  Caller frees.
 */
char *text_sanitize(const char *s, size_t len);

/*
 * One line for a terminal, as the dashboard draws text: escape sequences
 * (7- and 8-bit) dropped whole, NUL and CR dropped, '\n' and '\t' become
 * spaces, other C0/C1 controls, DEL and invalid UTF-8 become U+FFFD, bidi
 * embedding, override and isolate controls are dropped.  For
 * text read back from a database an older version wrote unsanitised; what
 * text_sanitize() returns passes unchanged but for '\n' and '\t'.  Caller
 * frees.
 */
char *text_sanitize_line(const char *s, size_t len);

#endif
