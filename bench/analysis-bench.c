/*
 * analysis-bench.c - throughput of the post analysis, stage by stage.
 *
 * Generates N (default 100,000) Stack Overflow-like question bodies from a
 * fixed-seed PRNG (paragraphs with inline code and links, code blocks with
 * escaped characters, tracebacks, training logs, shapes, hyperparameters,
 * version lines; 1.5-3 KB each) and times, on one core:
 *   - libxml2's own parse of the body (htmlReadMemory + xmlFreeDoc), the
 *     floor any HTML-based analysis pays;
 *   - text_from_html (parse, walk, sanitise);
 *   - infocat_detect;
 *   - classify_post, when the data files load (DLREPRO_DATADIR or the
 *     installed ones; bench/analysis.sh points at the source tree);
 * and prints posts/s per stage, the whole analysis against the bare parse,
 * and peak RSS.  Bodies are regenerated before each timed call so memory
 * stays that of the analysis, not of the corpus.  Measured, not asserted.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <libxml/HTMLparser.h>

#include "dlrepro/classify.h"
#include "dlrepro/data.h"
#include "dlrepro/infocat.h"
#include "dlrepro/text.h"
#include "dlrepro/util.h"

static uint64_t rng;

static uint64_t
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ull;
}

static unsigned
pick(unsigned n)
{
	return (unsigned)(rnd() % n);
}

#define PICK(a) ((a)[pick(ARRAY_SIZE(a))])

static const char *const fw_names[] = { "TensorFlow", "Keras", "PyTorch" };
static const char *const layers_k[] = {
	"layers.Conv2D(%u, (3, 3), activation='relu', padding='same')",
	"layers.MaxPooling2D((2, 2))", "layers.Flatten()",
	"layers.Dense(%u, activation='relu')", "layers.Dropout(0.%u)",
	"layers.LSTM(%u, return_sequences=True)",
	"layers.BatchNormalization()", "layers.Embedding(20000, %u)",
};
static const char *const layers_t[] = {
	"nn.Conv2d(%u, 64, kernel_size=3, padding=1)", "nn.ReLU()",
	"nn.Linear(%u, 128)", "nn.Dropout(p=0.%u)", "nn.BatchNorm2d(%u)",
	"nn.MaxPool2d(2)", "nn.LSTM(%u, 256, batch_first=True)",
	"nn.Flatten()",
};
static const char *const sentences[] = {
	"I am trying to train a %s model on my own data but the loss does "
	"not go down after the first few epochs.",
	"The accuracy stays around %u%% no matter what I change, which looks "
	"like the network is just guessing.",
	"I followed the official tutorial and only changed the input "
	"pipeline, so I do not understand what is different.",
	"My dataset has %u images split into 10 classes and I resize them "
	"to 224x224 before feeding them to the network.",
	"Any idea what I am doing wrong here? I have been stuck on this for "
	"two days &amp; searched everywhere.",
	"The same code worked last week on another machine, so I suspect a "
	"version problem rather than a bug in my model.",
	"I already tried lowering the learning rate to 0.000%u and changing "
	"the batch size, with no effect at all.",
	"When I print the shapes I get (%u, 28, 28, 1) for the inputs and "
	"(%u, 10) for the labels, which looks right to me.",
	"It only happens on the GPU; on the CPU the script runs to the end "
	"without any complaint.",
};
static const char *const errors[] = {
	"ValueError: Input 0 of layer \"dense\" is incompatible with the "
	"layer: expected axis -1 of input shape to have value 784, but "
	"received input with shape (None, 28, 28)",
	"RuntimeError: mat1 and mat2 shapes cannot be multiplied (64x2048 "
	"and 512x10)",
	"RuntimeError: CUDA out of memory. Tried to allocate 1.50 GiB (GPU "
	"0; 7.79 GiB total capacity)",
	"TypeError: forward() got an unexpected keyword argument "
	"'token_type_ids'",
	"InvalidArgumentError: logits and labels must have the same first "
	"dimension, got logits shape [32,10] and labels shape [320]",
};

/*
 * Expand a template: %s takes str, each %u the next of u[], %% is '%'.
 * (Our own expansion keeps -Wformat=2 happy with table templates.)
 */
static void
fill(struct strbuf *sb, const char *tmpl, const char *str, const unsigned *u)
{
	const char *p;

	for (p = tmpl; *p; p++) {
		if (p[0] != '%' || !p[1]) {
			sb_addc(sb, *p);
			continue;
		}
		p++;
		if (*p == 's')
			sb_adds(sb, str);
		else if (*p == 'u')
			sb_addf(sb, "%u", *u++);
		else
			sb_addc(sb, *p);
	}
}

static void
para(struct strbuf *sb)
{
	unsigned n = 2 + pick(3), i;

	sb_adds(sb, "<p>");
	for (i = 0; i < n; i++) {
		unsigned u[2];

		u[0] = 10 + pick(80);
		u[1] = 100 + pick(900);
		fill(sb, PICK(sentences), PICK(fw_names), u);
		sb_addc(sb, ' ');
		if (pick(4) == 0)
			sb_addf(sb, "I call <code>model.fit(x_train, y_train, "
				"epochs=%u)</code> as usual. ", 5 + pick(50));
		if (pick(6) == 0)
			sb_adds(sb, "See <a href=\"https://stackoverflow.com/"
				"questions/12345/x?a=1&amp;b=2\">this question"
				"</a> for a similar case. ");
	}
	sb_adds(sb, "</p>\n");
}

static void
code_block(struct strbuf *sb)
{
	unsigned n = 4 + pick(8), i;

	sb_adds(sb, "<pre class=\"lang-py prettyprint-override\"><code>");
	if (pick(2)) {
		sb_adds(sb, "import numpy as np\nimport tensorflow as tf\n"
			"from tensorflow.keras import layers\n\n"
			"model = tf.keras.Sequential([\n");
		for (i = 0; i < n; i++) {
			unsigned u = 16u << pick(5);

			sb_adds(sb, "    ");
			fill(sb, PICK(layers_k), NULL, &u);
			sb_adds(sb, ",\n");
		}
		sb_addf(sb, "])\nmodel.compile(optimizer=tf.keras.optimizers."
			"Adam(learning_rate=1e-%u),\n              "
			"loss='sparse_categorical_crossentropy', "
			"metrics=['accuracy'])\n"
			"history = model.fit(x_train, y_train, epochs=%u, "
			"batch_size=%u,\n                    "
			"validation_data=(x_val, y_val))\n",
			2 + pick(3), 5 + pick(50), 16u << pick(4));
	} else {
		sb_adds(sb, "import torch\nimport torch.nn as nn\n\n"
			"class Net(nn.Module):\n    def __init__(self):\n"
			"        super().__init__()\n"
			"        self.body = nn.Sequential(\n");
		for (i = 0; i < n; i++) {
			unsigned u = 3u << pick(5);

			sb_adds(sb, "            ");
			fill(sb, PICK(layers_t), NULL, &u);
			sb_adds(sb, ",\n");
		}
		sb_addf(sb, "        )\n\n    def forward(self, x):\n"
			"        return self.body(x)\n\n"
			"model = Net().cuda()\n"
			"opt = torch.optim.SGD(model.parameters(), lr=0.0%u, "
			"momentum=0.9)\n"
			"for epoch in range(%u):\n"
			"    for x, y in loader:\n"
			"        if x.size(0) &lt; 2 and not drop_last:\n"
			"            continue\n"
			"        loss = criterion(model(x), y)\n"
			"        opt.zero_grad(); loss.backward(); opt.step()\n",
			1 + pick(9), 10 + pick(90));
	}
	sb_adds(sb, "</code></pre>\n");
}

static void
log_block(struct strbuf *sb)
{
	unsigned i, n = 2 + pick(4);

	sb_adds(sb, "<pre><code>");
	if (pick(2)) {
		sb_adds(sb, "Traceback (most recent call last):\n"
			"  File \"train.py\", line 57, in &lt;module&gt;\n"
			"    history = model.fit(x_train, y_train)\n"
			"  File \"/usr/local/lib/python3.8/dist-packages/keras/"
			"utils/traceback_utils.py\", line 67, in error_handler\n"
			"    raise e.with_traceback(filtered_tb) from None\n");
		sb_adds(sb, PICK(errors));
		sb_addc(sb, '\n');
	} else {
		for (i = 1; i <= n; i++)
			sb_addf(sb, "Epoch %u/%u\n1875/1875 [=============="
				"================] - %us %ums/step - loss: "
				"0.%04u - accuracy: 0.%04u\n", i, n, 3 + pick(9),
				2 + pick(8), pick(10000), pick(10000));
	}
	sb_adds(sb, "</code></pre>\n");
}

static void
env_para(struct strbuf *sb)
{
	sb_addf(sb, "<ul>\n<li>%s 2.%u.%u</li>\n<li>Python 3.%u</li>\n"
		"<li>CUDA 11.%u, cuDNN 8.%u on Ubuntu 20.04</li>\n</ul>\n",
		PICK(fw_names), pick(15), pick(3), 7 + pick(5), pick(8),
		pick(9));
}

static void
gen_post(unsigned long i, struct strbuf *sb)
{
	size_t target;

	rng = 0x9e3779b97f4a7c15ull ^ ((uint64_t)i * 0xbf58476d1ce4e5b9ull);
	if (rng == 0)
		rng = 1;
	target = 1500 + pick(1500);
	sb_reset(sb);
	para(sb);
	code_block(sb);
	if (pick(3))
		log_block(sb);
	while (sb->len + 400 < target)
		para(sb);
	if (pick(2))
		env_para(sb);
}

static void
dump_cls(FILE *f, unsigned long i, const struct classification *c)
{
	fprintf(f, "%lu type %d method %d conf %a scores", i, c->type,
		(int)c->method, c->confidence);
	for (int t = 0; t < TYPE__SINGLE; t++)
		fprintf(f, " %a", c->scores[t]);
	fputc('\n', f);
	for (size_t k = 0; k < c->nevidence; k++) {
		const struct classify_evidence *e = &c->evidence[k];

		fprintf(f, "  %s|%s|%s|%d|%a|%zu|%zu\n", e->where, e->text,
			e->why, e->type, e->weight, e->start, e->end);
	}
}

/* FNV-1a, 64 bits: a digest of the text and its structure */
static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--)
		h = (h ^ *b++) * 0x100000001b3ull;
	return h;
}

#define FNV_INIT 0xcbf29ce484222325ull

/*
 * One post's text_doc (digests of the text, blocks and spans) and every
 * infocat result (present flag, each span's offsets, label and quote), to
 * compare two builds line by line.
 */
static void
dump_info(FILE *f, unsigned long i, const struct text_doc *doc,
	  const struct infocat_result *res)
{
	uint64_t ht = fnv(FNV_INIT, doc->text, doc->len), hb = FNV_INIT;
	uint64_t hs = FNV_INIT;
	size_t k;
	int c;

	for (k = 0; k < doc->nblocks; k++) {
		const struct text_block *b = &doc->blocks[k];
		unsigned long long v[4] = { (unsigned long long)b->kind,
			b->start, b->end, (unsigned long long)b->depth };

		hb = fnv(hb, v, sizeof(v));
	}
	for (k = 0; k < doc->nspans; k++) {
		const struct text_span *sp = &doc->spans[k];
		unsigned long long v[3] = { (unsigned long long)sp->kind,
			sp->start, sp->end };

		hs = fnv(hs, v, sizeof(v));
		if (sp->href)
			hs = fnv(hs, sp->href, strlen(sp->href) + 1);
	}
	fprintf(f, "%lu text %zu %016llx blocks %zu %016llx spans %zu %016llx "
		"fw %s\n", i, doc->len, (unsigned long long)ht, doc->nblocks,
		(unsigned long long)hb, doc->nspans, (unsigned long long)hs,
		res->framework ? res->framework : "-");
	for (c = 0; c < INFO__COUNT; c++) {
		const struct info_result *r = &res->r[c];

		fprintf(f, "  %s %d %zu", infocat_id(c), r->present,
			r->nspans);
		for (k = 0; k < r->nspans; k++)
			fprintf(f, " [%zu,%zu %s %016llx]", r->spans[k].start,
				r->spans[k].end, r->spans[k].why,
				(unsigned long long)fnv(FNV_INIT,
					r->spans[k].text,
					strlen(r->spans[k].text)));
		fputc('\n', f);
	}
}

/*
 * Hidden -m: spoil a generated body the way real ones are spoiled
 * (control bytes, escape sequences, broken UTF-8, CRs, stray tags and
 * entities, flattened lines), so that a dump also covers the slow paths.
 */
static void
mutate(struct strbuf *sb)
{
	static const char *const bits[] = { "\x1b[31m", "\x1b]0;t\x07",
		"\r\n", "\r", "\xc3", "\xe2\x82", "\xc2\x9b" "1m", "\x01",
		"\x7f", "<br>", "</p>", "<pre>", "<code>", "&lt;", "&amp;",
		"&#x41;", "&nbsp;", "\xc3\xa9", "\xe2\x80\xa6", "\t",
		"  ", "<b>", "</b>", "<li>", "<blockquote>", "<h2>", "<td>",
		"<script>x", "</script>", "<a href=\"h\x01\">", "\n", "\0" };
	unsigned n = pick(12), k;

	for (k = 0; k < n; k++) {
		size_t at = sb->len ? pick((unsigned)sb->len) : 0;
		unsigned what = pick(ARRAY_SIZE(bits) + 3);
		struct strbuf tmp;

		sb_init(&tmp);
		sb_add(&tmp, sb->s, at);
		if (what < ARRAY_SIZE(bits)) {
			const char *b = bits[what];

			sb_add(&tmp, b, *b ? strlen(b) : 1);
		} else if (what == ARRAY_SIZE(bits)) {
			at += pick(40);	/* cut bytes out */
		} else if (what == ARRAY_SIZE(bits) + 1) {
			sb_addc(&tmp, (char)pick(256));
		} else {
			/* replace newlines with spaces for a while */
			size_t e = at + pick(400);

			for (; at < sb->len && at < e; at++)
				sb_addc(&tmp, sb->s[at] == '\n' ? ' '
								 : sb->s[at]);
		}
		if (at < sb->len)
			sb_add(&tmp, sb->s + at, sb->len - at);
		sb_reset(sb);
		sb_add(sb, tmp.s, tmp.len);
		sb_done(&tmp);
	}
}

/* All of path into sb (NUL-terminated by the strbuf). */
static int
read_file(const char *path, struct strbuf *sb)
{
	FILE *f = fopen(path, "rb");
	char buf[65536];
	size_t got;

	if (f == NULL) {
		perror(path);
		return -1;
	}
	sb_init(sb);
	while ((got = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_add(sb, buf, got);
	fclose(f);
	return 0;
}

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void
row(const char *name, double secs, unsigned long n)
{
	printf("  %-22s %9.3f s %11.0f posts/s %9.2f us/post\n", name, secs,
	       secs > 0 ? (double)n / secs : 0.0,
	       n ? secs * 1e6 / (double)n : 0.0);
}

int
main(int argc, char **argv)
{
	unsigned long n = 100000, i;
	struct strbuf sb;
	double t, t_parse = 0, t_text = 0, t_info = 0, t_cls = 0;
	size_t bytes = 0, text_bytes = 0, present[INFO__COUNT] = { 0 };
	struct rusage ru;
	int c;
	struct dl_data *data;
	struct classify_model *model = NULL;
	FILE *dump = NULL, *dump_doc = NULL;
	int mutating = 0;
	struct strbuf bodies = { 0 };
	size_t off = 0;

	for (c = 1; c < argc; c++) {
		if (strcmp(argv[c], "-n") == 0 && c + 1 < argc)
			n = strtoul(argv[++c], NULL, 10);
		else if (strcmp(argv[c], "-d") == 0 && c + 1 < argc) {
			/* hidden: every classification, exactly, to compare
			 * builds (floats in %a) */
			dump = fopen(argv[++c], "w");
			if (dump == NULL) {
				perror(argv[c]);
				return 1;
			}
		} else if (strcmp(argv[c], "-D") == 0 && c + 1 < argc) {
			/* hidden: every text_doc digest and infocat result,
			 * to check that a faster build changes nothing */
			dump_doc = fopen(argv[++c], "w");
			if (dump_doc == NULL) {
				perror(argv[c]);
				return 1;
			}
		} else if (strcmp(argv[c], "-m") == 0) {
			mutating = 1;	/* hidden: see mutate() */
		} else if (strcmp(argv[c], "-F") == 0 && c + 1 < argc) {
			/* hidden: bodies from a file instead, NUL-separated,
			 * each led by its format: 'h' HTML, 'm' Markdown,
			 * 'p' plain text */
			if (read_file(argv[++c], &bodies) != 0)
				return 1;
		} else if (strcmp(argv[c], "--dump") == 0 && c + 1 < argc) {
			/* print one generated body, to look at or profile */
			sb_init(&sb);
			gen_post(strtoul(argv[++c], NULL, 10), &sb);
			fwrite(sb.s, 1, sb.len, stdout);
			sb_done(&sb);
			return 0;
		} else {
			fprintf(stderr, "usage: analysis-bench [-n POSTS] "
				"[--dump I]\n");
			return 2;
		}
	}
	/* the classifier is timed when its files load, else left out */
	data = data_load(NULL);
	if (data)
		model = classify_model_load(NULL);
	if (!model)
		printf("analysis-bench: classify_post not timed: %s\n",
		       error_msg());
	sb_init(&sb);
	xmlInitParser();

	/* stages interleaved post by post, so that load from elsewhere on
	 * the machine hits all of them alike and the ratio stays fair */
	for (i = 0; i < n; i++) {
		htmlDocPtr hd;
		struct text_doc doc;
		struct infocat_result res;

		char fmt = 'h';

		if (bodies.s != NULL) {
			size_t e;

			if (off >= bodies.len) {
				n = i;
				break;
			}
			e = off + strlen(bodies.s + off);
			fmt = bodies.s[off];
			sb_reset(&sb);
			if (e > off)
				sb_add(&sb, bodies.s + off + 1, e - off - 1);
			off = e + 1;
		} else
			gen_post(i, &sb);
		if (mutating)
			mutate(&sb);
		bytes += sb.len;
		t = mono();
		/* the options text_from_html uses */
		hd = htmlReadMemory(sb.s, (int)sb.len, NULL, "UTF-8",
				    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
				    HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
				    HTML_PARSE_COMPACT);
		xmlFreeDoc(hd);
		t_parse += mono() - t;

		text_doc_init(&doc);
		t = mono();
		if ((fmt == 'm' ? text_from_markdown(sb.s, sb.len, &doc) :
		     fmt == 'p' ? text_from_plain(sb.s, sb.len, &doc) :
		     text_from_html(sb.s, sb.len, &doc)) != DL_OK) {
			fprintf(stderr, "analysis-bench: %s\n", error_msg());
			return 1;
		}
		t_text += mono() - t;
		text_bytes += doc.len;
		t = mono();
		infocat_detect(&doc, NULL, NULL, 0, &res);
		t_info += mono() - t;
		for (c = 0; c < INFO__COUNT; c++)
			present[c] += (size_t)res.r[c].present;
		if (dump_doc != NULL)
			dump_info(dump_doc, i, &doc, &res);
		if (model) {
			struct classify_input in = { NULL, NULL, 0, &doc };
			struct classification cls;

			t = mono();
			classify_post(model, data, &in, &cls);
			t_cls += mono() - t;
			if (dump != NULL)
				dump_cls(dump, i, &cls);
			classification_done(&cls);
		}
		infocat_result_done(&res);
		text_doc_done(&doc);
	}
	getrusage(RUSAGE_SELF, &ru);

	printf("analysis-bench: %lu generated posts, %.2f KB HTML and "
	       "%.2f KB text per post on average\n", n,
	       n ? (double)bytes / (double)n / 1024.0 : 0.0,
	       n ? (double)text_bytes / (double)n / 1024.0 : 0.0);
	row("libxml2 parse only", t_parse, n);
	row("text_from_html", t_text, n);
	row("infocat_detect", t_info, n);
	if (model)
		row("classify_post", t_cls, n);
	row("whole analysis", t_text + t_info + t_cls, n);
	printf("  whole / parse: %.2fx (goal <= 1.5x); whole: %.0f posts/s "
	       "(goal >= 25000)\n",
	       t_parse > 0 ? (t_text + t_info + t_cls) / t_parse : 0.0,
	       t_text + t_info + t_cls > 0 ?
	       (double)n / (t_text + t_info + t_cls) : 0.0);
	if (model)
		printf("  without classify_post: %.2fx\n", t_parse > 0 ?
		       (t_text + t_info) / t_parse : 0.0);
	printf("  present:");
	for (c = 0; c < INFO__COUNT; c++)
		printf(" %s %.0f%%", infocat_id(c),
		       n ? 100.0 * (double)present[c] / (double)n : 0.0);
	printf("\n  peak RSS: %.1f MB\n", (double)ru.ru_maxrss / 1024.0);
	sb_done(&sb);
	classify_model_free(model);
	data_free(data);
	sb_done(&bodies);
	if (dump_doc != NULL && fclose(dump_doc) != 0) {
		perror("analysis-bench: dump");
		return 1;
	}
	if (dump != NULL && fclose(dump) != 0) {
		perror("analysis-bench: dump");
		return 1;
	}
	return 0;
}
