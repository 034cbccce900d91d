/*
 * test_text.c - unit tests of src/text.c: HTML, Markdown and plain text to
 * sanitised text plus structure, the sanitiser itself, and hostile input
 * (invalid UTF-8, control bytes, escape sequences, 5 MB bodies, 100,000-deep
 * nesting).  Every document is also checked for the module's invariants.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dlrepro/text.h"
#include "dlrepro/util.h"

/* Valid UTF-8, no NUL, no control byte but '\n' and '\t', no C1. */
static void
assert_clean(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t n, k;

		assert_true(c != 0);
		if (c < 0x80) {
			assert_true(c >= 0x20 || c == '\n' || c == '\t');
			assert_true(c != 0x7f);
			i++;
			continue;
		}
		n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
		assert_true(c >= 0xc2 && c <= 0xf4);
		assert_true(i + n <= len);
		for (k = 1; k < n; k++)
			assert_int_equal((unsigned char)s[i + k] & 0xc0, 0x80);
		if (c == 0xc2)
			assert_true((unsigned char)s[i + 1] >= 0xa0);
		i += n;
	}
}

static int
boundary(const struct text_doc *d, size_t pos)
{
	return pos == d->len || ((unsigned char)d->text[pos] & 0xc0) != 0x80;
}

/* The invariants every text_doc must keep. */
static void
assert_doc(const struct text_doc *d)
{
	size_t i;

	assert_non_null(d->text);
	assert_int_equal(strlen(d->text), d->len);
	assert_clean(d->text, d->len);
	for (i = 0; i < d->nblocks; i++) {
		assert_true(d->blocks[i].start <= d->blocks[i].end);
		assert_true(d->blocks[i].end <= d->len);
		assert_true(boundary(d, d->blocks[i].start));
		assert_true(boundary(d, d->blocks[i].end));
		if (i > 0)
			assert_true(d->blocks[i - 1].end <= d->blocks[i].start);
	}
	for (i = 0; i < d->nspans; i++) {
		assert_true(d->spans[i].start < d->spans[i].end);
		assert_true(d->spans[i].end <= d->len);
		assert_true(boundary(d, d->spans[i].start));
		assert_true(boundary(d, d->spans[i].end));
		if (d->spans[i].href)
			assert_clean(d->spans[i].href,
				     strlen(d->spans[i].href));
	}
}

static char *
block_text(const struct text_doc *d, size_t i)
{
	return xstrndup(d->text + d->blocks[i].start,
			d->blocks[i].end - d->blocks[i].start);
}

static char *
span_text(const struct text_doc *d, size_t i)
{
	return xstrndup(d->text + d->spans[i].start,
			d->spans[i].end - d->spans[i].start);
}

static void
html(struct text_doc *d, const char *s)
{
	text_doc_init(d);
	assert_int_equal(text_from_html(s, strlen(s), d), DL_OK);
	assert_doc(d);
}

static void
md(struct text_doc *d, const char *s)
{
	text_doc_init(d);
	assert_int_equal(text_from_markdown(s, strlen(s), d), DL_OK);
	assert_doc(d);
}

static void
assert_block(const struct text_doc *d, size_t i, enum text_block_kind kind,
	     const char *want)
{
	char *got;

	assert_true(i < d->nblocks);
	got = block_text(d, i);
	assert_string_equal(got, want);
	assert_int_equal(d->blocks[i].kind, kind);
	free(got);
}

static void
assert_span(const struct text_doc *d, size_t i, enum text_span_kind kind,
	    const char *want)
{
	char *got;

	assert_true(i < d->nspans);
	got = span_text(d, i);
	assert_string_equal(got, want);
	assert_int_equal(d->spans[i].kind, kind);
	free(got);
}

static void
test_html_paragraphs_and_code(void **state)
{
	struct text_doc d;

	(void)state;
	html(&d, "<p>First   paragraph\nwraps.</p>\n"
		 "<pre class=\"lang-py\"><code>def f(x):\n"
		 "    if x:\n\treturn 1\n\n    return 2\n</code></pre>\n"
		 "<p>After <code>f(1)</code>.</p>");
	assert_int_equal(d.nblocks, 3);
	assert_block(&d, 0, TB_PARAGRAPH, "First paragraph wraps.");
	/* verbatim: indentation, tab and the blank line kept */
	assert_block(&d, 1, TB_CODE,
		     "def f(x):\n    if x:\n\treturn 1\n\n    return 2");
	assert_block(&d, 2, TB_PARAGRAPH, "After f(1).");
	assert_int_equal(d.nspans, 1);
	assert_span(&d, 0, TS_INLINE_CODE, "f(1)");
	assert_string_equal(d.text, "First paragraph wraps.\n\n"
			    "def f(x):\n    if x:\n\treturn 1\n\n    return 2"
			    "\n\nAfter f(1).");
	text_doc_done(&d);
}

static void
test_html_lists_quotes_headings(void **state)
{
	struct text_doc d;

	(void)state;
	html(&d, "<h2>Setup</h2><ul><li>one</li><li>two<ol><li>inner</li>"
		 "</ol></li></ul><blockquote><p>quoted</p><blockquote>"
		 "<p>deeper</p></blockquote></blockquote><hr><p>end</p>");
	assert_int_equal(d.nblocks, 7);
	assert_block(&d, 0, TB_HEADING, "Setup");
	assert_block(&d, 1, TB_LIST_ITEM, "one");
	assert_int_equal(d.blocks[1].depth, 1);
	assert_block(&d, 2, TB_LIST_ITEM, "two");
	assert_block(&d, 3, TB_LIST_ITEM, "inner");
	assert_int_equal(d.blocks[3].depth, 2);
	assert_block(&d, 4, TB_QUOTE, "quoted");
	assert_int_equal(d.blocks[4].depth, 1);
	assert_block(&d, 5, TB_QUOTE, "deeper");
	assert_int_equal(d.blocks[5].depth, 2);
	assert_block(&d, 6, TB_PARAGRAPH, "end");
	assert_int_equal(d.blocks[6].depth, 0);
	/* consecutive list items are one line apart */
	assert_non_null(strstr(d.text, "one\ntwo\ninner"));
	text_doc_done(&d);
}

static void
test_html_links_and_emphasis(void **state)
{
	struct text_doc d;

	(void)state;
	html(&d, "<p>See <a href=\"https://example.org/?a=1&amp;b=2\">the "
		 "<em>docs</em></a> and <strong>this</strong>; "
		 "<a>no href</a>.</p>");
	assert_string_equal(d.text, "See the docs and this; no href.");
	assert_int_equal(d.nspans, 4);
	assert_span(&d, 0, TS_LINK, "the docs");
	assert_string_equal(d.spans[0].href, "https://example.org/?a=1&b=2");
	assert_span(&d, 1, TS_EMPH, "docs");
	assert_span(&d, 2, TS_STRONG, "this");
	assert_span(&d, 3, TS_LINK, "no href");
	assert_null(d.spans[3].href);
	text_doc_done(&d);
}

static void
test_html_entities_once(void **state)
{
	struct text_doc d;

	(void)state;
	html(&d, "<p>a &amp;lt; b &lt; c &quot;q&quot; &#39;s&#39; "
		 "&#x263A; caf&eacute;</p>"
		 "<pre><code>if a &lt; b &amp;&amp; c:\n    x = '&amp;amp;'"
		 "</code></pre>");
	/* decoded exactly once: &amp;lt; is the text "&lt;" */
	assert_block(&d, 0, TB_PARAGRAPH,
		     "a &lt; b < c \"q\" 's' \xe2\x98\xba caf\xc3\xa9");
	assert_block(&d, 1, TB_CODE, "if a < b && c:\n    x = '&amp;'");
	text_doc_done(&d);
}

static void
test_html_skips_script_and_tables(void **state)
{
	struct text_doc d;

	(void)state;
	html(&d, "<p>x<script>alert(1)</script><style>p{}</style>y</p>"
		 "<table><tr><td>1</td><td>2</td></tr><tr><td>3</td>"
		 "<td>4</td></tr></table><p>a<br>b</p>");
	assert_block(&d, 0, TB_PARAGRAPH, "xy");
	assert_block(&d, 1, TB_PARAGRAPH, "1\t2");
	assert_block(&d, 2, TB_PARAGRAPH, "3\t4");
	assert_block(&d, 3, TB_PARAGRAPH, "a\nb");
	text_doc_done(&d);
}

static void
test_html_empty_and_text_only(void **state)
{
	struct text_doc d;

	(void)state;
	html(&d, "");
	assert_int_equal(d.len, 0);
	assert_int_equal(d.nblocks, 0);
	text_doc_done(&d);
	html(&d, "just text, no tags");
	assert_string_equal(d.text, "just text, no tags");
	assert_int_equal(d.nblocks, 1);
	text_doc_done(&d);
	html(&d, "<p></p><div> </div><p><b></b></p>");
	assert_int_equal(d.len, 0);
	assert_int_equal(d.nblocks, 0);
	assert_int_equal(d.nspans, 0);
	text_doc_done(&d);
	/* malformed: unclosed tags, stray closers, broken attributes */
	html(&d, "<p>a <b>b <i>c</p></div><pre><code>x\n</b>y<p "
		 "class=\"z>q");
	assert_non_null(strstr(d.text, "a b c"));
	text_doc_done(&d);
}

/*
 * Bodies are UTF-8, whatever they say: a byte order mark is dropped (even
 * alone), and a <meta charset> or an XML declaration naming another
 * encoding changes nothing (libxml2 would otherwise re-read the rest).
 */
static void
test_html_encoding(void **state)
{
	struct text_doc d;

	(void)state;
	html(&d, "\xef\xbb\xbf<p>caf\xc3\xa9</p>");
	assert_string_equal(d.text, "caf\xc3\xa9");
	text_doc_done(&d);
	html(&d, "\xef\xbb\xbf");
	assert_int_equal(d.len, 0);
	text_doc_done(&d);
	html(&d, "\xef\xbb\xbf" "ab");
	assert_string_equal(d.text, "ab");
	text_doc_done(&d);
	html(&d, "<meta charset=\"iso-8859-1\"><p>na\xc3\xafve "
		 "\xe2\x94\x8f\xe2\x94\x81</p>");
	assert_string_equal(d.text, "na\xc3\xafve \xe2\x94\x8f\xe2\x94\x81");
	text_doc_done(&d);
	html(&d, "<html><head><meta http-equiv=\"Content-Type\" "
		 "content=\"text/html; charset=windows-1252\"></head><body>"
		 "<p>\xe2\x80\x9cq\xe2\x80\x9d</p></body></html>");
	assert_string_equal(d.text, "\xe2\x80\x9cq\xe2\x80\x9d");
	text_doc_done(&d);
	html(&d, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
		 "<p>\xc3\xa9</p>");
	assert_non_null(strstr(d.text, "\xc3\xa9"));
	/* not read as Latin-1 */
	assert_null(strstr(d.text, "\xc3\x83"));
	text_doc_done(&d);
}

static void
test_markdown(void **state)
{
	struct text_doc d;

	(void)state;
	md(&d, "# Title\n\nSome *emph*, **strong**, `x = 1` and "
	       "[a link](http://u.example/p).\nNext line.\n\n"
	       "```python\nimport torch\n    y = 2\n```\n\n"
	       "    indented code\n\n"
	       "> quoted\n\n"
	       "- a\n- b\n  - c\n");
	assert_block(&d, 0, TB_HEADING, "Title");
	assert_block(&d, 1, TB_PARAGRAPH,
		     "Some emph, strong, x = 1 and a link.\nNext line.");
	assert_block(&d, 2, TB_CODE, "import torch\n    y = 2");
	assert_block(&d, 3, TB_CODE, "indented code");
	assert_block(&d, 4, TB_QUOTE, "quoted");
	assert_block(&d, 5, TB_LIST_ITEM, "a");
	assert_block(&d, 6, TB_LIST_ITEM, "b");
	assert_block(&d, 7, TB_LIST_ITEM, "c");
	assert_int_equal(d.blocks[7].depth, 2);
	assert_int_equal(d.nspans, 4);
	assert_span(&d, 0, TS_EMPH, "emph");
	assert_span(&d, 1, TS_STRONG, "strong");
	assert_span(&d, 2, TS_INLINE_CODE, "x = 1");
	assert_span(&d, 3, TS_LINK, "a link");
	assert_string_equal(d.spans[3].href, "http://u.example/p");
	text_doc_done(&d);
}

static void
test_markdown_raw_html_is_text(void **state)
{
	struct text_doc d;

	(void)state;
	md(&d, "<script>alert('x')</script>\n\nText with <b>inline</b> "
	       "html and &amp;lt; once.\n");
	assert_block(&d, 0, TB_PARAGRAPH, "<script>alert('x')</script>");
	assert_block(&d, 1, TB_PARAGRAPH,
		     "Text with <b>inline</b> html and &lt; once.");
	text_doc_done(&d);
}

static void
test_plain(void **state)
{
	struct text_doc d;
	const char *s = "para one\nline two\r\n\n \t\n  code line\nend\n";

	(void)state;
	text_doc_init(&d);
	assert_int_equal(text_from_plain(s, strlen(s), &d), DL_OK);
	assert_doc(&d);
	assert_string_equal(d.text,
			    "para one\nline two\n\n \t\n  code line\nend\n");
	assert_int_equal(d.nblocks, 2);
	assert_block(&d, 0, TB_PARAGRAPH, "para one\nline two");
	assert_block(&d, 1, TB_PARAGRAPH, "  code line\nend");
	text_doc_done(&d);
}

static void
test_from_post(void **state)
{
	struct post p;
	struct text_doc d;

	(void)state;
	post_init(&p);
	free(p.body);
	p.body = xstrdup("<p>a</p><p>b</p>");
	p.format = POST_HTML;
	text_doc_init(&d);
	assert_int_equal(text_from_post(&p, &d), DL_OK);
	assert_string_equal(d.text, "a\n\nb");
	p.format = POST_MARKDOWN;
	assert_int_equal(text_from_post(&p, &d), DL_OK);
	assert_string_equal(d.text, "<p>a</p><p>b</p>");
	p.format = POST_TEXT;
	assert_int_equal(text_from_post(&p, &d), DL_OK);
	assert_string_equal(d.text, "<p>a</p><p>b</p>");
	text_doc_done(&d);
	post_done(&p);
}

static void
sanitized(const char *in, size_t len, const char *want)
{
	char *got = text_sanitize(in, len);

	assert_string_equal(got, want);
	assert_clean(got, strlen(got));
	free(got);
}

static void
line_sanitized(const char *in, size_t len, const char *want)
{
	char *got = text_sanitize_line(in, len);

	assert_string_equal(got, want);
	free(got);
}

#define LINE_SANITIZED(lit, want) line_sanitized(lit, sizeof(lit) - 1, want)

/* The dashboard's rules, for one line of the CLI's text output. */
static void
test_sanitize_line(void **state)
{
	(void)state;
	LINE_SANITIZED("plain", "plain");
	/* escape sequences go whole, 7- and 8-bit */
	LINE_SANITIZED("esc \033]0;PWNED\007 \033[31mred", "esc  red");
	/* an 8-bit introducer alone is shown: without it the rest is text */
	LINE_SANITIZED("a\xc2\x9b" "31mb\xc2\x9d" "0;t\007c",
		       "a\xef\xbf\xbd" "31mb\xef\xbf\xbd" "0;t\xef\xbf\xbd" "c");
	/* other controls and invalid UTF-8 are shown, as U+FFFD */
	LINE_SANITIZED("a\001b\177c\xc2\x85" "d",
		       "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd" "d");
	LINE_SANITIZED("bad\xff\xfe utf8",
		       "bad\xef\xbf\xbd\xef\xbf\xbd utf8");
	/* NUL and CR go, newline and tab become spaces: one line */
	LINE_SANITIZED("nul\0byte\r\nx\ty", "nulbyte x y");
	/* what text_sanitize() gives passes unchanged */
	LINE_SANITIZED("caf\xc3\xa9 \xe2\x9c\x93",
		       "caf\xc3\xa9 \xe2\x9c\x93");
	/* a truncated sequence at the end */
	LINE_SANITIZED("x\xe2\x9c", "x\xef\xbf\xbd");
}

static void
test_sanitize(void **state)
{
	(void)state;
	sanitized("plain\ttext\n", 11, "plain\ttext\n");
	/* NUL, BEL, BS, DEL and friends go; CR LF and lone CR become LF */
	sanitized("a\0b\007c\010d\177e\r\nf\rg", 15, "abcde\nf\ng");
	/* CSI colour, cursor moves, private modes */
	sanitized("\033[31mred\033[0m \033[2J\033[?1049h\033[1;1H!", 33,
		  "red !");
	/* OSC title set, by BEL and by ST; DCS; lone ESC */
	sanitized("x\033]0;pwned\007y\033]2;t\033\\z\033P1$r\033\\w\033", 29,
		  "xyzw");
	/* C1 goes alone: the rest is inert text, and usually mojibake */
	sanitized("a\xc2\x9b" "31mb\xc2\x85" "c\xc2\x9d" "0;t\007d", 18,
		  "a31mbc0;td");
	/* a right quote read as Latin-1 keeps the words after it */
	sanitized("Why \xc3\xa2\xc2\x80\xc2\x9c" "fit\xc3\xa2\xc2\x80\xc2\x9d "
		  "returns NaN", 31, "Why \xc3\xa2" "fit\xc3\xa2 returns NaN");
	/* an unterminated OSC stops at the newline */
	sanitized("a\033]0;title\nrest", 16, "a\nrest");
	/* charset switch and other two-byte sequences */
	sanitized("\033(Bx\033cy\033Mz", 10, "xyz");
	/* valid UTF-8 kept, U+00A0 and above are not C1 */
	sanitized("caf\xc3\xa9 \xc2\xa0 \xe2\x82\xac \xf0\x9f\x98\x80", 17,
		  "caf\xc3\xa9 \xc2\xa0 \xe2\x82\xac \xf0\x9f\x98\x80");
}

/* s, n times, onto sb. */
static void
repeat(struct strbuf *sb, const char *s, int n)
{
	for (int i = 0; i < n; i++)
		sb_adds(sb, s);
}

/* Bidi embedding, override and isolate controls go; the marks stay. */
static void
test_sanitize_bidi(void **state)
{
	/* U+202E RLO "gnp.exe" would show as "exe.png" */
	static const char in[] = "a\xe2\x80\xaegnp.exe\xe2\x80\xac "
		"\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xad"
		"\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9" "b "
		"\xe2\x80\x8f\xe2\x80\x8e\xe2\x80\xa9\xe2\x81\xaa";
	const char *want = "agnp.exe b "
		"\xe2\x80\x8f\xe2\x80\x8e\xe2\x80\xa9\xe2\x81\xaa";

	(void)state;
	sanitized(in, sizeof in - 1, want);
	line_sanitized(in, sizeof in - 1, want);
	/* a long clean run with one in the middle (the fast path) */
	sanitized("0123456789abcdef0123456789\xe2\x80\xae" "x", 30,
		  "0123456789abcdef0123456789x");
}

static void
test_sanitize_invalid_utf8(void **state)
{
	(void)state;
	/* stray continuation, invalid lead, truncated sequence */
	sanitized("a\x80" "b\xff" "c\xe2\x82" "d", 8,
		  "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd" "d");
	/* overlong '/', surrogate, above U+10FFFF */
	sanitized("\xc0\xaf|\xed\xa0\x80|\xf4\x90\x80\x80", 11,
		  "\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
		  "|\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	/* truncated at the very end */
	sanitized("ok\xf0\x9f\x98", 5, "ok\xef\xbf\xbd");
}

static void
test_hostile_html(void **state)
{
	struct text_doc d;
	const char in[] = "<p>a\0b \033]0;pwned\007c \xc2\x9b" "2Jd "
			  "\xff\xfe e &#27;[31m f &#x9b; g &#0; h</p>"
			  "<a href=\"java\033[2Jscript\">l</a>";

	(void)state;
	text_doc_init(&d);
	assert_int_equal(text_from_html(in, sizeof in - 1, &d), DL_OK);
	assert_doc(&d);
	assert_null(strchr(d.text, '\033'));
	assert_null(strstr(d.text, "pwned"));
	/* the 8-bit CSI introducer goes alone: its arguments are text */
	assert_non_null(strstr(d.text, "ab c 2Jd"));
	assert_non_null(strstr(d.text, "\xef\xbf\xbd"));
	assert_true(d.nspans == 1 && d.spans[0].href != NULL);
	assert_null(strchr(d.spans[0].href, '\033'));
	text_doc_done(&d);

	/* the same through Markdown and plain text */
	text_doc_init(&d);
	assert_int_equal(text_from_markdown(in, sizeof in - 1, &d), DL_OK);
	assert_doc(&d);
	assert_null(strstr(d.text, "pwned"));
	assert_int_equal(text_from_plain(in, sizeof in - 1, &d), DL_OK);
	assert_doc(&d);
	assert_null(strstr(d.text, "pwned"));
	text_doc_done(&d);
}

static void
test_big_body(void **state)
{
	struct strbuf sb;
	struct text_doc d;
	double t0;
	size_t n = 0;

	(void)state;
	sb_init(&sb);
	while (sb.len < 5 * 1024 * 1024) {
		sb_addf(&sb, "<p>Line %zu with <code>x[%zu]</code> &amp; "
			"caf\xc3\xa9.</p><pre><code>for i in range(%zu):\n"
			"    print(i)\n</code></pre>\n", n, n, n);
		n++;
	}
	text_doc_init(&d);
	t0 = now_mono();
	assert_int_equal(text_from_html(sb.s, sb.len, &d), DL_OK);
	/* generous: linear work, not a benchmark; quadratic would be hours */
	assert_true(now_mono() - t0 < 60.0);
	assert_doc(&d);
	assert_int_equal(d.nblocks, 2 * n);
	assert_int_equal(d.nspans, n);
	assert_int_equal(text_from_markdown(sb.s, sb.len, &d), DL_OK);
	assert_doc(&d);
	assert_int_equal(text_from_plain(sb.s, sb.len, &d), DL_OK);
	assert_doc(&d);
	assert_int_equal(d.len, sb.len);
	text_doc_done(&d);
	sb_done(&sb);
}

static void
deep(const char *open, const char *close, int markdown)
{
	struct strbuf sb;
	struct text_doc d;

	sb_init(&sb);
	repeat(&sb, open, 100000);
	sb_adds(&sb, "deep text");
	if (close != NULL)
		repeat(&sb, close, 100000);
	text_doc_init(&d);
	if (markdown)
		assert_int_equal(text_from_markdown(sb.s, sb.len, &d), DL_OK);
	else
		assert_int_equal(text_from_html(sb.s, sb.len, &d), DL_OK);
	assert_doc(&d);
	text_doc_done(&d);
	sb_done(&sb);
}

static void
test_deep_nesting(void **state)
{
	(void)state;
	deep("<div>", "</div>", 0);
	deep("<blockquote>", NULL, 0);
	deep("<ul><li>x", NULL, 0);
	deep("<b><i><code>", NULL, 0);
	deep("<a href=x>", "</a>", 0);
	deep("<pre>", NULL, 0);
	deep(">", NULL, 1);
	deep("- ", NULL, 1);
	deep("[", NULL, 1);
	deep("*_", NULL, 1);
	deep("<div>", NULL, 1);
}

/*
 * Stray end tags under very deep unclosed nesting: libxml2 2.9 compares
 * each with every open element, minutes for this body before elements
 * past a depth were left unopened; at once now.  Text before and after
 * survives, and shallow nesting keeps its spans.
 */
static void
test_deep_stray_end_tags(void **state)
{
	struct strbuf sb;
	struct text_doc d;

	(void)state;
	sb_init(&sb);
	repeat(&sb, "<b>", 200000);
	sb_adds(&sb, "deep text");
	repeat(&sb, "</i>", 200000);
	repeat(&sb, "<body>", 200000);
	sb_adds(&sb, "<p>after</p>");
	text_doc_init(&d);
	assert_int_equal(text_from_html(sb.s, sb.len, &d), DL_OK);
	assert_doc(&d);
	assert_non_null(strstr(d.text, "deep text"));
	assert_non_null(strstr(d.text, "after"));
	text_doc_done(&d);
	sb_done(&sb);

	sb_init(&sb);
	repeat(&sb, "<b>", 50);
	sb_adds(&sb, "x<code>y</code>");
	repeat(&sb, "</i>", 50);
	text_doc_init(&d);
	assert_int_equal(text_from_html(sb.s, sb.len, &d), DL_OK);
	assert_doc(&d);
	assert_string_equal(d.text, "xy");
	assert_int_equal(d.nspans, 51);
	text_doc_done(&d);
	sb_done(&sb);
}

/*
 * Markdown repeating "![[]()": cmark 0.30.2 walked back over every open
 * image opener on each link, minutes for this body before image openers
 * past the 256th were escaped; at once now.  Past that many images, the
 * rest read as text.
 */
static void
test_markdown_many_images(void **state)
{
	struct strbuf sb;
	struct text_doc d;

	(void)state;
	sb_init(&sb);
	repeat(&sb, "![[]()", 200000);
	sb_adds(&sb, "\n\nafter");
	text_doc_init(&d);
	assert_int_equal(text_from_markdown(sb.s, sb.len, &d), DL_OK);
	assert_doc(&d);
	assert_non_null(strstr(d.text, "after"));
	text_doc_done(&d);
	sb_done(&sb);

	sb_init(&sb);
	repeat(&sb, "![a](u) ", 258);
	text_doc_init(&d);
	assert_int_equal(text_from_markdown(sb.s, sb.len, &d), DL_OK);
	assert_doc(&d);
	assert_int_equal(strncmp(d.text, "a a ", 4), 0);
	assert_non_null(strstr(d.text, "a ![a](u) ![a](u)"));
	assert_null(strstr(d.text, "a ![a](u) ![a](u) ![a](u)"));
	text_doc_done(&d);
	sb_done(&sb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_paragraphs_and_code),
		cmocka_unit_test(test_html_lists_quotes_headings),
		cmocka_unit_test(test_html_links_and_emphasis),
		cmocka_unit_test(test_html_entities_once),
		cmocka_unit_test(test_html_skips_script_and_tables),
		cmocka_unit_test(test_html_empty_and_text_only),
		cmocka_unit_test(test_html_encoding),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_markdown_raw_html_is_text),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_from_post),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_sanitize_line),
		cmocka_unit_test(test_sanitize_invalid_utf8),
		cmocka_unit_test(test_sanitize_bidi),
		cmocka_unit_test(test_hostile_html),
		cmocka_unit_test(test_big_body),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_deep_stray_end_tags),
		cmocka_unit_test(test_markdown_many_images),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
