/*
 * fuzz_infocat.c - libFuzzer target for src/infocat.c: the input becomes a
 * plain-text document (so the detectors see arbitrary, unstructured text)
 * and every evidence span must lie inside it, on character boundaries,
 * quoting its offsets, at most 8 per category.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dlrepro/infocat.h"
#include "dlrepro/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const tags[] = { "python", "keras" };
	struct text_doc d;
	struct infocat_result r;
	size_t i;
	int c;

	text_doc_init(&d);
	text_from_plain((const char *)data, size, &d);
	if (infocat_detect(&d, size & 1 ? "title torch" : NULL, tags,
			   size & 2 ? 2 : 0, &r) != 0)
		abort();
	for (c = 0; c < INFO__COUNT; c++) {
		if (r.r[c].nspans > 8 || (!r.r[c].present && r.r[c].nspans))
			abort();
		for (i = 0; i < r.r[c].nspans; i++) {
			const struct info_span *sp = &r.r[c].spans[i];
			size_t q;

			if (sp->start >= sp->end || sp->end > d.len || !sp->why)
				abort();
			if (((unsigned char)d.text[sp->start] & 0xc0) == 0x80 ||
			    (sp->end < d.len &&
			     ((unsigned char)d.text[sp->end] & 0xc0) == 0x80))
				abort();
			/* the text itself, or a prefix and an ellipsis */
			q = strlen(sp->text);
			if (!(q == sp->end - sp->start &&
			      memcmp(sp->text, d.text + sp->start, q) == 0) &&
			    !(q >= 3 && q - 3 < sp->end - sp->start &&
			      memcmp(sp->text + q - 3, "\xe2\x80\xa6", 3) == 0 &&
			      memcmp(sp->text, d.text + sp->start, q - 3) == 0))
				abort();
		}
	}
	infocat_result_done(&r);
	text_doc_done(&d);
	return 0;
}
