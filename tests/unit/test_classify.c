/*
 * test_classify.c - the bug-type classifier: the Table-1 tag rule
 * (segments, tensorflow is not tensor, precedence), stage 2 on titles and
 * bodies, Mixed, evidence offsets, confidence ranges, broken model
 * files, the per-thread token cache, tokens wherever they fall, the
 * why texts' weights and articles.  Uses
 * the shipped data/classifier.json ($DLREPRO_DATADIR) and
 * small hand-written models in a temporary directory; the taxonomy is
 * built by hand so the test does not depend on data.c.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "dlrepro/classify.h"
#include "dlrepro/data.h"
#include "dlrepro/text.h"
#include "dlrepro/util.h"

static const char *const table1[TYPE__SINGLE][12] = {
	{"layer", "model", "activation-function"},
	{"tensor"},
	{"loss-function", "training-data", "optimization", "loss",
	 "data-augmentation", "performance", "learning-rate",
	 "hyperparameters", "initialization", "imbalanced-data", "nan"},
	{"gpu", "nvidia", "cuda"},
	{"typeerror", "valueerror", "attributeerror", "importerror",
	 "compilererrors", "syntaxerror", "modulenotfounderror"},
};

static const char *const names[TYPE__COUNT] = {
	"Model", "Tensor and Input", "Training", "GPU", "API", "Mixed",
};

struct fixture {
	struct dl_data d;
	struct classify_model *m;
	char tmp[64];
};

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);

	for (int t = 0; t < TYPE__COUNT; t++) {
		f->d.types[t].name = (char *)names[t];
		sv_init(&f->d.types[t].tags);
		for (int k = 0; t < TYPE__SINGLE && k < 12 && table1[t][k]; k++)
			sv_push(&f->d.types[t].tags, table1[t][k]);
	}
	f->m = classify_model_load(NULL);
	if (f->m == NULL)
		fail_msg("shipped model: %s", error_msg());
	strcpy(f->tmp, "/tmp/test_classify.XXXXXX");
	if (mkdtemp(f->tmp) == NULL)
		fail_msg("mkdtemp failed");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char *p = xasprintf("%s/classifier.json", f->tmp);

	unlink(p);
	free(p);
	rmdir(f->tmp);
	for (int t = 0; t < TYPE__COUNT; t++)
		sv_done(&f->d.types[t].tags);
	classify_model_free(f->m);
	free(f);
	return 0;
}

static void
check_ranges(const struct classification *c)
{
	double sum = 0;

	assert_true(c->type >= 0 && c->type < TYPE__COUNT);
	assert_true(c->confidence >= 0 && c->confidence <= 1);
	for (int t = 0; t < TYPE__SINGLE; t++) {
		assert_true(c->scores[t] >= 0 && c->scores[t] <= 1);
		sum += c->scores[t];
	}
	assert_true(sum > 0.999 && sum < 1.001);
	assert_true(c->nevidence > 0);
	for (size_t i = 0; i < c->nevidence; i++) {
		assert_non_null(c->evidence[i].where);
		assert_non_null(c->evidence[i].text);
		assert_non_null(c->evidence[i].why);
	}
}

static void
classify_tags(struct fixture *f, const char *title, const char **tags,
	      size_t n, struct classification *c)
{
	struct classify_input in = {.title = title, .tags = tags, .ntags = n};

	assert_int_equal(classify_post(f->m, &f->d, &in, c), DL_OK);
	check_ranges(c);
}

static void
test_tag_exact(void **state)
{
	struct fixture *f = *state;
	const char *tags[] = {"python", "pytorch", "cuda"};
	struct classification c;

	classify_tags(f, "Some title", tags, 3, &c);
	assert_int_equal(c.type, TYPE_GPU);
	assert_int_equal(c.method, CLASSIFY_TAGS);
	assert_string_equal(classify_method_name(c.method), "tags");
	assert_string_equal(c.evidence[0].where, "tag");
	assert_string_equal(c.evidence[0].text, "cuda");
	assert_non_null(strstr(c.evidence[0].why, "Table 1"));
	assert_true(c.confidence >= 0.9);
	classification_done(&c);
}

static void
test_tag_substring(void **state)
{
	struct fixture *f = *state;
	const char *tags[] = {"python", "bert-language-model"};
	const char *tags2[] = {"keras", "tensorflow-model-garden"};
	const char *tags3[] = {"custom-loss-function"};
	struct classification c;

	classify_tags(f, "", tags, 2, &c);
	assert_int_equal(c.type, TYPE_MODEL);
	assert_int_equal(c.method, CLASSIFY_TAGS);
	assert_string_equal(c.evidence[0].text, "bert-language-model");
	assert_non_null(strstr(c.evidence[0].why, "'model'"));
	classification_done(&c);

	classify_tags(f, "", tags2, 2, &c);
	assert_int_equal(c.type, TYPE_MODEL);
	classification_done(&c);

	classify_tags(f, "", tags3, 1, &c);
	assert_int_equal(c.type, TYPE_TRAINING);
	classification_done(&c);
}

static void
test_tensorflow_is_not_tensor(void **state)
{
	struct fixture *f = *state;
	const char *tags[] = {"python", "tensorflow", "tensorflow2.0",
			      "tensorflow-gpu"};
	const char *tags2[] = {"nvidia-jetson-nano", "retinanet"};
	struct classification c;

	/* tensorflow-gpu: 'gpu' is a whole segment, so GPU decides. */
	classify_tags(f, "", tags, 4, &c);
	assert_int_equal(c.type, TYPE_GPU);
	assert_int_equal(c.method, CLASSIFY_TAGS);
	assert_string_equal(c.evidence[0].text, "tensorflow-gpu");
	classification_done(&c);

	/* Without it no tag decides: 'tensor' inside 'tensorflow' does
	 * not count. */
	classify_tags(f, "", tags, 3, &c);
	assert_int_equal(c.method, CLASSIFY_TEXT);
	classification_done(&c);

	/* 'nan' inside 'nano' or 'retinanet' is not the tag nan. */
	classify_tags(f, "", tags2, 2, &c);
	assert_int_equal(c.type, TYPE_GPU);	/* nvidia segment */
	assert_int_equal(c.method, CLASSIFY_TAGS);
	for (size_t i = 0; i < c.nevidence; i++)
		assert_int_not_equal(c.evidence[i].type, TYPE_TRAINING);
	classification_done(&c);
}

static void
test_tag_precedence(void **state)
{
	struct fixture *f = *state;
	const char *a[] = {"tensor", "gpu"};
	const char *b[] = {"loss-function", "typeerror"};
	const char *c3[] = {"keras-layer", "tensor"};
	struct classification c;

	classify_tags(f, "", a, 2, &c);
	assert_int_equal(c.type, TYPE_GPU);
	assert_int_equal(c.nevidence, 2);
	assert_non_null(strstr(c.evidence[1].why, "ranks below"));
	assert_true(c.confidence < 0.99);	/* two types marked */
	classification_done(&c);

	classify_tags(f, "", b, 2, &c);
	assert_int_equal(c.type, TYPE_API);
	classification_done(&c);

	classify_tags(f, "", c3, 2, &c);
	assert_int_equal(c.type, TYPE_TENSOR);
	classification_done(&c);
}

static void
test_empty_post(void **state)
{
	struct fixture *f = *state;
	struct classify_input in = {0};
	struct text_doc doc = {0};
	struct classification c;

	assert_int_equal(classify_post(f->m, &f->d, &in, &c), DL_OK);
	check_ranges(&c);
	assert_int_equal(c.method, CLASSIFY_TEXT);
	assert_true(c.type < TYPE__SINGLE);
	assert_string_equal(c.evidence[0].where, "prior");
	/* the shipped shares are rounded; the scores still sum to 1 */
	{
		double sum = 0;

		for (int t = 0; t < TYPE__SINGLE; t++)
			sum += c.scores[t];
		assert_float_equal(sum, 1.0, 1e-12);
	}
	classification_done(&c);

	/* An empty body, a NULL input and no taxonomy behave the same. */
	in.doc = &doc;
	in.title = "";
	assert_int_equal(classify_post(f->m, NULL, &in, &c), DL_OK);
	check_ranges(&c);
	classification_done(&c);
	assert_int_equal(classify_post(f->m, &f->d, NULL, &c), DL_OK);
	check_ranges(&c);
	classification_done(&c);
}

/* Each piece of body evidence quotes doc->text at its offsets. */
static void
check_offsets(const struct classification *c, const struct text_doc *doc)
{
	int body = 0;

	for (size_t i = 0; i < c->nevidence; i++) {
		const struct classify_evidence *e = &c->evidence[i];

		if (strcmp(e->where, "body") != 0 &&
		    strcmp(e->where, "code") != 0 &&
		    strcmp(e->where, "log") != 0)
			continue;
		body++;
		assert_true(e->start < e->end && e->end <= doc->len);
		assert_int_equal(strlen(e->text), e->end - e->start);
		assert_memory_equal(doc->text + e->start, e->text,
				    e->end - e->start);
	}
	assert_true(body > 0);
}

static void
test_body_without_tags(void **state)
{
	struct fixture *f = *state;
	/* A report pasted without line breaks: code and log run on. */
	char text[] = "I moved my model to the GPU and training stops at "
		      "once. model = Net().cuda() x = x.to(device) "
		      "RuntimeError: CUDA out of memory. Tried to allocate "
		      "2.00 GiB (GPU 0; 7.79 GiB total capacity)";
	struct text_doc doc = {.text = text, .len = strlen(text)};
	struct classify_input in = {.doc = &doc};
	struct classification c;
	const char *oom;

	assert_int_equal(classify_post(f->m, &f->d, &in, &c), DL_OK);
	check_ranges(&c);
	assert_int_equal(c.type, TYPE_GPU);
	assert_int_equal(c.method, CLASSIFY_TEXT);
	check_offsets(&c, &doc);
	oom = strstr(text, "CUDA out of memory");
	for (size_t i = 0; i < c.nevidence; i++)
		if (c.evidence[i].start == (size_t)(oom - text))
			oom = NULL;
	assert_null(oom);	/* the signature is among the evidence */
	classification_done(&c);
}

/* "<module>" in a traceback's frames is no API vocabulary. */
static void
test_traceback_frames(void **state)
{
	struct fixture *f = *state;
	char text[] = "Traceback (most recent call last):\n"
		      "  File \"a.py\", line 3, in <module>\n"
		      "  File \"b.py\", line 9, in <lambda>\n"
		      "module module module";
	struct text_doc doc = {.text = text, .len = strlen(text)};
	struct classify_input in = {.doc = &doc};
	struct classification c;
	size_t framed = (size_t)(strstr(text, "module>") - text);

	assert_int_equal(classify_post(f->m, &f->d, &in, &c), DL_OK);
	check_ranges(&c);
	/* the plain words still count; the framed one never is evidence */
	for (size_t i = 0; i < c.nevidence; i++)
		assert_true(c.evidence[i].start != framed);
	classification_done(&c);
	/* with only the frames, nothing is left to go on: the prior */
	text[strlen(text) - strlen("module module module")] = '\0';
	doc.len = strlen(text);
	assert_int_equal(classify_post(f->m, &f->d, &in, &c), DL_OK);
	for (size_t i = 0; i < c.nevidence; i++)
		assert_null(strstr(c.evidence[i].text, "module"));
	classification_done(&c);
}

static void
test_body_blocks(void **state)
{
	struct fixture *f = *state;
	char text[] = "Calling the model fails.\n"
		      "out = model(x)\n"
		      "Traceback (most recent call last):\n"
		      "AttributeError: 'Sequential' object has no attribute "
		      "'predict_classes'\n"
		      "Which version removed it?";
	struct text_block blocks[3];
	struct text_doc doc = {.text = text, .len = strlen(text),
			       .blocks = blocks, .nblocks = 3};
	struct classify_input in = {.doc = &doc};
	struct classification c;
	const char *tb = strstr(text, "Traceback"), *q = strstr(text, "Which");
	int log = 0;

	blocks[0] = (struct text_block){TB_PARAGRAPH, 0,
					(size_t)(strchr(text, '\n') - text), 0};
	blocks[1] = (struct text_block){TB_CODE, blocks[0].end + 1,
					(size_t)(tb - text), 0};
	blocks[2] = (struct text_block){TB_CODE, (size_t)(tb - text),
					(size_t)(q - text), 0};
	assert_int_equal(classify_post(f->m, &f->d, &in, &c), DL_OK);
	check_ranges(&c);
	assert_int_equal(c.type, TYPE_API);
	check_offsets(&c, &doc);
	for (size_t i = 0; i < c.nevidence; i++)
		log += strcmp(c.evidence[i].where, "log") == 0;
	assert_true(log > 0);	/* the traceback block counts as a log */
	classification_done(&c);
}

static void
test_title_only(void **state)
{
	struct fixture *f = *state;
	const char *tags[] = {"python", "pytorch"};
	struct classification c;

	classify_tags(f, "RuntimeError: CUDA error: device-side assert "
		      "triggered on multi-GPU", tags, 2, &c);
	assert_int_equal(c.type, TYPE_GPU);
	assert_int_equal(c.method, CLASSIFY_TEXT);
	assert_string_equal(c.evidence[0].where, "title");
	classification_done(&c);

	classify_tags(f, "Validation loss is NaN after a few epochs", tags, 2,
		      &c);
	assert_int_equal(c.type, TYPE_TRAINING);
	classification_done(&c);

	classify_tags(f, "How to reshape a tensor of shape (3, 4) to "
		      "(4, 3) along a dimension", tags, 2, &c);
	assert_int_equal(c.type, TYPE_TENSOR);
	classification_done(&c);
}

/* The whys are read as English: "an API signature", "a GPU signature". */
static int
why_count(struct fixture *f, char *text, const char *needle)
{
	struct text_doc doc = {.text = text, .len = strlen(text)};
	struct classify_input in = {.doc = &doc};
	struct classification c;
	int n = 0;

	assert_int_equal(classify_post(f->m, &f->d, &in, &c), DL_OK);
	for (size_t i = 0; i < c.nevidence; i++) {
		assert_null(strstr(c.evidence[i].why, " a API"));
		assert_null(strstr(c.evidence[i].why, " an GPU"));
		n += strstr(c.evidence[i].why, needle) != NULL;
	}
	classification_done(&c);
	return n;
}

static void
test_why_article(void **state)
{
	struct fixture *f = *state;
	char api[] = "The import fails: ModuleNotFoundError: No module "
		     "named 'foo'";
	char gpu[] = "Training stops at once: RuntimeError: CUDA out of "
		     "memory.";

	assert_true(why_count(f, api, "is an API signature") > 0);
	assert_true(why_count(f, gpu, "is a GPU signature") > 0);
}

/* A model small enough to predict: two words, each for one type. */
static void
write_model_text(struct fixture *f, const char *weights, const char *extra,
		 const char *text_extra)
{
	char *p = xasprintf("%s/classifier.json", f->tmp);
	FILE *fp = fopen(p, "w");

	assert_non_null(fp);
	fprintf(fp,
		"{\"format\": \"dlrepro-classifier/1\",\n"
		"\"tag_rule\": {\"match\": \"segment\", \"separators\": \"-\","
		" \"precedence\": [\"gpu\", \"api\", \"training\", \"tensor\","
		" \"model\"], \"confidence_single\": 0.99,"
		" \"confidence_multi\": 0.8},\n"
		"\"text\": {\"min_len\": 2, \"lex_cap\": 3, \"stopwords\":"
		" [\"the\"], \"body_generic\": [\"model\"],"
		" \"error_suffixes\": [\"Error\"]%s},\n"
		"\"parts\": {\"title\": 1, \"tag\": 1, \"body\": 0.5,"
		" \"code\": 0.25, \"log\": 0.6, \"body_norm\": 20},\n"
		"\"mixed\": {\"min_each\": 0.45},\n"
		"\"lexicon\": {\"gpu\": [\"alpha\"]},\n"
		"\"substrings\": {\"skip_prefix\": \"tensorflow\", \"keys\":"
		" {}},\n"
		"\"signatures\": {\"part_weight\": 1, \"cap\": 3, \"code_factor\": 0.3,"
		" \"gpu\": [[\"alpha beta\", 1]]},\n"
		"\"prior\": [0.1, 0.4, 0.2, 0.2, 0.1],\n"
		"\"bias\": [0, 0, 0, 0, 0],\n"
		"\"weights\": {%s}%s}\n", text_extra, weights, extra);
	fclose(fp);
	free(p);
}

static void
write_model(struct fixture *f, const char *weights, const char *extra)
{
	write_model_text(f, weights, extra, "");
}

/*
 * text.title_norm scales the title vector to a fixed length: saying a
 * word three times weighs as much as saying it once, and without the
 * setting each occurrence counts.
 */
static void
test_title_norm(void **state)
{
	struct fixture *f = *state;
	struct classify_model *m;
	struct classify_input once = {.title = "alpha"};
	struct classify_input thrice = {.title = "alpha alpha alpha"};
	struct classification c1, c3;

	write_model_text(f, "\"w:alpha\": [0, 0, 0, 1, 0]", "",
			 ", \"title_norm\": 1");
	m = classify_model_load(f->tmp);
	assert_non_null(m);
	assert_int_equal(classify_post(m, &f->d, &once, &c1), DL_OK);
	assert_int_equal(classify_post(m, &f->d, &thrice, &c3), DL_OK);
	check_ranges(&c3);
	assert_int_equal(c3.type, TYPE_GPU);
	assert_true(c1.scores[TYPE_GPU] - c3.scores[TYPE_GPU] < 1e-9 &&
		    c3.scores[TYPE_GPU] - c1.scores[TYPE_GPU] < 1e-9);
	classification_done(&c1);
	classification_done(&c3);
	classify_model_free(m);

	write_model(f, "\"w:alpha\": [0, 0, 0, 1, 0]", "");
	m = classify_model_load(f->tmp);
	assert_non_null(m);
	assert_int_equal(classify_post(m, &f->d, &once, &c1), DL_OK);
	assert_int_equal(classify_post(m, &f->d, &thrice, &c3), DL_OK);
	assert_true(c3.scores[TYPE_GPU] > c1.scores[TYPE_GPU] + 0.1);
	classification_done(&c1);
	classification_done(&c3);
	classify_model_free(m);

	/* Out of range is an error naming the key. */
	write_model_text(f, "\"w:alpha\": [0, 0, 0, 1, 0]", "",
			 ", \"title_norm\": -1");
	assert_null(classify_model_load(f->tmp));
	assert_non_null(strstr(error_msg(), "title_norm"));
}

static void
test_mixed(void **state)
{
	struct fixture *f = *state;
	struct classify_model *m;
	struct classify_input in = {.title = "alpha beta"};
	struct classification c;

	write_model(f, "\"w:alpha\": [0, 0, 0, 5, 0],"
		       " \"w:beta\": [0, 0, 0, 0, 5]", "");
	m = classify_model_load(f->tmp);
	assert_non_null(m);
	assert_int_equal(classify_post(m, &f->d, &in, &c), DL_OK);
	check_ranges(&c);
	assert_int_equal(c.type, TYPE_MIXED);
	assert_true(c.scores[TYPE_GPU] >= 0.45 && c.scores[TYPE_API] >= 0.45);
	/* the pair it stands for, the higher score first */
	{
		int two[2];

		classify_top_two(&c, two);
		assert_true((two[0] == TYPE_GPU && two[1] == TYPE_API) ||
			    (two[0] == TYPE_API && two[1] == TYPE_GPU));
		assert_true(c.scores[two[0]] >= c.scores[two[1]]);
	}
	/* Evidence for both types. */
	{
		int gpu = 0, api = 0;

		for (size_t i = 0; i < c.nevidence; i++) {
			gpu += c.evidence[i].type == TYPE_GPU;
			api += c.evidence[i].type == TYPE_API;
		}
		assert_true(gpu > 0 && api > 0);
	}
	classification_done(&c);

	/* One strong word alone is not Mixed. */
	in.title = "alpha";
	assert_int_equal(classify_post(m, &f->d, &in, &c), DL_OK);
	assert_int_equal(c.type, TYPE_GPU);
	classification_done(&c);

	/* Nothing known: the prior decides (tensor holds 0.4). */
	in.title = "zzz";
	assert_int_equal(classify_post(m, &f->d, &in, &c), DL_OK);
	assert_int_equal(c.type, TYPE_TENSOR);
	assert_true(c.confidence > 0.39 && c.confidence < 0.41);
	classification_done(&c);
	classify_model_free(m);
}

static void
test_model_errors(void **state)
{
	struct fixture *f = *state;
	char *p = xasprintf("%s/classifier.json", f->tmp);
	FILE *fp;

	unlink(p);
	assert_null(classify_model_load(f->tmp));
	assert_non_null(strstr(error_msg(), "cannot read"));
	assert_non_null(strstr(error_msg(), "classifier.json"));

	fp = fopen(p, "w");
	assert_non_null(fp);
	fputs("{\"format\": \"dlrepro-classifier/1\", \"bias\": [1, 2", fp);
	fclose(fp);
	assert_null(classify_model_load(f->tmp));
	assert_non_null(strstr(error_msg(), "malformed JSON"));

	fp = fopen(p, "w");
	fputs("{\"format\": \"something-else\"}", fp);
	fclose(fp);
	assert_null(classify_model_load(f->tmp));
	assert_non_null(strstr(error_msg(), "format"));

	write_model(f, "\"w:alpha\": [0, 0, 0]", "");
	assert_null(classify_model_load(f->tmp));
	assert_non_null(strstr(error_msg(), "w:alpha"));

	write_model(f, "\"w:alpha\": [0, 0, 0, \"x\", 0]", "");
	assert_null(classify_model_load(f->tmp));

	fp = fopen(p, "w");
	fputs("{\"format\": \"dlrepro-classifier/1\"}", fp);
	fclose(fp);
	assert_null(classify_model_load(f->tmp));
	assert_non_null(strstr(error_msg(), "'tag_rule' must be an object"));
	free(p);
}

/* pattern n times without a break: classified, in range, few reasons */
static void
smoke_body(struct fixture *f, const char *pattern, int n)
{
	struct strbuf sb;
	struct text_doc doc = {0};
	struct classify_input in = {.title = "Loss is NaN", .doc = &doc};
	struct classification c;

	sb_init(&sb);
	for (int i = 0; i < n; i++)
		sb_adds(&sb, pattern);
	doc.text = sb.s;
	doc.len = sb.len;
	assert_int_equal(classify_post(f->m, &f->d, &in, &c), DL_OK);
	check_ranges(&c);
	assert_true(c.nevidence <= 8);
	classification_done(&c);
	sb_done(&sb);
}

static void
test_speed_smoke(void **state)
{
	/* A long body without line breaks must not be a problem. */
	smoke_body(*state, "x = torch.randn(3, 4).cuda() TypeError loss ",
		   2000);
	/*
	 * Path-like runs cut by commas, 2 MB without a space: the source
	 * path mask once walked back to the text's start from each slash
	 * (minutes; linear now, so this returns at once).
	 */
	smoke_body(*state, "a/b,", 500000);
	/*
	 * The same with backslashes, 4 MB: the mask looked for the next
	 * slash from each backslash, reading to the text's end every time
	 * (memchr is fast, so only seconds; the size makes them count).
	 */
	smoke_body(*state, "a\\b,", 1000000);
}

/* Everything classify_post returned, exactly (floats in %a). */
static char *
dump_classification(const struct classification *c)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_addf(&sb, "type %d method %d conf %a scores", c->type,
		(int)c->method, c->confidence);
	for (int t = 0; t < TYPE__SINGLE; t++)
		sb_addf(&sb, " %a", c->scores[t]);
	for (size_t k = 0; k < c->nevidence; k++) {
		const struct classify_evidence *e = &c->evidence[k];

		sb_addf(&sb, "\n%s|%s|%s|%d|%a|%zu|%zu", e->where, e->text,
			e->why, e->type, e->weight, e->start, e->end);
	}
	return sb.s;	/* sb_done would free it */
}

static char *
classify_dump(const struct classify_model *m, struct fixture *f,
	      const struct classify_input *in)
{
	struct classification c;
	char *s;

	assert_int_equal(classify_post(m, &f->d, in, &c), DL_OK);
	check_ranges(&c);
	s = dump_classification(&c);
	classification_done(&c);
	return s;
}

/*
 * classify_post keeps what it worked out about each token per thread
 * (for the model it was worked out with): a post must come out the same
 * whatever was classified before it, with a cache emptied over and over
 * by a flood of new tokens, and with another model loaded in between
 * (possibly where the last one was).
 */
static void
test_token_cache(void **state)
{
	struct fixture *f = *state;
	char text[] = "My TensorFlowModel fails: the BatchNormalization "
		      "layer expects 4 dims, not 3. Is the input shape "
		      "wrong? x = tf.reshape(x, (32, 28, 28, 1)) 12345 "
		      "0.0001 RuntimeError: CUDA out of memory. "
		      "ValueError: Input 0 of layer dense is incompatible "
		      "with the layer: expected axis -1 of input shape "
		      "averyveryveryverylongidentifierwithoutanybreaksthat"
		      "goesonforeverandeverandeverandmore tensorflowgpu "
		      "lossIsNaNAfterTheFirstEpochOfTrainingLoop not "
		      "trainable_variables";
	struct text_block blocks[1];
	struct text_doc doc = {.text = text, .len = strlen(text),
			       .blocks = blocks, .nblocks = 1};
	struct classify_input in = {.title = "Loss is NaN with my ConvNet",
				    .doc = &doc};
	struct text_doc big = {0};
	struct classify_input bin = {.doc = &big};
	struct classify_model *m2, *m3;
	struct strbuf sb;
	char *first, *again;

	blocks[0] = (struct text_block){TB_CODE, (size_t)(strstr(text,
		"x = tf") - text), (size_t)(strstr(text, "Runtime") - text),
		0};
	first = classify_dump(f->m, f, &in);
	again = classify_dump(f->m, f, &in);
	assert_string_equal(first, again);
	free(again);

	/* far more distinct tokens than the cache holds */
	sb_init(&sb);
	for (unsigned i = 0; i < 30000; i++)
		sb_addf(&sb, "tok%uen%c CamelPart%u ", i * 2654435761u,
			'a' + (char)(i % 26), i);
	big.text = sb.s;
	big.len = sb.len;
	free(classify_dump(f->m, f, &bin));
	again = classify_dump(f->m, f, &in);
	assert_string_equal(first, again);
	free(again);

	m2 = classify_model_load(NULL);
	assert_non_null(m2);
	again = classify_dump(m2, f, &in);
	assert_string_equal(first, again);
	free(again);
	classify_model_free(m2);
	m3 = classify_model_load(NULL);
	assert_non_null(m3);
	free(classify_dump(m3, f, &bin));
	again = classify_dump(m3, f, &in);
	assert_string_equal(first, again);
	free(again);
	classify_model_free(m3);
	again = classify_dump(f->m, f, &in);
	assert_string_equal(first, again);
	free(again);
	free(first);
	sb_done(&sb);
}

/*
 * Tokens are found a 64-byte word of a bit mask at a time: where a post
 * falls against those words must not matter.  The same body shifted by
 * 0 to 130 spaces gives the same classification, its evidence at the
 * shifted offsets; the body has a token longer than a mask word, runs
 * of one-letter tokens and numbers, and a repeated signature and words.
 */
static void
test_token_offsets(void **state)
{
	struct fixture *f = *state;
	static const char body[] =
		"RuntimeError: CUDA out of memory. a b c d e 1 22 333 x y "
		"loss loss loss is nan; the loss is nan again and CUDA out "
		"of memory once more. averyveryveryverylongidentifierwitho"
		"utanybreaksthatgoesonforeverandevermore nn.BatchNorm2d(64) "
		"model.fit(x_train, y_train, epochs=10) GPU";
	struct classification c0;
	struct strbuf sb;
	struct text_doc doc0 = {.text = (char *)body, .len = strlen(body)};
	struct classify_input in0 = {.doc = &doc0};

	assert_int_equal(classify_post(f->m, &f->d, &in0, &c0), DL_OK);
	check_ranges(&c0);
	check_offsets(&c0, &doc0);
	sb_init(&sb);
	for (size_t k = 1; k <= 130; k++) {
		struct text_doc doc = {0};
		struct classify_input in = {.doc = &doc};
		struct classification c;

		sb_reset(&sb);
		for (size_t i = 0; i < k; i++)
			sb_addc(&sb, ' ');
		sb_adds(&sb, body);
		doc.text = sb.s;
		doc.len = sb.len;
		assert_int_equal(classify_post(f->m, &f->d, &in, &c), DL_OK);
		check_offsets(&c, &doc);
		assert_int_equal(c.type, c0.type);
		assert_true(c.confidence == c0.confidence);
		for (int t = 0; t < TYPE__SINGLE; t++)
			assert_true(c.scores[t] == c0.scores[t]);
		assert_int_equal(c.nevidence, c0.nevidence);
		for (size_t i = 0; i < c.nevidence; i++) {
			const struct classify_evidence *a = &c.evidence[i];
			const struct classify_evidence *b = &c0.evidence[i];

			assert_string_equal(a->where, b->where);
			assert_string_equal(a->text, b->text);
			assert_string_equal(a->why, b->why);
			assert_int_equal(a->type, b->type);
			assert_true(a->weight == b->weight);
			assert_int_equal(a->start, b->start + k);
			assert_int_equal(a->end, b->end + k);
		}
		classification_done(&c);
	}
	sb_done(&sb);
	classification_done(&c0);
}

/* The weights in the why texts read as printf's "%.2f" would put them. */
static void
test_why_weights(void **state)
{
	struct fixture *f = *state;
	char text[] = "The loss goes to NaN after the first epoch and the "
		      "accuracy stays at 10%. I lowered the learning rate "
		      "and the batch size; the optimizer is Adam. "
		      "RuntimeError: CUDA out of memory. Tried to allocate "
		      "the tensor of shape (64, 3, 224, 224) on cuda:0 but "
		      "the GPU has no memory left.";
	struct text_doc doc = {.text = text, .len = strlen(text)};
	struct classify_input in = {.doc = &doc};
	struct classification c;
	int seen = 0;

	assert_int_equal(classify_post(f->m, &f->d, &in, &c), DL_OK);
	check_ranges(&c);
	for (size_t i = 0; i < c.nevidence; i++) {
		char w[64];

		if (strcmp(c.evidence[i].where, "prior") == 0)
			continue;
		snprintf(w, sizeof w, "(+%.2f", c.evidence[i].weight);
		assert_non_null(strstr(c.evidence[i].why, w));
		seen++;
	}
	assert_true(seen > 0);
	classification_done(&c);
}

/* Classify a title (and tags) with model m; checks the ranges. */
static void
run_model(struct fixture *f, struct classify_model *m, const char *title,
	  const char **tags, size_t ntags, struct classification *c)
{
	struct classify_input in = {.title = title, .tags = tags,
				    .ntags = ntags};

	assert_int_equal(classify_post(m, &f->d, &in, c), DL_OK);
	check_ranges(c);
}

/*
 * api_stage: a binary API-against-the-rest score over the title group;
 * at 0 or more it answers API, unless the five-way choice is GPU.
 */
static void
test_api_stage(void **state)
{
	struct fixture *f = *state;
	struct classify_model *m;
	struct classification c;

	write_model(f, "\"w:alpha\": [0, 5, 0, 0, 0],"
		       " \"w:gamma\": [0, 0, 0, 5, 0],"
		       " \"w:epsilon\": [0, 0, 0, 0, 5]",
		    ", \"api_stage\": {\"bias\": -1, \"weights\":"
		    " {\"w:alpha\": 2, \"w:delta\": 3, \"w:epsilon\": 3}}");
	m = classify_model_load(f->tmp);
	assert_non_null(m);

	/* the five-way model says Tensor; the check, -1 + 2, says API */
	run_model(f, m, "alpha", NULL, 0, &c);
	assert_int_equal(c.type, TYPE_API);
	assert_int_equal(c.method, CLASSIFY_TEXT);
	assert_true(fabs(c.confidence - 1 / (1 + exp(-1.0))) < 1e-9);
	assert_true(fabs(c.scores[TYPE_API] - c.confidence) < 1e-9);
	assert_true(c.scores[TYPE_TENSOR] < c.scores[TYPE_API]);
	assert_string_equal(c.evidence[0].where, "api-check");
	assert_non_null(strstr(c.evidence[0].why, "Tensor and Input"));
	classification_done(&c);

	/* a feature only the check weighs (no five-way row) still counts */
	run_model(f, m, "delta", NULL, 0, &c);
	assert_int_equal(c.type, TYPE_API);
	assert_true(fabs(c.confidence - 1 / (1 + exp(-2.0))) < 1e-9);
	classification_done(&c);

	/* the five-way model says API already: the check has nothing to
	 * overrule and the five-way probability stands */
	run_model(f, m, "epsilon", NULL, 0, &c);
	assert_int_equal(c.type, TYPE_API);
	assert_true(fabs(c.confidence - exp(5.0) / (exp(5.0) + 4)) < 1e-9);
	assert_string_not_equal(c.evidence[0].where, "api-check");
	classification_done(&c);

	/* GPU outranks API, as in the labelling */
	run_model(f, m, "gamma delta", NULL, 0, &c);
	assert_int_equal(c.type, TYPE_GPU);
	classification_done(&c);

	/* below 0 the five-way choice stands; nothing known: the prior */
	run_model(f, m, "beta", NULL, 0, &c);
	assert_int_equal(c.type, TYPE_TENSOR);
	classification_done(&c);
	classify_model_free(m);

	write_model(f, "\"w:alpha\": [0, 5, 0, 0, 0]",
		    ", \"api_stage\": {\"bias\": -3, \"weights\":"
		    " {\"w:alpha\": 2}}");
	m = classify_model_load(f->tmp);
	assert_non_null(m);
	run_model(f, m, "alpha", NULL, 0, &c);
	assert_int_equal(c.type, TYPE_TENSOR);
	classification_done(&c);
	classify_model_free(m);

	/* broken sections are one-line errors naming the key */
	write_model(f, "", ", \"api_stage\": {\"bias\": -1, \"weights\":"
			   " {\"w:alpha\": \"x\"}}");
	assert_null(classify_model_load(f->tmp));
	assert_non_null(strstr(error_msg(), "api_stage.weights['w:alpha']"));
	write_model(f, "", ", \"api_stage\": [1]");
	assert_null(classify_model_load(f->tmp));
	assert_non_null(strstr(error_msg(), "'api_stage' must be an object"));
	write_model(f, "", ", \"api_stage\": {\"weights\": {}}");
	assert_null(classify_model_load(f->tmp));
	assert_non_null(strstr(error_msg(), "api_stage.bias"));
	write_model(f, "", ", \"api_stage\": {\"bias\": 0, \"weights\": 1}");
	assert_null(classify_model_load(f->tmp));
	assert_non_null(strstr(error_msg(),
			       "api_stage.weights must be an object"));
}

/*
 * tag_idf: the remaining tags weigh log(total / count) in a block of
 * their own, scaled to length 1, and "t:" rows are not used.
 */
static void
test_tag_idf(void **state)
{
	struct fixture *f = *state;
	struct classify_model *m;
	struct classification c, c2;
	const char *rare[] = {"rare"};
	const char *common[] = {"common"};
	const char *diluted[] = {"common", "never-counted"};
	const char *tmodel[] = {"old-style"};

	write_model(f, "\"ti:rare\": [0, 0, 0, 0, 3],"
		       " \"ti:common\": [0, 3, 0, 0, 0],"
		       " \"t:old-style\": [9, 0, 0, 0, 0]",
		    ", \"tag_idf\": {\"total\": 100, \"counts\":"
		    " {\"Common\": 50, \"rare\": 1, \"old-style\": 10}}");
	m = classify_model_load(f->tmp);
	assert_non_null(m);

	run_model(f, m, "", rare, 1, &c);
	assert_int_equal(c.type, TYPE_API);
	/* the block has length 1: exp(3) against four exp(0) */
	assert_true(fabs(c.scores[TYPE_API] - exp(3.0) / (exp(3.0) + 4)) <
		    1e-9);
	assert_string_equal(c.evidence[0].where, "tag");
	assert_string_equal(c.evidence[0].text, "rare");
	classification_done(&c);

	/* a tag the counts lack counts 1: it dilutes the block */
	run_model(f, m, "", common, 1, &c);
	run_model(f, m, "", diluted, 2, &c2);
	assert_int_equal(c.type, TYPE_TENSOR);
	assert_true(c.scores[TYPE_TENSOR] > c2.scores[TYPE_TENSOR] + 0.1);
	classification_done(&c);
	classification_done(&c2);

	/* a tag given twice (in any case) counts once */
	{
		const char *twice[] = {"common", "COMMON", "rare"};

		run_model(f, m, "", twice, 3, &c2);
		run_model(f, m, "", (const char *[]){"common", "rare"}, 2,
			  &c);
		assert_true(fabs(c.scores[TYPE_API] - c2.scores[TYPE_API]) <
			    1e-12);
		classification_done(&c);
		classification_done(&c2);
	}

	/* with a tag idf block, t: rows weigh nothing */
	run_model(f, m, "", tmodel, 1, &c);
	assert_int_not_equal(c.type, TYPE_MODEL);
	classification_done(&c);
	classify_model_free(m);

	/* 150 tags with rows: every hit is a candidate for the evidence,
	 * and each evidence still names its own tag after the hits' array
	 * has grown */
	{
		struct strbuf w;
		const char *many[150];
		char tagbuf[150][16];

		sb_init(&w);
		for (int i = 0; i < 150; i++) {
			snprintf(tagbuf[i], sizeof tagbuf[i], "tg%d", i);
			many[i] = tagbuf[i];
			sb_addf(&w, "%s\"ti:tg%d\": [0, 0, 0, 0, %d]",
				i ? ", " : "", i, 1 + i % 7);
		}
		write_model(f, w.s, ", \"tag_idf\": {\"total\": 100,"
				    " \"counts\": {}}");
		sb_done(&w);
		m = classify_model_load(f->tmp);
		assert_non_null(m);
		run_model(f, m, "", many, 150, &c);
		assert_int_equal(c.type, TYPE_API);
		assert_true(c.nevidence > 0);
		for (size_t i = 0; i < c.nevidence; i++) {
			assert_string_equal(c.evidence[i].where, "tag");
			assert_int_equal(strncmp(c.evidence[i].text, "tg", 2),
					 0);
			/* the strongest: weight 7, tags 6, 13, 20, ... */
			assert_int_equal(atoi(c.evidence[i].text + 2) % 7, 6);
		}
		classification_done(&c);
		classify_model_free(m);
	}

	write_model(f, "", ", \"tag_idf\": {\"total\": 100, \"counts\":"
			   " {\"rare\": 0}}");
	assert_null(classify_model_load(f->tmp));
	assert_non_null(strstr(error_msg(), "tag_idf.counts['rare']"));
	write_model(f, "", ", \"tag_idf\": {\"total\": 100, \"counts\":"
			   " {\"rare\": 1.5}}");
	assert_null(classify_model_load(f->tmp));
	write_model(f, "", ", \"tag_idf\": {\"counts\": {}}");
	assert_null(classify_model_load(f->tmp));
	assert_non_null(strstr(error_msg(), "tag_idf.total"));
	write_model(f, "", ", \"tag_idf\": {\"total\": 9, \"counts\": []}");
	assert_null(classify_model_load(f->tmp));
	assert_non_null(strstr(error_msg(),
			       "tag_idf.counts must be an object"));
}

/*
 * Rewrite the test model's signatures with a "names" list (json: the
 * list's text, or any value to test the loader).
 */
static void
model_with_names(struct fixture *f, const char *json)
{
	char *p = xasprintf("%s/classifier.json", f->tmp), s[4096], *at;
	struct strbuf sb;
	size_t n;
	FILE *fp;

	write_model(f, "\"w:alpha\": [0, 0, 0, 1, 0]", "");
	fp = fopen(p, "r");
	assert_non_null(fp);
	n = fread(s, 1, sizeof s - 1, fp);
	fclose(fp);
	assert_true(n > 0 && n < sizeof s - 1);
	s[n] = '\0';
	at = strstr(s, "\"code_factor\": 0.3,");
	assert_non_null(at);
	sb_init(&sb);
	sb_add(&sb, s, (size_t)(at - s));
	sb_adds(&sb, "\"code_factor\": 0.3, \"names\": ");
	sb_adds(&sb, json);
	sb_adds(&sb, ",");
	sb_adds(&sb, at + strlen("\"code_factor\": 0.3,"));
	fp = fopen(p, "w");
	assert_non_null(fp);
	fputs(sb.s, fp);
	fclose(fp);
	sb_done(&sb);
	free(p);
}

/* Does some evidence quote exactly text (any case)? */
static int
evidence_has(const struct classification *c, const char *text)
{
	for (size_t i = 0; i < c->nevidence; i++)
		if (strcasecmp(c->evidence[i].text, text) == 0)
			return 1;
	return 0;
}

/*
 * An error that quotes a name ("unexpected keyword argument 'gpus'")
 * rejects that name: the API changed, and the name's words are not the
 * report's vocabulary (signatures.names).  The same words elsewhere
 * still count, and the text after the name is read as before.
 */
static void
test_quoted_names(void **state)
{
	struct fixture *f = *state;
	char kwarg[] = "TypeError: Trainer.__init__() got an unexpected "
		       "keyword argument 'gpus'";
	char prose[] = "Training is slow on my two gpus, both gpus idle.";
	char after[] = "TypeError: f() got an unexpected keyword argument "
		       "'lr' and then RuntimeError: CUDA out of memory.";
	struct text_doc doc;
	struct classify_input in = {.doc = &doc};
	struct classification c;
	struct classify_model *m;
	int gpu_word;

	doc = (struct text_doc){.text = kwarg, .len = strlen(kwarg)};
	assert_int_equal(classify_post(f->m, &f->d, &in, &c), DL_OK);
	check_ranges(&c);
	assert_int_equal(c.type, TYPE_API);
	for (size_t i = 0; i < c.nevidence; i++)
		assert_null(strstr(c.evidence[i].text, "gpus"));
	assert_true(c.scores[TYPE_GPU] < 0.05);
	classification_done(&c);

	/* not after a signature: the word is GPU vocabulary */
	doc = (struct text_doc){.text = prose, .len = strlen(prose)};
	assert_int_equal(classify_post(f->m, &f->d, &in, &c), DL_OK);
	assert_true(evidence_has(&c, "gpus"));
	assert_int_equal(c.type, TYPE_GPU);
	classification_done(&c);

	/* only the name is skipped: the signature after it counts */
	doc = (struct text_doc){.text = after, .len = strlen(after)};
	assert_int_equal(classify_post(f->m, &f->d, &in, &c), DL_OK);
	check_offsets(&c, &doc);
	gpu_word = 0;
	for (size_t i = 0; i < c.nevidence; i++)
		if (strstr(c.evidence[i].text, "CUDA out of memory") != NULL)
			gpu_word = 1;
	assert_true(gpu_word);
	classification_done(&c);

	/* the loader: names must be signatures, given as strings */
	model_with_names(f, "[\"alpha beta\"]");
	m = classify_model_load(f->tmp);
	assert_non_null(m);
	classify_model_free(m);
	model_with_names(f, "[\"alpha\"]");
	assert_null(classify_model_load(f->tmp));
	assert_non_null(strstr(error_msg(), "'alpha' is not a signature"));
	model_with_names(f, "[1]");
	assert_null(classify_model_load(f->tmp));
	assert_non_null(strstr(error_msg(), "signatures.names"));
	model_with_names(f, "\"alpha beta\"");
	assert_null(classify_model_load(f->tmp));
	assert_non_null(strstr(error_msg(), "signatures.names"));
}

/*
 * body alone classified as want, with the signature sig among the
 * evidence (quoted as sig); then look-alike prose, in which no evidence
 * says needle.
 */
static void
check_signature(struct fixture *f, const char *body, int want,
		const char *sig, const char *lookalike, const char *needle)
{
	char *text = xstrdup(body);
	struct text_doc doc = {.text = text, .len = strlen(text)};
	struct classify_input in = {.doc = &doc};
	struct classification c;

	assert_int_equal(classify_post(f->m, &f->d, &in, &c), DL_OK);
	check_ranges(&c);
	check_offsets(&c, &doc);
	assert_int_equal(c.type, want);
	if (!evidence_has(&c, sig))
		fail_msg("'%s' is not among the evidence for '%s'", sig, body);
	classification_done(&c);
	free(text);
	if (lookalike == NULL)
		return;
	text = xstrdup(lookalike);
	doc = (struct text_doc){.text = text, .len = strlen(text)};
	assert_int_equal(classify_post(f->m, &f->d, &in, &c), DL_OK);
	for (size_t i = 0; i < c.nevidence; i++)
		if (c.evidence[i].why != NULL &&
		    strstr(c.evidence[i].why, needle) != NULL)
			fail_msg("'%s': %s", lookalike, c.evidence[i].why);
	classification_done(&c);
	free(text);
}

/*
 * PyTorch's convolution error on an input of the wrong layout names the
 * input's channels: a Tensor and Input signature.  "Given groups" in
 * prose is not the message.
 */
static void
test_conv_channels(void **state)
{
	check_signature(*state,
			"RuntimeError: Given groups=1, weight of size "
			"[64, 12, 3], expected input[32, 500, 12] to have 12 "
			"channels, but got 500 channels instead",
			TYPE_TENSOR, "Given groups=",
			"Given groups of users, the ranking model sorts their "
			"channels.", "groups");
}

/*
 * The words of a Python source path in a traceback frame do not vote
 * ("conda", "site", "packages", "modules" leaned every traceback to API);
 * a CUDA install path is not one and keeps its words.
 */
static void
test_source_paths(void **state)
{
	struct fixture *f = *state;
	char unix_frame[] = "  File \"/home/me/.conda/envs/dl/lib/python3.10/"
			    "site-packages/torch/nn/modules/module.py\", line "
			    "1501, in _call_impl";
	char win_frame[] = "C:\\Users\\me\\Anaconda3\\lib\\site-packages"
			   "\\keras\\engine\\training.py in fit, epoch 4/10";
	char cuda[] = "nvcc is at /usr/local/cuda-11.2/bin/nvcc and fails";
	char *texts[] = { unix_frame, win_frame };
	struct text_doc doc;
	struct classify_input in = {.doc = &doc};
	struct classification c;

	for (size_t t = 0; t < ARRAY_SIZE(texts); t++) {
		const char *p = strpbrk(texts[t], "/\\"), *q;
		size_t ps, pe;

		/* the path: from its first separator's run to ".py" */
		while (p > texts[t] && p[-1] != '"' && p[-1] != ' ')
			p--;
		q = strstr(p, ".py") + 3;
		ps = (size_t)(p - texts[t]);
		pe = (size_t)(q - texts[t]);
		doc = (struct text_doc){.text = texts[t],
					.len = strlen(texts[t])};
		assert_int_equal(classify_post(f->m, &f->d, &in, &c), DL_OK);
		for (size_t i = 0; i < c.nevidence; i++)
			if (c.evidence[i].start < pe && c.evidence[i].end > ps)
				fail_msg("'%s' from the path in '%s' votes",
					 c.evidence[i].text, texts[t]);
		classification_done(&c);
	}

	doc = (struct text_doc){.text = cuda, .len = strlen(cuda)};
	assert_int_equal(classify_post(f->m, &f->d, &in, &c), DL_OK);
	assert_true(evidence_has(&c, "cuda"));
	assert_int_equal(c.type, TYPE_GPU);
	classification_done(&c);
}

/*
 * A lone word is shown as evidence only when it weighs 0.15 and a fifth
 * of the strongest reason; phrases, signatures and tags always.
 */
static void
test_word_evidence_floor(void **state)
{
	struct fixture *f = *state;
	static const char *const titles[] = {
		"I want to add one-to-one layer to deep learning with keras",
		"I am getting low accuracy and want to improve my network",
		"TypeError: unsupported operand type(s) for +=: 'Dense' and "
		"'str'",
	};
	struct classification c;

	for (size_t t = 0; t < ARRAY_SIZE(titles); t++) {
		struct classify_input in = {.title = titles[t]};
		double top = 0;
		int want = 0;

		assert_int_equal(classify_post(f->m, &f->d, &in, &c), DL_OK);
		for (size_t i = 0; i < c.nevidence; i++)
			if (c.evidence[i].weight > top)
				top = c.evidence[i].weight;
		for (size_t i = 0; i < c.nevidence; i++) {
			const struct classify_evidence *e = &c.evidence[i];

			want += strcmp(e->text, "want") == 0;
			if (e->why != NULL && strstr(e->why, " word '") &&
			    (e->weight < 0.15 || e->weight < 0.2 * top))
				fail_msg("'%s': %s shown beside %.2f",
					 titles[t], e->why, top);
		}
		assert_int_equal(want, 0);
		assert_true(c.nevidence > 0);
		classification_done(&c);
	}
}

/*
 * Loading a checkpoint into the wrong model is a Model bug (found by the
 * third held-out set, h3-24, where the error lost to a story of GPUs).
 */
static void
test_state_dict(void **state)
{
	check_signature(*state,
			"model.load_state_dict(torch.load(\"best.pth\")) "
			"RuntimeError: Error(s) in loading state_dict for Net: "
			"Missing key(s) in state_dict: \"conv1.weight\".",
			TYPE_MODEL, "loading state_dict",
			"I save the state_dict of my model every epoch.",
			"signature");
}

/* PyTorch's Linear shape error is a Tensor signature. */
static void
test_matmul_shapes(void **state)
{
	check_signature(*state,
			"RuntimeError: mat1 and mat2 shapes cannot be "
			"multiplied (4x512 and 1024x10)",
			TYPE_TENSOR, "cannot be multiplied",
			"These numbers cannot be added to the list.",
			"signature");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tag_exact),
		cmocka_unit_test(test_tag_substring),
		cmocka_unit_test(test_tensorflow_is_not_tensor),
		cmocka_unit_test(test_tag_precedence),
		cmocka_unit_test(test_empty_post),
		cmocka_unit_test(test_body_without_tags),
		cmocka_unit_test(test_body_blocks),
		cmocka_unit_test(test_traceback_frames),
		cmocka_unit_test(test_title_only),
		cmocka_unit_test(test_why_article),
		cmocka_unit_test(test_mixed),
		cmocka_unit_test(test_title_norm),
		cmocka_unit_test(test_model_errors),
		cmocka_unit_test(test_speed_smoke),
		cmocka_unit_test(test_token_cache),
		cmocka_unit_test(test_token_offsets),
		cmocka_unit_test(test_why_weights),
		cmocka_unit_test(test_api_stage),
		cmocka_unit_test(test_tag_idf),
		cmocka_unit_test(test_quoted_names),
		cmocka_unit_test(test_conv_channels),
		cmocka_unit_test(test_source_paths),
		cmocka_unit_test(test_matmul_shapes),
		cmocka_unit_test(test_word_evidence_floor),
		cmocka_unit_test(test_state_dict),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
