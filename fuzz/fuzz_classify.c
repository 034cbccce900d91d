/*
 * fuzz_classify.c - libFuzzer target for src/classify.c.  The input is
 * split into a title (first line), tags (second line, split on spaces) and
 * a body (the rest; the first byte picks HTML, Markdown or plain text).
 * The result must be a valid type with probabilities that sum to one and
 * evidence inside the text, and classifying the same post again must give
 * exactly the same answer: the classifier caches what each token yields
 * across calls, so a second run checks that cache against itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dlrepro/classify.h"
#include "dlrepro/data.h"
#include "dlrepro/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct dl_data *dd;
static struct classify_model *model;

static const char *
next_line(const char *p, const char *end, size_t *len)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	*len = (size_t)((nl ? nl : end) - p);
	return nl ? nl + 1 : end;
}

static void
check(const struct classification *c, const struct text_doc *doc)
{
	double sum = 0;
	size_t i;
	int t;

	if (c->type < 0 || c->type >= TYPE__COUNT)
		abort();
	if (!(c->confidence >= 0 && c->confidence <= 1))
		abort();
	for (t = 0; t < TYPE__SINGLE; t++) {
		if (!(c->scores[t] >= 0 && c->scores[t] <= 1))
			abort();
		sum += c->scores[t];
	}
	if (sum < 0.999999 || sum > 1.000001)
		abort();
	for (i = 0; i < c->nevidence; i++) {
		const struct classify_evidence *e = &c->evidence[i];

		if (!e->where || !e->text || !e->why)
			abort();
		if (strcmp(e->where, "body") == 0 ||
		    strcmp(e->where, "code") == 0 ||
		    strcmp(e->where, "log") == 0) {
			if (!doc || e->start > e->end || e->end > doc->len)
				abort();
		}
	}
}

static int
same(const struct classification *a, const struct classification *b)
{
	size_t i;

	if (a->type != b->type || a->method != b->method ||
	    memcmp(&a->confidence, &b->confidence, sizeof(double)) != 0 ||
	    memcmp(a->scores, b->scores, sizeof(a->scores)) != 0 ||
	    a->nevidence != b->nevidence)
		return 0;
	for (i = 0; i < a->nevidence; i++) {
		const struct classify_evidence *x = &a->evidence[i];
		const struct classify_evidence *y = &b->evidence[i];

		if (strcmp(x->where, y->where) != 0 ||
		    strcmp(x->text, y->text) != 0 ||
		    strcmp(x->why, y->why) != 0 || x->type != y->type ||
		    x->start != y->start || x->end != y->end)
			return 0;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *tl, *gl;
	char *title, *tagbuf, *tags[16], *s;
	size_t tlen, glen, ntags = 0;
	struct text_doc doc;
	struct classify_input in;
	struct classification a, b;
	int fmt = size ? data[0] % 3 : 0;

	if (!model) {
		dd = data_load(FUZZ_DATADIR);
		model = dd ? classify_model_load(FUZZ_DATADIR) : NULL;
		if (!model)
			abort();
	}
	if (size)
		p++;
	tl = p;
	p = next_line(p, end, &tlen);
	gl = p;
	p = next_line(p, end, &glen);
	title = strndup(tl, tlen);
	tagbuf = strndup(gl, glen);
	if (!title || !tagbuf)
		abort();
	for (s = strtok(tagbuf, " "); s && ntags < 16; s = strtok(NULL, " "))
		tags[ntags++] = s;

	text_doc_init(&doc);
	if (fmt == 0)
		text_from_html(p, (size_t)(end - p), &doc);
	else if (fmt == 1)
		text_from_markdown(p, (size_t)(end - p), &doc);
	else
		text_from_plain(p, (size_t)(end - p), &doc);
	in.title = *title ? title : NULL;
	in.tags = (const char *const *)tags;
	in.ntags = ntags;
	in.doc = &doc;
	if (classify_post(model, dd, &in, &a) != 0)
		abort();
	check(&a, &doc);
	if (classify_post(model, dd, &in, &b) != 0 || !same(&a, &b))
		abort();
	classification_done(&a);
	classification_done(&b);
	text_doc_done(&doc);
	free(title);
	free(tagbuf);
	return 0;
}
