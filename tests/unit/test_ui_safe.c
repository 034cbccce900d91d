/*
 * test_ui_safe.c - the dashboard's terminal-safety filter: no escape
 * sequence, control byte or C1 code point survives; wide characters keep
 * their width; byte offsets map back to the source.
 */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dlrepro/util.h"
#include "../../src/ui/safe.h"

/* The cells of s as a UTF-8 string ('\n' and '\t' kept). */
static char *
cells(const char *s, size_t len)
{
	struct safe_iter it;
	wchar_t wc;
	int w;
	size_t at;
	struct strbuf sb;
	char buf[8];

	sb_init(&sb);
	safe_iter_init(&it, s, len);
	while (safe_next(&it, &wc, &w, &at)) {
		int n = wctomb(buf, wc);

		assert_true(n > 0);
		sb_add(&sb, buf, (size_t)n);
	}
	return sb_detach(&sb);
}

static void
assert_cells(const char *in, size_t len, const char *want)
{
	char *got = cells(in, len);

	assert_string_equal(got, want);
	free(got);
}

static void
test_plain(void **state)
{
	(void)state;
	assert_cells("hello, world", 12, "hello, world");
	assert_cells("a\nb\tc", 5, "a\nb\tc");
}

static void
test_csi_osc_removed(void **state)
{
	static const char in[] = "a\x1b[31mred\x1b[0m b"
				 "\x1b]0;evil title\x07"
				 "c\x1b]2;t2\x1b\\d"
				 "\x1bP1$qm\x1b\\e";

	(void)state;
	assert_cells(in, sizeof(in) - 1, "ared bcde");
}

static void
test_c1_forms(void **state)
{
	/* U+009B CSI and U+009D OSC as UTF-8, then plain C1 controls. */
	static const char in[] = "x\xc2\x9b"
				 "31my\xc2\x9d"
				 "0;title\xc2\x9cz\xc2\x85w";

	(void)state;
	assert_cells(in, sizeof(in) - 1, "xyz\xef\xbf\xbdw");
}

static void
test_controls_placeholder(void **state)
{
	static const char in[] = "a\x01" "b\x7f" "c\r\n\x00" "d";

	(void)state;
	/* C0 and DEL become U+FFFD; CR and NUL vanish. */
	assert_cells(in, sizeof(in) - 1,
		     "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\nd");
}

static void
test_invalid_utf8(void **state)
{
	static const char in[] = "a\xff\xc0\xafz\xed\xa0\x80";

	(void)state;
	{
		char *got = cells(in, sizeof(in) - 1);

		/* every bad byte is a placeholder, never raw */
		assert_null(strchr(got, '\xff'));
		assert_non_null(strstr(got, "z"));
		assert_int_equal(strncmp(got, "a\xef\xbf\xbd", 4), 0);
		free(got);
	}
}

static void
test_unterminated_osc_keeps_lines(void **state)
{
	static const char in[] = "a\x1b]0;never ends\nnext line";

	(void)state;
	assert_cells(in, sizeof(in) - 1, "a\nnext line");
}

static void
test_width(void **state)
{
	(void)state;
	assert_int_equal(safe_width("abc", 3), 3);
	/* CJK is two columns, combining marks none */
	assert_int_equal(safe_width("\xe4\xb8\xad\xe6\x96\x87", 6), 4);
	assert_int_equal(safe_width("e\xcc\x81", 3), 1);
	assert_int_equal(safe_width("\x1b[1mX\x1b[0m", 9), 1);
}

static void
test_fit(void **state)
{
	int w;
	char *s;

	(void)state;
	s = safe_fit("hello world", 8, &w);
	assert_string_equal(s, "hello w\xe2\x80\xa6");
	assert_int_equal(w, 8);
	free(s);
	s = safe_fit("\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad", 5, &w);
	assert_true(w <= 5);
	free(s);
	s = safe_fit("a\x1b]0;x\x07" "b", 10, &w);
	assert_string_equal(s, "ab");
	free(s);
}

#define ELL "\xe2\x80\xa6"

static void
assert_fit_id(const char *id, int maxw, const char *want)
{
	int w;
	char *s = safe_fit_id(id, maxw, &w);

	assert_string_equal(s, want);
	assert_int_equal(w, safe_width(want, strlen(want)));
	assert_true(w <= maxw);
	free(s);
}

static void
test_fit_id(void **state)
{
	(void)state;
	/* fits: as it is */
	assert_fit_id("gh:pytorch/pytorch#1", 20, "gh:pytorch/pytorch#1");
	/* the number that tells issues apart stays, so does the start */
	assert_fit_id("gh:pytorch/pytorch#1", 16, "gh:pytorch/py" ELL "#1");
	assert_fit_id("gh:keras-team/keras#7", 16,
		      "gh:keras-team" ELL "#7");
	assert_fit_id("gh:tensorflow/tensorflow#61234", 12,
		      "gh:te" ELL "#61234");
	/* a long number keeps its end digits and the site */
	assert_fit_id("so:9000000007", 10, "so:" ELL "000007");
	assert_fit_id("so:9000000007", 12, "so:" ELL "00000007");
	/* no mark: the end half */
	assert_fit_id("abcdefghij", 7, "abc" ELL "hij");
	/* tiny widths */
	assert_fit_id("so:9000000007", 1, ELL "");
	assert_fit_id("so:9000000007", 3, "s" ELL "7");
	assert_fit_id("so:9000000007", 0, "");
	/* escapes never come through; wide cells count two */
	assert_fit_id("gh:a\x1b[31mb/c#12", 20, "gh:ab/c#12");
	assert_fit_id("gh:\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad/x#12", 9,
		      "gh:\xe4\xb8\xad" ELL "#12");
}

static void
test_offsets(void **state)
{
	struct safe_iter it;
	wchar_t wc;
	int w;
	size_t at;
	static const char in[] = "\x1b[0mab";

	(void)state;
	safe_iter_init(&it, in, sizeof(in) - 1);
	assert_true(safe_next(&it, &wc, &w, &at));
	assert_int_equal(wc, L'a');
	assert_int_equal(at, 4);
}

/* The wrapped lines of s as "line|line|..." */
static char *
wrapped(const char *s, int width)
{
	struct safe_line *lines = NULL;
	size_t cap = 0, n, i;
	struct strbuf sb;

	n = safe_wrap(s, strlen(s), width, &lines, &cap);
	sb_init(&sb);
	for (i = 0; i < n; i++) {
		if (i)
			sb_addc(&sb, '|');
		assert_true(lines[i].start <= lines[i].end);
		assert_true(lines[i].end <= strlen(s));
		/* no line is wider than asked (a lone wide cell excepted) */
		assert_true(lines[i].indent >= 0 &&
			    lines[i].indent * 2 <= width);
		assert_true(lines[i].indent +
				    safe_width(s + lines[i].start,
					       lines[i].end - lines[i].start) <=
			    (width > 1 ? width : 2));
		for (int k = 0; k < lines[i].indent; k++)
			sb_addc(&sb, '_');
		sb_add(&sb, s + lines[i].start, lines[i].end - lines[i].start);
	}
	free(lines);
	return sb_detach(&sb);
}

static void
assert_wrap(const char *in, int width, const char *want)
{
	char *got = wrapped(in, width);

	assert_string_equal(got, want);
	free(got);
}

static void
test_wrap_words(void **state)
{
	(void)state;
	assert_wrap("the quick brown fox", 10, "the quick |brown fox");
	assert_wrap("the quick brown fox", 19, "the quick brown fox");
	assert_wrap("a\n\nb\n", 10, "a||b");
	assert_wrap("", 10, "");
}

/* Continuations hang under the text: past indent and list markers. */
static void
test_wrap_hanging(void **state)
{
	(void)state;
	assert_wrap("    this post: a reason", 14,
		    "    this post:|____a reason");
	assert_wrap("  1. Could you add the calls", 14,
		    "  1. Could you|_____add the |_____calls");
	assert_wrap("- one two three", 9, "- one two|__three");
	assert_wrap("* ab cd", 5, "* ab |__cd");
	/* a number without ". " is not a marker */
	assert_wrap("12 ab cd ef", 6, "12 ab |cd ef");
	/* a word too long for the hanging line breaks inside, never
	 * running past the width */
	assert_wrap("    ab cdefghij", 8, "    ab |____cdef|____ghij");
	/* an indent over half the width does not hang */
	assert_wrap("      ab cd ef", 8, "      ab|cd ef");
	/* nor a line that is only spaces and a marker */
	assert_wrap("- ", 4, "- ");
	/* a space that does not fit ends the line; the word stays */
	assert_wrap("the quick brown", 9, "the quick|brown");
}

static void
test_wrap_long_word(void **state)
{
	(void)state;
	assert_wrap("abcdefghij", 4, "abcd|efgh|ij");
	/* several spaces at the break are dropped, never a negative range */
	assert_wrap("abc    defgh", 4, "abc |defg|h");
}

static void
test_wrap_wide(void **state)
{
	(void)state;
	/* CJK: two columns each */
	assert_wrap("\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad", 4,
		    "\xe4\xb8\xad\xe6\x96\x87|\xe4\xb8\xad");
	/* narrower than one wide cell: one cell per line, no empty lines */
	assert_wrap("\xe4\xb8\xad\xe6\x96\x87", 1,
		    "\xe4\xb8\xad|\xe6\x96\x87");
}

static void
test_wrap_escapes_take_no_room(void **state)
{
	(void)state;
	assert_wrap("ab\x1b[31mcd\x1b[0m ef", 5, "ab\x1b[31mcd\x1b[0m |ef");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_csi_osc_removed),
		cmocka_unit_test(test_c1_forms),
		cmocka_unit_test(test_controls_placeholder),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_unterminated_osc_keeps_lines),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_fit_id),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_wrap_words),
		cmocka_unit_test(test_wrap_hanging),
		cmocka_unit_test(test_wrap_long_word),
		cmocka_unit_test(test_wrap_wide),
		cmocka_unit_test(test_wrap_escapes_take_no_room),
	};

	setlocale(LC_ALL, "C.UTF-8");
	safe_init_locale();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
