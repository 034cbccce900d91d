/*
 * fuzz_text.c - libFuzzer target for src/text.c.  The first byte picks the
 * front end (HTML, Markdown, plain text, the bare sanitiser, the one-line
 * terminal sanitiser); the rest is
 * the body.  Besides the sanitizers' own checks, every result must keep
 * the module's promises: valid UTF-8 without control bytes, blocks and
 * spans inside the text and on character boundaries.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dlrepro/text.h"

static void
check_clean(const char *s, size_t len)
{
	size_t i = 0;

	if (strlen(s) != len)
		abort();
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t n, k;

		if (c < 0x80) {
			if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
				abort();
			i++;
			continue;
		}
		if (c < 0xc2 || c > 0xf4)
			abort();
		n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
		if (i + n > len)
			abort();
		for (k = 1; k < n; k++)
			if (((unsigned char)s[i + k] & 0xc0) != 0x80)
				abort();
		if (c == 0xc2 && (unsigned char)s[i + 1] < 0xa0)
			abort();	/* C1 control */
		i += n;
	}
}

static void
check_pos(const struct text_doc *d, size_t pos)
{
	if (pos > d->len)
		abort();
	if (pos < d->len && ((unsigned char)d->text[pos] & 0xc0) == 0x80)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct text_doc d;
	const char *body = (const char *)data + 1;
	size_t len = size ? size - 1 : 0, i;
	char *s;

	if (size == 0)
		return 0;
	text_doc_init(&d);
	switch (data[0] % 5) {
	case 0:
		text_from_html(body, len, &d);
		break;
	case 1:
		text_from_markdown(body, len, &d);
		break;
	case 2:
		text_from_plain(body, len, &d);
		break;
	case 3:
		s = text_sanitize(body, len);
		check_clean(s, strlen(s));
		free(s);
		return 0;
	default:
		/* one line: clean, and no newline or tab left either */
		s = text_sanitize_line(body, len);
		check_clean(s, strlen(s));
		if (strpbrk(s, "\n\t") != NULL)
			abort();
		free(s);
		return 0;
	}
	check_clean(d.text, d.len);
	for (i = 0; i < d.nblocks; i++) {
		if (d.blocks[i].start > d.blocks[i].end)
			abort();
		check_pos(&d, d.blocks[i].start);
		check_pos(&d, d.blocks[i].end);
	}
	for (i = 0; i < d.nspans; i++) {
		if (d.spans[i].start >= d.spans[i].end)
			abort();
		check_pos(&d, d.spans[i].start);
		check_pos(&d, d.spans[i].end);
		if (d.spans[i].href)
			check_clean(d.spans[i].href, strlen(d.spans[i].href));
	}
	text_doc_done(&d);
	return 0;
}
