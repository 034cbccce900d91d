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
		cmocka_unit_test(test_offsets),
	};

	setlocale(LC_ALL, "C.UTF-8");
	safe_init_locale();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
