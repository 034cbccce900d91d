/*
 * classify.c - the bug type of a post, with evidence.
 *
 * Stage 1 reproduces the paper's labelling: a Table-1 keyword (from
 * struct dl_data) that appears in a tag as a whole '-'-separated run of
 * segments marks the tag's type; when several types are marked the
 * precedence in classifier.json decides.  Stage 2, when no tag decides,
 * scores the title, the remaining tags and the body (prose, code, logs)
 * with a linear model: learned weights for words, tags, error classes and
 * keyword substrings, plus per-type lexicon counts, turned into
 * probabilities by softmax.  The feature extraction must stay in step
 * with tools/train-classifier.py, which learns the weights; data/
 * classifier.md describes both.
 *
 * The model is read once; classify_post() does no I/O and tokenises the
 * post once.  What a token contributes, apart from signatures, depends
 * on its bytes alone, so it is worked out once per distinct token and
 * kept per thread (struct scratch: a bounded cache, emptied when full or
 * when another model is used); a post then costs a lookup per token.
 * Hits are kept in the order the features are found and scores summed
 * in that order, so results do not depend on what the cache holds.
 */
#include "config.h"

#include <langinfo.h>
#include <limits.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "dlrepro/classify.h"
#include "dlrepro/util.h"

#define MAX_FEATURE 60		/* longer names never hold a weight */
#define MAX_SIG_FIRST INT16_MAX	/* signature first words: fit wslot.sigf */
#define MAX_PHRASE 8		/* words in a lexicon phrase */
#define MAX_EVIDENCE 8
#define NTYPES TYPE__SINGLE

/* ---- a small string -> int hash map (open addressing, FNV-1a) ---- */

/* One slot: key, hash and length side by side, one cache line a probe. */
struct hslot {
	char *key;	/* NULL: empty */
	uint64_t hash;
	uint32_t len;
	int val;
};

struct hmap {
	struct hslot *slot;
	size_t cap;	/* power of two */
	size_t n;
};

#define FNV_OFFSET 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL

static uint64_t
hash_bytes(const char *s, size_t n)
{
	uint64_t h = FNV_OFFSET;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= FNV_PRIME;
	}
	return h;
}

static void
hmap_init(struct hmap *m)
{
	m->cap = 64;
	m->n = 0;
	m->slot = xcalloc(m->cap, sizeof *m->slot);
}

static void
hmap_done(struct hmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slot[i].key);
	free(m->slot);
}

/* memcmp() == 0 for the short keys here, without the call. */
static int
same_bytes(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* Value of k[0..n) whose hash_bytes() is h, or -1. */
static int
hmap_get_h(const struct hmap *m, const char *k, size_t n, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);

	while (m->slot[i].key != NULL) {
		const struct hslot *e = &m->slot[i];

		if (e->hash == h && e->len == n && same_bytes(e->key, k, n))
			return e->val;
		i = (i + 1) & (m->cap - 1);
	}
	return -1;
}

static int
hmap_get(const struct hmap *m, const char *k, size_t n)
{
	return hmap_get_h(m, k, n, hash_bytes(k, n));
}

static void hmap_put(struct hmap *m, const char *k, int v);

static void
hmap_grow(struct hmap *m)
{
	struct hmap old = *m;

	m->cap *= 2;
	m->n = 0;
	m->slot = xcalloc(m->cap, sizeof *m->slot);
	for (size_t i = 0; i < old.cap; i++) {
		if (old.slot[i].key != NULL) {
			hmap_put(m, old.slot[i].key, old.slot[i].val);
			free(old.slot[i].key);
		}
	}
	free(old.slot);
}

/* Insert or replace. */
static void
hmap_put(struct hmap *m, const char *k, int v)
{
	size_t n = strlen(k), i;
	uint64_t h;

	if ((m->n + 1) * 2 > m->cap)
		hmap_grow(m);
	h = hash_bytes(k, n);
	i = (size_t)h & (m->cap - 1);
	while (m->slot[i].key != NULL) {
		if (m->slot[i].hash == h && strcmp(m->slot[i].key, k) == 0) {
			m->slot[i].val = v;
			return;
		}
		i = (i + 1) & (m->cap - 1);
	}
	m->slot[i].key = xstrdup(k);
	m->slot[i].hash = h;
	m->slot[i].len = (uint32_t)n;
	m->slot[i].val = v;
	m->n++;
}

/* ---- the model ---- */

struct phrase {
	int type;
	int n;
	int stems[MAX_PHRASE];	/* ids in model->stems */
	char *text;		/* as written in the lexicon */
};

/* A phrase matched verbatim (case and spacing aside) in bodies. */
struct signature {
	int type;
	double weight;
	char *text;		/* lowercase */
	/*
	 * The error names something after it ("unexpected keyword
	 * argument 'gpus'"): the name is what the API rejected, not
	 * vocabulary, and its words do not vote (signatures.names).
	 */
	unsigned char names;
};

/*
 * What may follow a signature's first word, over the signatures of one
 * first word: any: one is that word alone; space_end: one is the word
 * and a space; after: the byte after the word when it is not a space;
 * next: the first byte of the second word when a space follows.
 */
struct sig_filter {
	unsigned char any, space_end;
	unsigned char after[32], next[32];
};

struct stem_info {
	int stem;		/* id in stems (lexicon) or -1 */
	int generic;		/* in text.body_generic */
	int wrow;		/* row of "w:STEM" or -1 */
};

struct classify_model {
	/* tag rule */
	int precedence[NTYPES];		/* types, strongest first */
	char separators[16];
	int hide_substring;
	double conf_single, conf_multi;
	/* tokeniser */
	struct hmap stop;
	size_t min_len;
	struct strvec suffixes;
	int lex_cap;
	double title_norm;		/* title vector length, 0: as counted */
	/* lexicon: phrases indexed by their first stem */
	struct hmap stems;		/* stem -> id */
	struct phrase *phrases;
	size_t nphrases;
	size_t *first;			/* CSR over stem ids */
	size_t *first_idx;
	size_t nstems;
	/* substring keys, bucketed by first byte */
	char *skip_prefix;
	struct strvec subkeys;
	int *sub_w;			/* weight row of "sub:KEY" or -1 */
	size_t sub_bucket[257];		/* CSR over first byte */
	size_t *sub_order;
	/* bit c1 of sub_pair[c0]: a weighted key may start with c0 c1 */
	unsigned char sub_pair[256][32];
	/* parts */
	double w_title, w_tag, w_body, w_code, w_log, body_norm;
	double mixed_min;
	/* body-only: signatures, and words too common to tell types apart */
	double w_sig;
	double sig_code;		/* signatures inside code blocks */
	int sig_cap;
	struct signature *sigs;
	size_t nsigs;
	struct hmap sig_first;		/* first word -> id */
	struct sig_filter *sig_filter;	/* per first-word id */
	size_t *sig_start;		/* CSR over first-word ids */
	size_t *sig_idx;
	size_t nsig_first;
	struct hmap generic;
	/* linear model */
	double bias[NTYPES];
	double prior[NTYPES];		/* label shares in the training data */
	struct hmap feat;		/* feature -> row */
	/*
	 * Built once from the maps above so that a token costs two lookups:
	 * lowercase word -> stop bit | (signature first-word id + 1) << 1,
	 * and stem -> index into stem_info.
	 */
	struct hmap word_info;
	struct hmap stem_map;
	size_t *suffix_len, *sub_len, skip_len;
	struct stem_info *stem_info;
	size_t nstem_info;
	double (*w)[NTYPES];
	size_t nw;
	int lex_w[NTYPES];		/* row of "lex:TYPE" or -1 */
	/*
	 * Optional: the remaining tags as a block of their own, each
	 * log(idf_total / count) ("ti:TAG"), instead of "t:TAG" counts in
	 * the title vector (0: the latter).
	 */
	double idf_total;
	struct hmap tag_count;		/* lowercase tag -> count */
	/* Optional: API against the rest, over the title group's features */
	int api_stage;
	double api_bias;
	double *api_w;			/* per row, 0 for most */
	unsigned long serial;		/* tells models apart to caches */
	int digits_plain;		/* no feature sees an all-digit token */
	size_t min_tok;			/* shorter tokens have no features */
};

static const char *const type_ids[NTYPES] = {
	"model", "tensor", "training", "gpu", "api",
};

static int
type_index(const char *id)
{
	for (int i = 0; id != NULL && i < NTYPES; i++)
		if (strcmp(type_ids[i], id) == 0)
			return i;
	return -1;
}

static int
is_upper(int c)
{
	return c >= 'A' && c <= 'Z';
}

static int
is_lower(int c)
{
	return c >= 'a' && c <= 'z';
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_alnum(int c)
{
	return is_upper(c) || is_lower(c) || is_digit(c);
}

static int
to_lower(int c)
{
	return is_upper(c) ? c - 'A' + 'a' : c;
}

static int
all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int
ends_with(const char *s, size_t n, const char *suf, size_t sn)
{
	return n >= sn && memcmp(s + n - sn, suf, sn) == 0;
}

/*
 * Light suffix stripping, the same rule as stem() in the trainer.  s holds
 * n lowercase bytes; the stem is written back into s, its length returned.
 */
static size_t
stem(char *s, size_t n)
{
	if (n > 4 && ends_with(s, n, "ies", 3)) {
		s[n - 3] = 'y';
		return n - 2;
	}
	if (n > 4 && ends_with(s, n, "sses", 4))
		return n - 2;
	if (n > 3 && s[n - 1] == 's' && !ends_with(s, n, "ss", 2) &&
	    !ends_with(s, n, "us", 2))
		n--;
	if (n > 5 && ends_with(s, n, "ing", 3))
		return n - 3;
	if (n > 4 && ends_with(s, n, "ed", 2))
		return n - 2;
	return n;
}

/* Stop bit and signature first-word id of a lowercase token. */
static int
word_info(const struct classify_model *m, const char *lw, size_t n,
	  int *sigf)
{
	int v = hmap_get(&m->word_info, lw, n);

	*sigf = v < 0 ? -1 : (v >> 1) - 1;
	return v >= 0 && (v & 1);
}

static const struct stem_info *
stem_lookup(const struct classify_model *m, const char *st, size_t n)
{
	static const struct stem_info none = {-1, 0, -1};
	int i = hmap_get(&m->stem_map, st, n);

	return i < 0 ? &none : &m->stem_info[i];
}

static int
keep_word(const struct classify_model *m, const char *lw, size_t n)
{
	return n >= m->min_len && !all_digits(lw, n) &&
	       hmap_get(&m->stop, lw, n) < 0;
}

/*
 * camelCase parts, as the trainer's regex
 * [A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+ splits them.
 * Fills starts/ends (at most max) and returns the number of parts.
 */
static size_t
camel_parts(const char *t, size_t n, size_t *st, size_t *en, size_t max)
{
	size_t i = 0, k = 0;

	while (i < n && k < max) {
		int c = (unsigned char)t[i];
		size_t j = i;

		if (is_upper(c)) {
			while (j < n && is_upper((unsigned char)t[j]))
				j++;
			if (j < n && is_lower((unsigned char)t[j])) {
				if (j - i >= 2) {
					st[k] = i;
					en[k++] = j - 1;
					i = j - 1;
					continue;
				}
				while (j < n && is_lower((unsigned char)t[j]))
					j++;
			}
		} else if (is_lower(c)) {
			while (j < n && is_lower((unsigned char)t[j]))
				j++;
		} else {
			while (j < n && is_digit((unsigned char)t[j]))
				j++;
		}
		st[k] = i;
		en[k++] = j;
		i = j;
	}
	return k;
}

/* ---- loading ---- */

static const cJSON *
need(const cJSON *obj, const char *name, int (*is)(const cJSON *),
     const char *what, const char *path)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (v == NULL || !is(v)) {
		error_set("%s: '%s' must be %s", path, name, what);
		return NULL;
	}
	return v;
}

static int
is_object(const cJSON *v)
{
	return cJSON_IsObject(v);
}

static int
is_array(const cJSON *v)
{
	return cJSON_IsArray(v);
}

static int
is_number(const cJSON *v)
{
	return cJSON_IsNumber(v);
}

static int
is_string(const cJSON *v)
{
	return cJSON_IsString(v);
}

static int
get_num(const cJSON *obj, const char *name, double lo, double hi,
	double *out, const char *path)
{
	const cJSON *v = need(obj, name, is_number, "a number", path);

	if (v == NULL)
		return DL_ERR;
	if (!(v->valuedouble >= lo && v->valuedouble <= hi))
		return error_set("%s: '%s' must lie in [%g, %g]", path, name,
				 lo, hi);
	*out = v->valuedouble;
	return DL_OK;
}

/* Read five numbers into out; DL_ERR with message naming `what`. */
static int
get_row(const cJSON *a, double out[NTYPES], const char *what,
	const char *path)
{
	const cJSON *v;
	int i = 0;

	if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != NTYPES)
		return error_set("%s: %s must be an array of %d numbers", path,
				 what, NTYPES);
	cJSON_ArrayForEach(v, a) {
		if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
			return error_set("%s: %s must be an array of %d "
					 "numbers", path, what, NTYPES);
		out[i++] = v->valuedouble;
	}
	return DL_OK;
}

static int
intern_stem(struct classify_model *m, const char *s, size_t n)
{
	char *k = xstrndup(s, n);
	int id = hmap_get(&m->stems, k, n);

	if (id < 0) {
		id = (int)m->nstems++;
		hmap_put(&m->stems, k, id);
	}
	free(k);
	return id;
}

/* Split a lexicon phrase into stems the way post text is split. */
static int
add_phrase(struct classify_model *m, int type, const char *text,
	   size_t *cap, const char *path)
{
	struct phrase p = {.type = type};
	char buf[MAX_FEATURE + 1];
	size_t i = 0, len = strlen(text);

	while (i < len) {
		size_t s, n;

		while (i < len && !is_alnum((unsigned char)text[i]))
			i++;
		s = i;
		while (i < len && is_alnum((unsigned char)text[i]))
			i++;
		n = i - s;
		if (n == 0)
			break;
		if (n > MAX_FEATURE)
			return error_set("%s: lexicon phrase '%s' has a word "
					 "longer than %d bytes", path, text,
					 MAX_FEATURE);
		for (size_t j = 0; j < n; j++)
			buf[j] = (char)to_lower((unsigned char)text[s + j]);
		if (!keep_word(m, buf, n))
			continue;
		if (p.n == MAX_PHRASE)
			return error_set("%s: lexicon phrase '%s' has more "
					 "than %d words", path, text,
					 MAX_PHRASE);
		n = stem(buf, n);
		p.stems[p.n++] = intern_stem(m, buf, n);
	}
	if (p.n == 0)
		return DL_OK;	/* only stop words: never matches */
	for (size_t k = 0; k < m->nphrases; k++) {
		const struct phrase *q = &m->phrases[k];

		if (q->type == type && q->n == p.n &&
		    memcmp(q->stems, p.stems, sizeof p.stems) == 0)
			return DL_OK;	/* same stems twice: count once */
	}
	if (m->nphrases == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		m->phrases = xreallocarray(m->phrases, *cap,
					   sizeof *m->phrases);
	}
	p.text = xstrdup(text);
	m->phrases[m->nphrases++] = p;
	return DL_OK;
}

static void
index_phrases(struct classify_model *m)
{
	size_t *fill;

	m->first = xcalloc(m->nstems + 1, sizeof *m->first);
	m->first_idx = xcalloc(m->nphrases ? m->nphrases : 1,
			       sizeof *m->first_idx);
	for (size_t i = 0; i < m->nphrases; i++)
		m->first[m->phrases[i].stems[0] + 1]++;
	for (size_t s = 0; s < m->nstems; s++)
		m->first[s + 1] += m->first[s];
	fill = xcalloc(m->nstems + 1, sizeof *fill);
	for (size_t i = 0; i < m->nphrases; i++) {
		size_t s = (size_t)m->phrases[i].stems[0];

		m->first_idx[m->first[s] + fill[s]++] = i;
	}
	free(fill);
}

static void
index_subkeys(struct classify_model *m)
{
	size_t fill[256] = {0};

	memset(m->sub_bucket, 0, sizeof m->sub_bucket);
	m->sub_order = xcalloc(m->subkeys.n ? m->subkeys.n : 1,
			       sizeof *m->sub_order);
	for (size_t i = 0; i < m->subkeys.n; i++)
		m->sub_bucket[(unsigned char)m->subkeys.v[i][0] + 1]++;
	for (int c = 0; c < 256; c++)
		m->sub_bucket[c + 1] += m->sub_bucket[c];
	for (size_t i = 0; i < m->subkeys.n; i++) {
		unsigned char c = (unsigned char)m->subkeys.v[i][0];

		m->sub_order[m->sub_bucket[c] + fill[c]++] = i;
	}
}

/* A key of one byte matches whatever follows its first. */
static void
index_sub_pairs(struct classify_model *m)
{
	memset(m->sub_pair, 0, sizeof m->sub_pair);
	for (size_t k = 0; k < m->subkeys.n; k++) {
		const unsigned char *key =
			(const unsigned char *)m->subkeys.v[k];

		if (m->sub_w[k] < 0)
			continue;
		if (key[1] == '\0')
			memset(m->sub_pair[key[0]], 0xff,
			       sizeof m->sub_pair[key[0]]);
		else
			m->sub_pair[key[0]][key[1] >> 3] |=
				(unsigned char)(1u << (key[1] & 7));
	}
}

static int
load_tag_rule(struct classify_model *m, const cJSON *root, const char *path)
{
	const cJSON *r, *prec, *sep, *v;
	int seen[NTYPES] = {0}, n = 0;

	if ((r = need(root, "tag_rule", is_object, "an object", path)) == NULL)
		return DL_ERR;
	if ((v = need(r, "match", is_string, "a string", path)) == NULL)
		return DL_ERR;
	if (strcmp(v->valuestring, "segment") != 0)
		return error_set("%s: tag_rule.match '%s' is not supported "
				 "(only \"segment\")", path, v->valuestring);
	if ((sep = need(r, "separators", is_string, "a string", path)) == NULL)
		return DL_ERR;
	if (strlen(sep->valuestring) == 0 ||
	    strlen(sep->valuestring) >= sizeof m->separators)
		return error_set("%s: tag_rule.separators must hold 1 to %zu "
				 "characters", path,
				 sizeof m->separators - 1);
	strcpy(m->separators, sep->valuestring);
	if ((prec = need(r, "precedence", is_array, "an array", path)) == NULL)
		return DL_ERR;
	cJSON_ArrayForEach(v, prec) {
		int t = cJSON_IsString(v) ? type_index(v->valuestring) : -1;

		if (t < 0 || seen[t] || n == NTYPES)
			return error_set("%s: tag_rule.precedence must list "
					 "each of model, tensor, training, "
					 "gpu, api once", path);
		seen[t] = 1;
		m->precedence[n++] = t;
	}
	if (n != NTYPES)
		return error_set("%s: tag_rule.precedence must list each of "
				 "model, tensor, training, gpu, api once",
				 path);
	v = cJSON_GetObjectItemCaseSensitive(r, "hide_substring");
	m->hide_substring = v == NULL || cJSON_IsTrue(v);
	if (get_num(r, "confidence_single", 0, 1, &m->conf_single, path) ||
	    get_num(r, "confidence_multi", 0, 1, &m->conf_multi, path))
		return DL_ERR;
	return DL_OK;
}

static int
load_strings(struct strvec *sv, const cJSON *a, const char *what,
	     const char *path)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, a) {
		if (!cJSON_IsString(v) || v->valuestring[0] == '\0')
			return error_set("%s: %s must hold non-empty strings",
					 path, what);
		sv_push(sv, v->valuestring);
	}
	return DL_OK;
}

static int
load_text(struct classify_model *m, const cJSON *root, const char *path)
{
	const cJSON *t, *a, *v;
	double d;

	if ((t = need(root, "text", is_object, "an object", path)) == NULL)
		return DL_ERR;
	if (get_num(t, "min_len", 1, 64, &d, path))
		return DL_ERR;
	m->min_len = (size_t)d;
	if (get_num(t, "lex_cap", 0, 1000, &d, path))
		return DL_ERR;
	m->lex_cap = (int)d;
	/* Optional: models written before it count the title as it is. */
	m->title_norm = 0;
	if (cJSON_GetObjectItemCaseSensitive(t, "title_norm") != NULL &&
	    get_num(t, "title_norm", 0, 1000, &m->title_norm, path))
		return DL_ERR;
	if ((a = need(t, "stopwords", is_array, "an array", path)) == NULL)
		return DL_ERR;
	cJSON_ArrayForEach(v, a) {
		if (!cJSON_IsString(v))
			return error_set("%s: text.stopwords must hold "
					 "strings", path);
		hmap_put(&m->stop, v->valuestring, 1);
	}
	if ((a = need(t, "body_generic", is_array, "an array", path)) == NULL)
		return DL_ERR;
	cJSON_ArrayForEach(v, a) {
		char buf[MAX_FEATURE + 1];
		size_t n;

		if (!cJSON_IsString(v) || strlen(v->valuestring) > MAX_FEATURE)
			return error_set("%s: text.body_generic must hold "
					 "words", path);
		n = strlen(v->valuestring);
		for (size_t k = 0; k < n; k++)
			buf[k] = (char)to_lower((unsigned char)v->valuestring[k]);
		buf[stem(buf, n)] = '\0';
		hmap_put(&m->generic, buf, 1);
	}
	if ((a = need(t, "error_suffixes", is_array, "an array", path)) ==
	    NULL)
		return DL_ERR;
	return load_strings(&m->suffixes, a, "text.error_suffixes", path);
}

static int
load_parts(struct classify_model *m, const cJSON *root, const char *path)
{
	const cJSON *p, *mx;

	if ((p = need(root, "parts", is_object, "an object", path)) == NULL)
		return DL_ERR;
	if (get_num(p, "title", 0, 100, &m->w_title, path) ||
	    get_num(p, "tag", 0, 100, &m->w_tag, path) ||
	    get_num(p, "body", 0, 100, &m->w_body, path) ||
	    get_num(p, "code", 0, 100, &m->w_code, path) ||
	    get_num(p, "log", 0, 100, &m->w_log, path) ||
	    get_num(p, "body_norm", 0.001, 1e6, &m->body_norm, path))
		return DL_ERR;
	if ((mx = need(root, "mixed", is_object, "an object", path)) == NULL)
		return DL_ERR;
	return get_num(mx, "min_each", 0, 1, &m->mixed_min, path);
}

static int
add_signature(struct classify_model *m, int type, const char *text,
	      double weight, const char *path)
{
	struct signature *sg;
	size_t n = strlen(text), w = 0;
	char *lt;
	int id;

	while (w < n && is_alnum((unsigned char)text[w]))
		w++;
	if (w == 0 || w > MAX_FEATURE)
		return error_set("%s: signature '%s' must start with a word",
				 path, text);
	lt = xstrdup(text);
	for (size_t k = 0; k < n; k++)
		lt[k] = (char)to_lower((unsigned char)lt[k]);
	m->sigs = xreallocarray(m->sigs, m->nsigs + 1, sizeof *m->sigs);
	sg = &m->sigs[m->nsigs++];
	sg->type = type;
	sg->weight = weight;
	sg->text = lt;
	sg->names = 0;
	lt = xstrndup(sg->text, w);
	if (hmap_get(&m->sig_first, lt, w) < 0) {
		id = (int)m->nsig_first++;
		hmap_put(&m->sig_first, lt, id);
	}
	free(lt);
	return DL_OK;
}

static void
index_signatures(struct classify_model *m)
{
	size_t *fill;
	int *first = xcalloc(m->nsigs ? m->nsigs : 1, sizeof *first);

	m->sig_start = xcalloc(m->nsig_first + 1, sizeof *m->sig_start);
	m->sig_idx = xcalloc(m->nsigs ? m->nsigs : 1, sizeof *m->sig_idx);
	for (size_t i = 0; i < m->nsigs; i++) {
		const char *t = m->sigs[i].text;
		size_t w = 0;

		while (is_alnum((unsigned char)t[w]))
			w++;
		first[i] = hmap_get(&m->sig_first, t, w);
		m->sig_start[first[i] + 1]++;
	}
	for (size_t f = 0; f < m->nsig_first; f++)
		m->sig_start[f + 1] += m->sig_start[f];
	fill = xcalloc(m->nsig_first + 1, sizeof *fill);
	m->sig_filter = xcalloc(m->nsig_first + 1, sizeof *m->sig_filter);
	for (size_t i = 0; i < m->nsigs; i++) {
		size_t f = (size_t)first[i], w = 0;
		const unsigned char *t =
			(const unsigned char *)m->sigs[i].text;
		struct sig_filter *sf = &m->sig_filter[f];

		m->sig_idx[m->sig_start[f] + fill[f]++] = i;
		while (is_alnum(t[w]))
			w++;
		if (t[w] == '\0')
			sf->any = 1;
		else if (t[w] == ' ' && t[w + 1] == '\0')
			sf->space_end = 1;
		else if (t[w] == ' ')
			sf->next[t[w + 1] >> 3] |=
				(unsigned char)(1u << (t[w + 1] & 7));
		else
			sf->after[t[w] >> 3] |=
				(unsigned char)(1u << (t[w] & 7));
	}
	free(fill);
	free(first);
}

/*
 * "signatures": {"gpu": [["cuda out of memory", 2.0], ...], ...}: error
 * messages and phrases that mark a type in a body with a fixed weight.
 */
static int
load_signatures(struct classify_model *m, const cJSON *root,
		const char *path)
{
	const cJSON *sg, *a, *v, *ph, *w;
	double d;

	if ((sg = need(root, "signatures", is_object, "an object", path)) ==
	    NULL)
		return DL_ERR;
	if (get_num(sg, "part_weight", 0, 100, &m->w_sig, path) ||
	    get_num(sg, "code_factor", 0, 100, &m->sig_code, path) ||
	    get_num(sg, "cap", 0, 1000, &d, path))
		return DL_ERR;
	m->sig_cap = (int)d;
	for (int t = 0; t < NTYPES; t++) {
		a = cJSON_GetObjectItemCaseSensitive(sg, type_ids[t]);
		if (a == NULL)
			continue;
		if (!cJSON_IsArray(a))
			return error_set("%s: signatures.%s must be an array",
					 path, type_ids[t]);
		cJSON_ArrayForEach(v, a) {
			ph = cJSON_GetArrayItem(v, 0);
			w = cJSON_GetArrayItem(v, 1);
			if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2 ||
			    !cJSON_IsString(ph) || !cJSON_IsNumber(w) ||
			    !(w->valuedouble > 0 && w->valuedouble <= 100))
				return error_set("%s: signatures.%s must hold "
						 "[phrase, weight in (0,100]] "
						 "pairs", path, type_ids[t]);
			if (add_signature(m, t, ph->valuestring,
					  w->valuedouble, path))
				return DL_ERR;
		}
	}
	if (m->nsig_first > MAX_SIG_FIRST)
		return error_set("%s: signatures start with more than %d "
				 "distinct words", path, MAX_SIG_FIRST);
	/* optional: signatures after which the message quotes a name */
	a = cJSON_GetObjectItemCaseSensitive(sg, "names");
	if (a != NULL && !cJSON_IsArray(a))
		return error_set("%s: signatures.names must be an array", path);
	cJSON_ArrayForEach(v, a) {
		size_t k;

		if (!cJSON_IsString(v))
			return error_set("%s: signatures.names must hold "
					 "strings", path);
		for (k = 0; k < m->nsigs; k++)
			if (strcasecmp(m->sigs[k].text, v->valuestring) == 0)
				break;
		if (k == m->nsigs)
			return error_set("%s: signatures.names: '%s' is not a "
					 "signature", path, v->valuestring);
		m->sigs[k].names = 1;
	}
	index_signatures(m);
	return DL_OK;
}

static int
load_lexicon(struct classify_model *m, const cJSON *root, const char *path)
{
	const cJSON *lex, *a, *v;
	size_t cap = 0;

	if ((lex = need(root, "lexicon", is_object, "an object", path)) ==
	    NULL)
		return DL_ERR;
	cJSON_ArrayForEach(a, lex) {
		int t = type_index(a->string);

		if (t < 0)
			return error_set("%s: lexicon: '%s' is not a bug type",
					 path, a->string);
		if (!cJSON_IsArray(a))
			return error_set("%s: lexicon.%s must be an array",
					 path, a->string);
		cJSON_ArrayForEach(v, a) {
			if (!cJSON_IsString(v))
				return error_set("%s: lexicon.%s must hold "
						 "strings", path, a->string);
			if (add_phrase(m, t, v->valuestring, &cap, path))
				return DL_ERR;
		}
	}
	index_phrases(m);
	return load_signatures(m, root, path);
}

static int
load_substrings(struct classify_model *m, const cJSON *root,
		const char *path)
{
	const cJSON *s, *keys, *a, *v;

	if ((s = need(root, "substrings", is_object, "an object", path)) ==
	    NULL)
		return DL_ERR;
	if ((v = need(s, "skip_prefix", is_string, "a string", path)) == NULL)
		return DL_ERR;
	m->skip_prefix = xstrdup(v->valuestring);
	if ((keys = need(s, "keys", is_object, "an object", path)) == NULL)
		return DL_ERR;
	/* The trainer walks the types in their fixed order. */
	for (int t = 0; t < NTYPES; t++) {
		a = cJSON_GetObjectItemCaseSensitive(keys, type_ids[t]);
		if (a == NULL)
			continue;
		if (!cJSON_IsArray(a))
			return error_set("%s: substrings.keys.%s must be an "
					 "array", path, type_ids[t]);
		if (load_strings(&m->subkeys, a, "substrings.keys", path))
			return DL_ERR;
	}
	for (size_t i = 0; i < m->subkeys.n; i++)
		for (char *c = m->subkeys.v[i]; *c; c++)
			*c = (char)to_lower((unsigned char)*c);
	index_subkeys(m);
	return DL_OK;
}

static int
load_weights(struct classify_model *m, const cJSON *root, const char *path)
{
	const cJSON *ws, *v;
	size_t n, i = 0;
	double psum = 0;

	if (get_row(cJSON_GetObjectItemCaseSensitive(root, "bias"), m->bias,
		    "'bias'", path))
		return DL_ERR;
	if (get_row(cJSON_GetObjectItemCaseSensitive(root, "prior"), m->prior,
		    "'prior'", path))
		return DL_ERR;
	for (int t = 0; t < NTYPES; t++) {
		if (!(m->prior[t] > 0 && m->prior[t] < 1))
			return error_set("%s: 'prior' must hold shares in "
					 "(0, 1)", path);
		psum += m->prior[t];
	}
	/* the file rounds the shares (they sum to 0.9999): the scores of a
	 * post with nothing to go on are probabilities, so they sum to 1 */
	for (int t = 0; t < NTYPES; t++)
		m->prior[t] /= psum;
	if ((ws = need(root, "weights", is_object, "an object", path)) == NULL)
		return DL_ERR;
	n = (size_t)cJSON_GetArraySize(ws);
	m->w = xcalloc(n ? n : 1, sizeof *m->w);
	cJSON_ArrayForEach(v, ws) {
		char *what = xasprintf("weights['%.40s']", v->string);
		int rc = get_row(v, m->w[i], what, path);

		free(what);
		if (rc)
			return DL_ERR;
		if (strlen(v->string) <= MAX_FEATURE)
			hmap_put(&m->feat, v->string, (int)i);
		i++;
	}
	m->nw = i;
	return DL_OK;
}

/* The rows of the lexicon and substring features, once all are in. */
static void
index_rows(struct classify_model *m)
{
	char name[MAX_FEATURE + 8];

	for (int t = 0; t < NTYPES; t++) {
		snprintf(name, sizeof name, "lex:%s", type_ids[t]);
		m->lex_w[t] = hmap_get(&m->feat, name, strlen(name));
	}
	m->sub_w = xcalloc(m->subkeys.n ? m->subkeys.n : 1, sizeof *m->sub_w);
	for (size_t k = 0; k < m->subkeys.n; k++) {
		snprintf(name, sizeof name, "sub:%.*s", MAX_FEATURE,
			 m->subkeys.v[k]);
		m->sub_w[k] = hmap_get(&m->feat, name, strlen(name));
	}
}

/* *sec: the optional object name of root, or NULL when it is absent. */
static int
optional_section(const cJSON *root, const char *name, const char *path,
		 const cJSON **sec)
{
	*sec = cJSON_GetObjectItemCaseSensitive(root, name);
	if (*sec != NULL && !cJSON_IsObject(*sec))
		return error_set("%s: '%s' must be an object", path, name);
	return DL_OK;
}

/* sec.key, a number in [lo, hi], into *out (nothing to do without sec). */
static int
sec_num(const cJSON *sec, const char *sname, const char *key, double lo,
	double hi, double *out, const char *path)
{
	const cJSON *v;

	if (sec == NULL)
		return DL_OK;
	v = cJSON_GetObjectItemCaseSensitive(sec, key);
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= lo &&
				    v->valuedouble <= hi))
		return error_set("%s: %s.%s must be a number in [%g, %g]",
				 path, sname, key, lo, hi);
	*out = v->valuedouble;
	return DL_OK;
}

/* The optional tag_idf section: {"total": N, "counts": {"tag": n}}. */
static int
load_tag_idf(struct classify_model *m, const cJSON *root, const char *path)
{
	const cJSON *sec, *counts, *v;

	if (optional_section(root, "tag_idf", path, &sec) ||
	    sec_num(sec, "tag_idf", "total", 1, 1e12, &m->idf_total, path))
		return DL_ERR;
	if (sec == NULL)
		return DL_OK;
	counts = cJSON_GetObjectItemCaseSensitive(sec, "counts");
	if (!cJSON_IsObject(counts))
		return error_set("%s: tag_idf.counts must be an object", path);
	cJSON_ArrayForEach(v, counts) {
		if (!cJSON_IsNumber(v) || !(v->valuedouble >= 1) ||
		    v->valuedouble > m->idf_total ||
		    v->valuedouble > INT_MAX ||
		    v->valuedouble != (double)(int)v->valuedouble)
			return error_set("%s: tag_idf.counts['%.40s'] must be "
					 "a whole number in [1, total]", path,
					 v->string);
		{
			/* looked up lowercased, as tags are */
			char *k = xstrdup(v->string);

			for (char *c = k; *c; c++)
				*c = (char)to_lower((unsigned char)*c);
			hmap_put(&m->tag_count, k, (int)v->valuedouble);
			free(k);
		}
	}
	return DL_OK;
}

/*
 * The optional api_stage section: {"bias": b, "weights": {"feature": w}}.
 * A feature without a five-way row gets one of zeros.
 */
static int
load_api_stage(struct classify_model *m, const cJSON *root,
	       const char *path)
{
	const cJSON *sec, *ws, *v;
	size_t n, cap;

	if (optional_section(root, "api_stage", path, &sec) ||
	    sec_num(sec, "api_stage", "bias", -1e6, 1e6, &m->api_bias, path))
		return DL_ERR;
	if (sec == NULL)
		return DL_OK;
	ws = cJSON_GetObjectItemCaseSensitive(sec, "weights");
	if (!cJSON_IsObject(ws))
		return error_set("%s: api_stage.weights must be an object",
				 path);
	n = (size_t)cJSON_GetArraySize(ws);
	cap = m->nw + n;
	m->w = xreallocarray(m->w, cap ? cap : 1, sizeof *m->w);
	m->api_w = xcalloc(cap ? cap : 1, sizeof *m->api_w);
	cJSON_ArrayForEach(v, ws) {
		int row;

		if (!cJSON_IsNumber(v) || !(v->valuedouble >= -1e6 &&
					    v->valuedouble <= 1e6))
			return error_set("%s: api_stage.weights['%.40s'] must "
					 "be a number in [-1e6, 1e6]", path,
					 v->string);
		if (strlen(v->string) > MAX_FEATURE)
			continue;	/* never looked up */
		row = hmap_get(&m->feat, v->string, strlen(v->string));
		if (row < 0) {
			row = (int)m->nw++;
			memset(m->w[row], 0, sizeof m->w[row]);
			hmap_put(&m->feat, v->string, row);
		}
		m->api_w[row] = v->valuedouble;
	}
	m->api_stage = 1;
	return DL_OK;
}

static int
stem_slot(struct classify_model *m, const char *k)
{
	int i = hmap_get(&m->stem_map, k, strlen(k));

	if (i < 0) {
		i = (int)m->nstem_info++;
		m->stem_info = xreallocarray(m->stem_info, m->nstem_info,
					     sizeof *m->stem_info);
		m->stem_info[i] = (struct stem_info){-1, 0, -1};
		hmap_put(&m->stem_map, k, i);
	}
	return i;
}

static void
build_fast_maps(struct classify_model *m)
{
	for (size_t i = 0; i < m->stop.cap; i++)
		if (m->stop.slot[i].key != NULL)
			hmap_put(&m->word_info, m->stop.slot[i].key, 1);
	for (size_t i = 0; i < m->sig_first.cap; i++) {
		const char *k = m->sig_first.slot[i].key;
		int v;

		if (k == NULL)
			continue;
		v = hmap_get(&m->word_info, k, strlen(k));
		hmap_put(&m->word_info, k, (v < 0 ? 0 : v) |
			 (m->sig_first.slot[i].val + 1) << 1);
	}
	/* stem_slot() may move stem_info: take the index first. */
	for (size_t i = 0; i < m->stems.cap; i++) {
		if (m->stems.slot[i].key != NULL) {
			int k = stem_slot(m, m->stems.slot[i].key);

			m->stem_info[k].stem = m->stems.slot[i].val;
		}
	}
	for (size_t i = 0; i < m->generic.cap; i++) {
		if (m->generic.slot[i].key != NULL) {
			int k = stem_slot(m, m->generic.slot[i].key);

			m->stem_info[k].generic = 1;
		}
	}
	for (size_t i = 0; i < m->feat.cap; i++) {
		if (m->feat.slot[i].key != NULL &&
		    strncmp(m->feat.slot[i].key, "w:", 2) == 0) {
			int k = stem_slot(m, m->feat.slot[i].key + 2);

			m->stem_info[k].wrow = m->feat.slot[i].val;
		}
	}
}

/*
 * Can a token of digits only have features?  Not unless a weighted
 * substring key can start at a digit, an error suffix is all digits, or
 * a stop word or signature word is.  (Word features skip numbers.)
 */
static int
digits_plain(const struct classify_model *m)
{
	for (int c = '0'; c <= '9'; c++)
		for (size_t k = 0; k < sizeof m->sub_pair[c]; k++)
			if (m->sub_pair[c][k])
				return 0;
	for (size_t k = 0; k < m->suffixes.n; k++)
		if (all_digits(m->suffixes.v[k], m->suffix_len[k]))
			return 0;
	for (size_t i = 0; i < m->word_info.cap; i++) {
		const struct hslot *e = &m->word_info.slot[i];

		if (e->key != NULL && all_digits(e->key, e->len))
			return 0;
	}
	return 1;
}

/*
 * The length of the shortest token that can do anything: be a word, hold
 * a weighted substring key or end in an error suffix (longer than it),
 * or start a signature.  (Stop words only keep words out.)
 */
static size_t
min_token(const struct classify_model *m)
{
	size_t n = m->min_len;

	for (size_t k = 0; k < m->subkeys.n; k++)
		if (m->sub_w[k] >= 0 && m->sub_len[k] < n)
			n = m->sub_len[k];
	for (size_t k = 0; k < m->suffixes.n; k++)
		if (m->suffix_len[k] + 1 < n)
			n = m->suffix_len[k] + 1;
	for (size_t i = 0; i < m->sig_first.cap; i++)
		if (m->sig_first.slot[i].key != NULL &&
		    m->sig_first.slot[i].len < n)
			n = m->sig_first.slot[i].len;
	return n > 0 ? n : 1;
}

/* Numbers models for the per-thread token caches (0: none yet). */
static atomic_ulong model_serial;

struct classify_model *
classify_model_load(const char *dir)
{
	struct classify_model *m;
	char *path;
	cJSON *root;
	const cJSON *fmt;
	int rc;

	path = xasprintf("%s/classifier.json", dir ? dir : datadir());
	root = data_read_json(path, "classifier model", 64u << 20);
	if (root == NULL) {
		free(path);
		return NULL;
	}
	m = xcalloc(1, sizeof *m);
	hmap_init(&m->stop);
	hmap_init(&m->stems);
	hmap_init(&m->feat);
	hmap_init(&m->tag_count);
	hmap_init(&m->generic);
	hmap_init(&m->sig_first);
	hmap_init(&m->word_info);
	hmap_init(&m->stem_map);
	sv_init(&m->suffixes);
	sv_init(&m->subkeys);
	fmt = cJSON_GetObjectItemCaseSensitive(root, "format");
	if (!cJSON_IsString(fmt) ||
	    strcmp(fmt->valuestring, "dlrepro-classifier/1") != 0)
		rc = error_set("%s: not a dlrepro classifier model (format "
			       "must be \"dlrepro-classifier/1\")", path);
	else
		rc = load_tag_rule(m, root, path) ||
		     load_text(m, root, path) ||
		     load_parts(m, root, path) ||
		     load_lexicon(m, root, path) ||
		     load_substrings(m, root, path) ||
		     load_weights(m, root, path) ||
		     load_tag_idf(m, root, path) ||
		     load_api_stage(m, root, path);
	cJSON_Delete(root);
	free(path);
	if (rc) {
		classify_model_free(m);
		return NULL;
	}
	index_rows(m);
	build_fast_maps(m);
	m->serial = atomic_fetch_add(&model_serial, 1) + 1;
	m->suffix_len = xcalloc(m->suffixes.n + 1, sizeof *m->suffix_len);
	for (size_t k = 0; k < m->suffixes.n; k++)
		m->suffix_len[k] = strlen(m->suffixes.v[k]);
	m->sub_len = xcalloc(m->subkeys.n + 1, sizeof *m->sub_len);
	for (size_t k = 0; k < m->subkeys.n; k++)
		m->sub_len[k] = strlen(m->subkeys.v[k]);
	m->skip_len = strlen(m->skip_prefix);
	index_sub_pairs(m);
	m->digits_plain = digits_plain(m);
	m->min_tok = min_token(m);
	return m;
}

void
classify_model_free(struct classify_model *m)
{
	if (m == NULL)
		return;
	hmap_done(&m->stop);
	hmap_done(&m->stems);
	hmap_done(&m->feat);
	hmap_done(&m->tag_count);
	free(m->api_w);
	hmap_done(&m->generic);
	hmap_done(&m->sig_first);
	hmap_done(&m->word_info);
	hmap_done(&m->stem_map);
	free(m->stem_info);
	free(m->suffix_len);
	free(m->sub_len);
	for (size_t i = 0; i < m->nsigs; i++)
		free(m->sigs[i].text);
	free(m->sigs);
	free(m->sig_start);
	free(m->sig_idx);
	free(m->sig_filter);
	sv_done(&m->suffixes);
	sv_done(&m->subkeys);
	for (size_t i = 0; i < m->nphrases; i++)
		free(m->phrases[i].text);
	free(m->phrases);
	free(m->first);
	free(m->first_idx);
	free(m->skip_prefix);
	free(m->sub_w);
	free(m->sub_order);
	free(m->w);
	free(m);
}

/* ---- feature extraction ---- */

enum part {
	PART_TITLE,	/* title and the remaining tags: one group */
	PART_TAG,
	PART_BODY,
	PART_CODE,
	PART_LOG,
};

static const char *const part_names[] = {
	"title", "tag", "body", "code", "log",
};

enum hit_kind {
	HIT_WORD,
	HIT_ERROR,
	HIT_SUBSTRING,
	HIT_TAG,
	HIT_TAGPART,
	HIT_PHRASE,
	HIT_SIGNATURE,
};

/* One occurrence of a feature that has a weight row. */
struct hit {
	const char *src;	/* the string start/end index */
	const char *key;	/* HIT_SUBSTRING: the key */
	size_t start, end;
	int row;		/* weight row */
	int lex_type;		/* HIT_PHRASE: its type, else -1 */
	uint32_t phrase;	/* HIT_PHRASE, HIT_SIGNATURE: index */
	unsigned char kind;	/* enum hit_kind */
	unsigned char part;	/* enum part */
	unsigned char counted;	/* contributes to the score */
};

struct word {
	int stem;		/* id in m->stems or -1 */
	unsigned char generic;	/* too common in bodies to count alone */
	unsigned char phr;	/* a lexicon phrase starts with the stem */
	size_t start, end;
};

/* Everything gathered from one group of text (title+tags, or one body part). */
struct group {
	struct hit *hits;
	size_t nhits, cap;
	struct word *seq, *parts;
	size_t nseq, nparts, seqcap, partcap;
	/* indexes into seq of the words whose stem starts a phrase */
	uint32_t *phr;
	size_t nphr, phrcap;
	double scale;		/* score_group's factor for weight rows */
	/*
	 * Phrase hits kept per type, and the types whose further phrase
	 * hits would change nothing (phrase_hit()), a bit each.
	 */
	int nlex[NTYPES];
	unsigned lexdone;
	/* tokens before this offset are a name a signature quotes */
	size_t skip_to;
};

/*
 * What a token contributes apart from signatures depends only on its
 * bytes (case included: camelCase parts and error suffixes look at it),
 * so it is worked out once per distinct token and kept as a list of
 * items, in the order the features are found.
 */
enum witem_kind {
	WI_SUB,		/* a: row; key */
	WI_ERR,		/* a: row */
	WI_WORD,	/* a: stem id; wrow; generic */
	WI_PART,	/* the same for the camelCase part [ps, pe) */
};

struct witem {
	int a;
	int wrow;
	uint32_t ps, pe;
	const char *key;
	unsigned char kind;
	unsigned char generic;
};

/*
 * A cached token, in 32 bytes so that a lookup reads one cache line: its
 * first 16 bytes (zero padded) in k, the rest in the key arena at
 * sc->wc_koff[slot], its items in the item arena at sc->wc_ioff[slot].
 * fast: the items are at most a substring or error item, then at most
 * one word (word: whether).  The word's hit row in a body is brow (m->nw:
 * none, as when generic), its stem stem, generic gen, and phr: whether
 * the stem starts a lexicon phrase.  Whole bytes, not bit fields: the
 * fast path reads them all for every token.
 */
struct wslot {
	uint64_t k[2];
	int32_t brow, stem;
	int16_t sigf;		/* signature first word or -1 */
	uint8_t klen;		/* 0: empty */
	uint8_t nitems;
	uint8_t fast, word, gen, phr;
};
_Static_assert(sizeof(struct wslot) == 32, "a token slot fills 32 bytes");

/* A token's items worked out but not cached (too long, too many). */
struct wtmp {
	size_t ioff, nitems;
	int sigf;
};

#define WC_SLOT_BITS 12
#define WC_SLOTS (1u << WC_SLOT_BITS)
#define WC_MAX_WORDS (WC_SLOTS / 2)
#define WC_KEY_BYTES (32u << 10)
#define WC_MAX_ITEMS 8192	/* fits sc->wc_ioff */
#define WC_MAX_LEN 64		/* longer tokens are worked out each time */
#define WC_MAX_TITEMS 127	/* fits wslot.nitems */
#define WC_KEY_HEAD 16		/* bytes kept in the slot */

/*
 * A counted hit as text_evidence needs it: what it added to each type is
 * scale * m->w[row] (or sigw to lex_type for a signature, row -1); a
 * phrase or signature (lex_type >= 0) supports only its own type.
 */
struct cand {
	struct hit *h;
	double scale, sigw;
	int row, lex_type;
};

/* A token found by scan_words, with its cache key and wc_hash(). */
#define TOK_CHUNK 512		/* tokens found ahead of their lookups */
struct tok {
	size_t s, n;
	uint64_t k[2];
	uint64_t h;
};

struct pick;

/*
 * Working memory of classify_post(), kept per thread from call to call:
 * the arrays grow to fit the largest post seen and are emptied, not
 * freed, so a typical post allocates nothing here.
 */
struct scratch {
	char *lw;		/* lowercased token */
	size_t lwcap;
	struct group g[5];	/* title and tags, body, code, log, tag idf */
	uint64_t *keys;		/* score_group's signature keys */
	size_t keycap;
	struct pick *picks;	/* text_evidence's candidates */
	size_t pickcap;
	/* score_group's marks: rows and signatures seen in this group */
	uint32_t *row_stamp, *row_count, *sig_stamp, stamp;
	size_t rowcap, sigcap;
	/* the token cache, for the model numbered wc_serial */
	unsigned long wc_serial;
	struct wslot *wc;
	uint32_t *wc_koff;
	uint16_t *wc_ioff;
	size_t wc_words;
	char *wc_keys;
	size_t wc_keylen;
	struct witem *items;
	size_t nitems, itemcap;
	uint64_t *amask;	/* scan_words' token bytes, one bit each */
	size_t amaskcap;
	struct tok *toks;	/* scan_words' tokens, TOK_CHUNK of them */
	/* score_group's counted hits, all groups in order, for evidence */
	struct cand *cands;
	size_t ncands, candcap;
	/* rows and signatures already hit in each body group (g[1..3]) */
	uint64_t *seen;		/* a bit per row, "none", a bit per signature */
	size_t seenwords, seencap;
};

/* Past this many hits in a group the arrays go back to the heap. */
#define SCRATCH_KEEP 4096

static _Thread_local struct scratch tls_scratch;

static void
group_reset(struct group *g)
{
	g->nhits = 0;
	g->nseq = 0;
	g->nparts = 0;
	g->nphr = 0;
	memset(g->nlex, 0, sizeof g->nlex);
	g->lexdone = 0;
	g->skip_to = 0;
}

static void
group_done(struct group *g)
{
	free(g->hits);
	free(g->seq);
	free(g->parts);
	free(g->phr);
	memset(g, 0, sizeof *g);
}

/* Room for a token of n bytes and its NUL in sc->lw. */
static char *
scratch_lw(struct scratch *sc, size_t n)
{
	if (n + 1 > sc->lwcap) {
		sc->lwcap = n + 1 > 2 * sc->lwcap ? n + 1 : 2 * sc->lwcap;
		sc->lw = xrealloc(sc->lw, sc->lwcap);
	}
	return sc->lw;
}

/* The rare growing, kept out of the inlined add_hit(). */
__attribute__((noinline, cold)) static void
grow_hits(struct group *g)
{
	g->cap = g->cap ? g->cap * 2 : 64;
	g->hits = xreallocarray(g->hits, g->cap, sizeof *g->hits);
}

static inline struct hit *
add_hit(struct group *g, int row, enum hit_kind kind, enum part part,
	const char *src, size_t start, size_t end)
{
	struct hit *h;

	if (g->nhits == g->cap)
		grow_hits(g);
	h = &g->hits[g->nhits++];
	h->src = src;
	h->key = NULL;
	h->start = start;
	h->end = end;
	h->row = row;
	h->lex_type = -1;
	h->phrase = 0;
	h->kind = (unsigned char)kind;
	h->part = (unsigned char)part;
	h->counted = 0;
	return h;
}

__attribute__((noinline, cold)) static void
grow_words(struct word **v, size_t *cap)
{
	*cap = *cap ? *cap * 2 : 64;
	*v = xreallocarray(*v, *cap, sizeof **v);
}

static inline void
push_word(struct word **v, size_t *n, size_t *cap, int stem_id,
	  size_t start, size_t end, int generic, int phr)
{
	if (*n == *cap)
		grow_words(v, cap);
	(*v)[*n].phr = (unsigned char)phr;
	(*v)[*n].stem = stem_id;
	(*v)[*n].start = start;
	(*v)[*n].end = end;
	(*v)[*n].generic = (unsigned char)generic;
	(*n)++;
}

__attribute__((noinline, cold)) static void
grow_phr(struct group *g)
{
	g->phrcap = g->phrcap ? g->phrcap * 2 : 64;
	g->phr = xreallocarray(g->phr, g->phrcap, sizeof *g->phr);
}

/* push_word() onto g->seq, noting where phrases may start. */
static inline void
push_seq(struct group *g, int stem_id, size_t start, size_t end, int generic,
	 int phr)
{
	if (g->nphr == g->phrcap)
		grow_phr(g);
	g->phr[g->nphr] = (uint32_t)g->nseq;
	g->nphr += (size_t)(phr != 0);
	push_word(&g->seq, &g->nseq, &g->seqcap, stem_id, start, end,
		  generic, phr);
}

static struct witem *
add_item(struct scratch *sc, enum witem_kind kind, int a)
{
	struct witem *it;

	if (sc->nitems == sc->itemcap) {
		sc->itemcap = sc->itemcap ? sc->itemcap * 2 : 256;
		sc->items = xreallocarray(sc->items, sc->itemcap,
					  sizeof *sc->items);
	}
	it = &sc->items[sc->nitems++];
	memset(it, 0, sizeof *it);
	it->kind = (unsigned char)kind;
	it->a = a;
	it->wrow = -1;
	return it;
}

/* Look up prefix + s[0..n) as a feature; row or -1. */
static int
feature_row(const struct classify_model *m, const char *prefix, const char *s,
	    size_t n)
{
	char buf[MAX_FEATURE];
	size_t pl = strlen(prefix);

	if (pl + n > MAX_FEATURE)
		return -1;
	memcpy(buf, prefix, pl);
	memcpy(buf + pl, s, n);
	return hmap_get(&m->feat, buf, pl + n);
}

/* The weighted substring keys in the lowercase token lw, as WI_SUB items. */
static void
substring_items(const struct classify_model *m, struct scratch *sc,
		const char *lw, size_t n)
{
	size_t pl = m->skip_len;

	if (pl > 0 && n >= pl && memcmp(lw, m->skip_prefix, pl) == 0)
		return;
	for (size_t j = 0; j < n; j++) {
		unsigned char c = (unsigned char)lw[j];
		unsigned char c1 = j + 1 < n ? (unsigned char)lw[j + 1] : 0;

		/* most positions start no key: one table bit says so */
		if (!((m->sub_pair[c][c1 >> 3] >> (c1 & 7)) & 1))
			continue;
		for (size_t b = m->sub_bucket[c]; b < m->sub_bucket[c + 1];
		     b++) {
			size_t k = m->sub_order[b];
			const char *key = m->subkeys.v[k];
			size_t kl = m->sub_len[k];

			if (m->sub_w[k] < 0 || kl > n - j ||
			    (kl > 1 && key[1] != lw[j + 1]) ||
			    memcmp(lw + j, key, kl) != 0)
				continue;
			/*
			 * The trainer counts each key once per token;
			 * count only its first position.
			 */
			if (j > 0 && memmem(lw, j + kl - 1, key, kl) != NULL)
				continue;
			add_item(sc, WI_SUB, m->sub_w[k])->key = key;
		}
	}
}

/*
 * Append the items of the token t[0..n) to sc->items; returns its
 * signature first-word id or -1.  The order is the one the hits must
 * have: substrings, error class, the word, its camelCase parts.
 */
__attribute__((cold)) static int
word_items(const struct classify_model *m, struct scratch *sc, const char *t,
	   size_t n)
{
	const struct stem_info *si;
	size_t sn, ps[64], pe[64], np;
	char *lw = scratch_lw(sc, n);
	int sigf, stop;
	struct witem *it;

	for (size_t j = 0; j < n; j++)
		lw[j] = (char)to_lower((unsigned char)t[j]);
	lw[n] = '\0';
	stop = word_info(m, lw, n, &sigf);
	substring_items(m, sc, lw, n);
	for (size_t k = 0; k < m->suffixes.n; k++) {
		size_t sl = m->suffix_len[k];

		if (n > sl && t[n - 1] == m->suffixes.v[k][sl - 1] &&
		    memcmp(t + n - sl, m->suffixes.v[k], sl) == 0) {
			int row = feature_row(m, "err:", lw, n);

			if (row >= 0)
				add_item(sc, WI_ERR, row);
			break;
		}
	}
	if (stop || n < m->min_len || all_digits(lw, n))
		return sigf;
	sn = stem(lw, n);
	si = stem_lookup(m, lw, sn);
	it = add_item(sc, WI_WORD, si->stem);
	it->wrow = si->wrow;
	it->generic = (unsigned char)si->generic;
	it->pe = (uint32_t)n;
	np = camel_parts(t, n, ps, pe, 64);
	if (np < 2)
		return sigf;
	for (size_t k = 0; k < np; k++) {
		size_t pn = pe[k] - ps[k];
		char *pw = lw;
		int dummy;

		for (size_t j = 0; j < pn; j++)
			pw[j] = (char)to_lower((unsigned char)t[ps[k] + j]);
		if (pn < m->min_len || all_digits(pw, pn) ||
		    word_info(m, pw, pn, &dummy))
			continue;
		pn = stem(pw, pn);
		si = stem_lookup(m, pw, pn);
		it = add_item(sc, WI_PART, si->stem);
		it->wrow = si->wrow;
		it->generic = (unsigned char)si->generic;
		it->ps = (uint32_t)ps[k];
		it->pe = (uint32_t)pe[k];
	}
	return sigf;
}

/* Does a lexicon phrase start with stem id (-1: none)? */
static int
stem_phr(const struct classify_model *m, int id)
{
	return id >= 0 && m->first[id] < m->first[id + 1];
}

/* Empty the token cache (and own it for model serial). */
__attribute__((cold)) static void
wc_reset(struct scratch *sc, unsigned long serial)
{
	if (sc->wc == NULL) {
		/* line-aligned: a slot never straddles two lines */
		sc->wc = aligned_alloc(64, WC_SLOTS * sizeof *sc->wc);
		if (sc->wc == NULL)
			fatal("out of memory (%zu bytes)",
			      WC_SLOTS * sizeof *sc->wc);
		memset(sc->wc, 0, WC_SLOTS * sizeof *sc->wc);
		sc->wc_koff = xcalloc(WC_SLOTS, sizeof *sc->wc_koff);
		sc->wc_ioff = xcalloc(WC_SLOTS, sizeof *sc->wc_ioff);
		sc->wc_keys = xmalloc(WC_KEY_BYTES);
	} else {
		memset(sc->wc, 0, WC_SLOTS * sizeof *sc->wc);
	}
	sc->wc_words = 0;
	sc->wc_keylen = 0;
	sc->nitems = 0;
	sc->wc_serial = serial;
}

static uint64_t
wc_hash(const uint64_t k[2], size_t n)
{
	/*
	 * One product's top bits, which depend on every bit of x: the
	 * second word (zero for most tokens) turned so that its bytes land
	 * on other bits than the first's, and the length for long tokens.
	 */
	uint64_t x = k[0] ^ (k[1] << 29 | k[1] >> 35) ^ n;

	return x * UINT64_C(0x9e3779b97f4a7c15) >> (64 - WC_SLOT_BITS);
}

/* Fill the fast-path fields of e from its items. */
static void
wc_fast(const struct classify_model *m, const struct scratch *sc,
	struct wslot *e, size_t ioff)
{
	const struct witem *it = sc->items + ioff;
	size_t n = e->nitems;

	/* a word last, and before it at most a substring or error row */
	e->word = n >= 1 && it[n - 1].kind == WI_WORD;
	e->fast = n - e->word == 0 ||
		  (n - e->word == 1 &&
		   (it[0].kind == WI_SUB || it[0].kind == WI_ERR));
	/* no row: the model's row count, whose seen bit is always set */
	e->brow = (int32_t)m->nw;
	e->stem = -1;
	e->gen = 0;
	e->phr = 0;
	it += n - e->word;
	if (e->word) {
		if (!it->generic && it->wrow >= 0)
			e->brow = it->wrow;
		e->stem = it->a;
		e->gen = it->generic;
		e->phr = stem_phr(m, it->a);
	}
}

/*
 * The cached slot of token t[0..n), whose first WC_KEY_HEAD bytes, zero
 * padded, are k and wc_hash() h, working its items out on a miss.
 * NULL: the token is not kept (too long, or too many items); its items,
 * worked out, sit past the cached ones as tmp says, and the caller
 * drops them.
 */
static const struct wslot *
wc_get(const struct classify_model *m, struct scratch *sc, const char *t,
       size_t n, const uint64_t k[2], uint64_t h, struct wtmp *tmp)
{
	size_t i, mark = sc->nitems;
	struct wslot *e;
	int sigf;

	if (n > WC_MAX_LEN) {
		tmp->ioff = sc->nitems;
		tmp->sigf = word_items(m, sc, t, n);
		tmp->nitems = sc->nitems - tmp->ioff;
		return NULL;
	}
	i = (size_t)h & (WC_SLOTS - 1);
	for (;;) {
		e = &sc->wc[i];
		if (e->klen == 0)
			break;
		if (e->klen == n && e->k[0] == k[0] && e->k[1] == k[1] &&
		    (n <= WC_KEY_HEAD ||
		     memcmp(sc->wc_keys + sc->wc_koff[i], t + WC_KEY_HEAD,
			    n - WC_KEY_HEAD) == 0))
			return e;
		i = (i + 1) & (WC_SLOTS - 1);
	}
	if (sc->wc_words >= WC_MAX_WORDS ||
	    sc->wc_keylen + n > WC_KEY_BYTES ||
	    sc->nitems >= WC_MAX_ITEMS) {
		wc_reset(sc, sc->wc_serial);
		mark = 0;
		i = (size_t)h & (WC_SLOTS - 1);
		e = &sc->wc[i];
	}
	sigf = word_items(m, sc, t, n);
	if (sc->nitems - mark > WC_MAX_TITEMS) {
		tmp->ioff = mark;
		tmp->sigf = sigf;
		tmp->nitems = sc->nitems - mark;
		return NULL;
	}
	sc->wc_ioff[i] = (uint16_t)mark;
	e->nitems = (uint8_t)(sc->nitems - mark);
	e->sigf = (int16_t)sigf;
	wc_fast(m, sc, e, mark);
	e->k[0] = k[0];
	e->k[1] = k[1];
	e->klen = (uint8_t)n;
	sc->wc_koff[i] = (uint32_t)sc->wc_keylen;
	if (n > WC_KEY_HEAD) {
		memcpy(sc->wc_keys + sc->wc_keylen, t + WC_KEY_HEAD,
		       n - WC_KEY_HEAD);
		sc->wc_keylen += n - WC_KEY_HEAD;
	}
	sc->wc_words++;
	return e;
}

/*
 * Length of the text at s matching the signature (letters compared
 * without case, a space matching any run of white space), or 0.  The
 * token at s is the signature's first word, w bytes long.
 */
static size_t
sig_match(const char *s, size_t n, const char *sig, size_t w)
{
	size_t i = w, j = w;	/* the first w bytes are known to match */

	while (sig[i] != '\0') {
		if (sig[i] == ' ') {
			if (j >= n || (s[j] != ' ' && s[j] != '\t' &&
				       s[j] != '\n' && s[j] != '\r'))
				return 0;
			while (j < n && (s[j] == ' ' || s[j] == '\t' ||
					 s[j] == '\n' || s[j] == '\r'))
				j++;
			i++;
			continue;
		}
		if (j >= n || to_lower((unsigned char)s[j]) != sig[i])
			return 0;
		i++;
		j++;
	}
	if (is_alnum((unsigned char)sig[i - 1]) && j < n &&
	    is_alnum((unsigned char)s[j]))
		return 0;
	return j;
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Can a signature of the filter's first word match where its token
 * ends, at src[j]?  Only then are they compared one by one.
 */
static int
sig_possible(const struct sig_filter *sf, const char *src, size_t j,
	     size_t end)
{
	unsigned char c;

	if (sf->any)
		return 1;
	if (j >= end)
		return 0;
	c = (unsigned char)src[j];
	if (is_space(c)) {
		if (sf->space_end)
			return 1;
		while (j < end && is_space((unsigned char)src[j]))
			j++;
		if (j >= end)
			return 0;
		c = (unsigned char)to_lower((unsigned char)src[j]);
		return (sf->next[c >> 3] >> (c & 7)) & 1;
	}
	c = (unsigned char)to_lower(c);
	return (sf->after[c >> 3] >> (c & 7)) & 1;
}

/*
 * The end of the name a message quotes at src[i]: 'gpus', "x.y", `z` or
 * a bare dotted name, on the same line; i when there is none.
 */
static size_t
name_end(const char *src, size_t i, size_t end)
{
	size_t j = i, k;
	char q = 0;

	while (j < end && (src[j] == ' ' || src[j] == '\t'))
		j++;
	if (j < end && (src[j] == '\'' || src[j] == '"' || src[j] == '`'))
		q = src[j++];
	k = j;
	while (k < end && k - j < 128 &&
	       (is_alnum((unsigned char)src[k]) || src[k] == '_' ||
		src[k] == '.' || src[k] == '-'))
		k++;
	if (k == j)
		return i;
	if (q && k < end && src[k] == q)
		k++;
	return k;
}

/*
 * The signatures of first word f matching at src[s] (a body's), as hits;
 * returns how many.  score_group() counts a signature once per group, at
 * its first hit, so one already hit in the group (its bit in seen, past
 * the rows and the "no row" bit) is not looked at again.
 */
static size_t
signature_hits(const struct classify_model *m, struct group *g,
	       enum part part, const char *src, size_t s, size_t w,
	       size_t end, int f, uint64_t *seen)
{
	size_t added = 0;

	if (f < 0)
		return 0;
	for (size_t b = m->sig_start[f]; b < m->sig_start[f + 1]; b++) {
		size_t k = m->sig_idx[b], len, bi = m->nw + 1 + k;
		uint64_t bit = UINT64_C(1) << (bi % 64);
		struct hit *h;

		if (seen[bi / 64] & bit)
			continue;
		len = sig_match(src + s, end - s, m->sigs[k].text, w);
		if (len == 0)
			continue;
		seen[bi / 64] |= bit;
		h = add_hit(g, -1, HIT_SIGNATURE, part, src, s, s + len);
		h->lex_type = m->sigs[k].type;
		h->phrase = (uint32_t)k;
		added++;
		if (m->sigs[k].names) {
			size_t ne = name_end(src, s + len, end);

			if (ne > g->skip_to)
				g->skip_to = ne;
		}
	}
	return added;
}

/* ASCII letters and digits: the bytes tokens are made of. */
static const unsigned char alnum_tab[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
	['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
	['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
	['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
	['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
	['Y'] = 1, ['Z'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
	['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1,
};

/*
 * Bit i of sc->amask: is u[i] a token byte (ASCII letter or digit)?
 * For n bytes, rounded up to whole words with at least bit n clear;
 * returns the number of words.
 */
static size_t
alnum_mask(struct scratch *sc, const unsigned char *u, size_t n)
{
	size_t nw = n / 64 + 1, i = 0;

	if (nw > sc->amaskcap) {
		sc->amaskcap = nw > 2 * sc->amaskcap ? nw : 2 * sc->amaskcap;
		free(sc->amask);
		sc->amask = xreallocarray(NULL, sc->amaskcap,
					  sizeof *sc->amask);
	}
	memset(sc->amask, 0, nw * sizeof *sc->amask);
#ifdef __SSE2__
	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)
					    (u + i));
		/* unsigned (v|0x20) - 'a' < 26, or v - '0' < 10 */
		__m128i l = _mm_add_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)),
					 _mm_set1_epi8((char)(128 - 'a')));
		__m128i d = _mm_add_epi8(v, _mm_set1_epi8((char)(128 - '0')));
		__m128i t = _mm_or_si128(
			_mm_cmplt_epi8(l, _mm_set1_epi8((char)(-128 + 26))),
			_mm_cmplt_epi8(d, _mm_set1_epi8((char)(-128 + 10))));

		sc->amask[i / 64] |= (uint64_t)(unsigned)_mm_movemask_epi8(t)
				     << (i % 64);
	}
#endif
	for (; i < n; i++)
		sc->amask[i / 64] |= (uint64_t)(alnum_tab[u[i]] != 0)
				     << (i % 64);
	return nw;
}

/*
 * A Python source path ("/usr/lib/python3.10/site-packages/torch/nn/
 * modules/module.py", "~\\Anaconda3\\lib\\site-packages\\keras\\...")
 * is where a traceback frame's code lives, not what the post is about:
 * its words ("modules", "conda", "site", "packages") would vote in every
 * post with a traceback.  Clear their bits in the mask of u[0, n): runs
 * without spaces or quotes holding two or more slashes (or backslashes)
 * that end in ".py" or pass through a "-packages" folder.  A CUDA path
 * ("/usr/local/cuda-11.2/bin") is neither and keeps its words.
 */
/* Does c end a path run (both ways)? */
static inline int
path_stop(unsigned char c)
{
	return c <= ' ' || c == '"' || c == '\'' || c == '(' || c == ')' ||
	       c == '`' || c == ',';
}

static void
mask_source_paths(uint64_t *mask, const unsigned char *u, size_t n)
{
	const unsigned char *p = u, *end = u + n, *sl, *bsl;

	/*
	 * The next slash and the next backslash (end when there is none),
	 * looked for again only once p has passed them: searching from p
	 * each time read the text to its end (or to a distant slash) from
	 * every backslash, quadratic on "a\\b," repeated.
	 */
	sl = memchr(p, '/', n);
	sl = sl != NULL ? sl : end;
	bsl = memchr(p, '\\', n);
	bsl = bsl != NULL ? bsl : end;
	for (;;) {
		const unsigned char *q, *a, *b;
		size_t seps = 0;
		int py, pkg = 0;

		if (sl < p) {
			sl = memchr(p, '/', (size_t)(end - p));
			sl = sl != NULL ? sl : end;
		}
		if (bsl < p) {
			bsl = memchr(p, '\\', (size_t)(end - p));
			bsl = bsl != NULL ? bsl : end;
		}
		/* the nearer of a slash and a backslash */
		q = sl < bsl ? sl : bsl;
		if (q == end)
			return;
		/* back no further than the last run's end: linear time */
		for (a = q; a > p && !path_stop(a[-1]); a--)
			;
		for (b = q; b < end && !path_stop(*b); b++) {
			seps += *b == '/' || *b == '\\';
			if (*b == '-' && (size_t)(end - b) >= 9 &&
			    memcmp(b, "-packages", 9) == 0)
				pkg = 1;
		}
		py = b - a >= 3 && memcmp(b - 3, ".py", 3) == 0;
		if (seps >= 2 && (py || pkg))
			for (size_t i = (size_t)(a - u);
			     i < (size_t)(b - u); i++)
				mask[i / 64] &= ~(UINT64_C(1) << (i % 64));
		p = b;
		if (p >= end)
			return;
	}
}

/* 0xff bytes then zeros: bytes 16 - n .. 31 - n keep the first n */
static const unsigned char head_mask[40] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

/* token_head() near the end of what may be read: a copy first */
__attribute__((noinline, cold)) static void
token_head_copy(const unsigned char *u, size_t n, uint64_t k[2])
{
	unsigned char b[WC_KEY_HEAD] = {0};

	memcpy(b, u, n < WC_KEY_HEAD ? n : WC_KEY_HEAD);
	memcpy(k, b, WC_KEY_HEAD);
}

/*
 * The first WC_KEY_HEAD bytes of the n-byte token at u, zero padded,
 * as two words; avail bytes may be read at u.
 */
static inline void
token_head(const unsigned char *u, size_t n, size_t avail, uint64_t k[2])
{
	uint64_t m0, m1;

	if (__builtin_expect(avail < WC_KEY_HEAD, 0)) {
		token_head_copy(u, n, k);
		return;
	}
	memcpy(k, u, WC_KEY_HEAD);
	/* keep the token's bytes: the first n of the 16 */
	memcpy(&m0, head_mask + 16 - (n < 16 ? n : 16), 8);
	memcpy(&m1, head_mask + 24 - (n < 16 ? n : 16), 8);
	k[0] &= m0;
	k[1] &= m1;
}

/* Is this the group's first hit of row (seen NULL: keep them all)? */
static inline int
first_hit(uint64_t *seen, int row)
{
	uint64_t bit = UINT64_C(1) << (row % 64);

	if (seen == NULL)
		return 1;
	if (seen[row / 64] & bit)
		return 0;
	seen[row / 64] |= bit;
	return 1;
}

/* Clear sc->seen for a post, sized for the model's rows. */
static void
seen_reset(struct scratch *sc, const struct classify_model *m)
{
	/* rows, "no row", then signatures */
	sc->seenwords = (m->nw + 1 + m->nsigs) / 64 + 1;
	if (sc->seencap < 3 * sc->seenwords) {
		free(sc->seen);
		sc->seencap = 3 * sc->seenwords;
		sc->seen = xreallocarray(NULL, sc->seencap, sizeof *sc->seen);
	}
	memset(sc->seen, 0, 3 * sc->seenwords * sizeof *sc->seen);
	/* "no row" (m->nw) counts as seen: such a hit is never kept */
	for (size_t gi = 0; gi < 3; gi++)
		sc->seen[gi * sc->seenwords + m->nw / 64] |=
			UINT64_C(1) << (m->nw % 64);
}

/*
 * Fill t with the token src[s, e) (lim: src[0, lim) may be read), and
 * start loading its cache slot.  Returns 0 when the token cannot matter:
 * shorter than min_tok, or a number that no feature can see (letters
 * have 0x40, digits not; a token's first byte is never 0); t is filled
 * anyway, as such tokens come at random.
 */
static inline size_t
add_tok(struct tok *t, const unsigned char *u, size_t s, size_t e,
	size_t lim, size_t min_tok, uint64_t dmask, const struct wslot *wc)
{
	size_t n = e - s;
	uint64_t k[2];

	token_head(u + s, n, lim - s, k);
	t->s = s;
	t->n = n;
	t->k[0] = k[0];
	t->k[1] = k[1];
	t->h = wc_hash(k, n);
	__builtin_prefetch(&wc[t->h & (WC_SLOTS - 1)]);
	/*
	 * dmask: 0x40 in each byte when numbers go, else all ones.  A name
	 * in angle brackets is a traceback frame's ("in <module>", "<lambda>",
	 * "<stdin>"), in every Python traceback whatever the bug: no vote.
	 */
	return (size_t)((n >= min_tok) &
			!(s > 0 && u[s - 1] == '<' && e < lim && u[e] == '>') &
			((((k[0] | k[1]) & dmask) != 0) | (n > WC_KEY_HEAD)));
}

/* Room in the group for n more hits and words of scan_words' fast path. */
__attribute__((noinline, cold)) static void
reserve_grow(struct group *g, size_t n)
{
	while (g->cap - g->nhits < n)
		grow_hits(g);
	while (g->seqcap - g->nseq < n)
		grow_words(&g->seq, &g->seqcap);
	while (g->phrcap - g->nphr < n)
		grow_phr(g);
}

static inline void
reserve_tokens(struct group *g, size_t n)
{
	if (g->cap - g->nhits < n || g->seqcap - g->nseq < n ||
	    g->phrcap - g->nphr < n)
		reserve_grow(g, n);
}

/*
 * The general case of a token of scan_words: looked up (or worked out)
 * in the cache, its signatures in bodies, then its items one by one.
 */
__attribute__((noinline)) static void
token_items(const struct classify_model *m, struct scratch *sc,
	    struct group *g, enum part part, const char *src,
	    const struct tok *t, size_t end, uint64_t *seen)
{
	const struct wslot *e;
	const struct witem *it, *last;
	struct wtmp tmp = {0, 0, -1};
	int sigf, body = part >= PART_BODY;
	size_t s = t->s, n = t->n, i = s + n, mark = sc->nitems;

	e = wc_get(m, sc, src + s, n, t->k, t->h, &tmp);
	sigf = e != NULL ? e->sigf : tmp.sigf;
	if (body && sigf >= 0 &&
	    sig_possible(&m->sig_filter[sigf], src, i, end))
		signature_hits(m, g, part, src, s, n, end, sigf, seen);
	it = sc->items + (e != NULL ? sc->wc_ioff[e - sc->wc] : tmp.ioff);
	last = it + (e != NULL ? e->nitems : tmp.nitems);
	for (; it < last; it++) {
		int gen;

		switch (it->kind) {
		case WI_SUB:
			if (first_hit(seen, it->a))
				add_hit(g, it->a, HIT_SUBSTRING, part, src, s,
					i)->key = it->key;
			break;
		case WI_ERR:
			if (first_hit(seen, it->a))
				add_hit(g, it->a, HIT_ERROR, part, src, s, i);
			break;
		case WI_WORD:
			gen = body && it->generic;
			if (!gen && it->wrow >= 0 && first_hit(seen, it->wrow))
				add_hit(g, it->wrow, HIT_WORD, part, src, s, i);
			push_seq(g, it->a, s, i, gen, stem_phr(m, it->a));
			break;
		default:
			gen = body && it->generic;
			if (!gen && it->wrow >= 0 && first_hit(seen, it->wrow))
				add_hit(g, it->wrow, HIT_WORD, part, src,
					s + it->ps, s + it->pe);
			push_word(&g->parts, &g->nparts, &g->partcap, it->a,
				  s + it->ps, s + it->pe, gen,
				  stem_phr(m, it->a));
			break;
		}
	}
	if (e == NULL)
		sc->nitems = mark;
}

/*
 * Tokenise src[start, end) into the group: word, error-class and
 * substring features (and signatures in bodies), and the stem sequence
 * for the lexicon; each distinct token is worked out once (wc_get).
 */
static void
scan_words(const struct classify_model *m, struct scratch *sc,
	   struct group *g, enum part part, const char *src, size_t start,
	   size_t end, size_t lim)
{
	const unsigned char *u = (const unsigned char *)src;
	const uint64_t *mask;
	struct tok *toks;
	size_t w = 0, nw, ntoks, open = SIZE_MAX;	/* open: token start */
	uint64_t carry = 0;	/* the last byte of the previous word */
	int done = 0;
	int body = part >= PART_BODY;
	size_t min_tok = m->min_tok;
	uint64_t dmask = m->digits_plain ? UINT64_C(0x4040404040404040) :
			 ~UINT64_C(0);
	struct wslot *wc;
	struct hit *hits;
	struct word *seq;
	uint32_t *phr;
	size_t nhits, nseq, nphr;
	/*
	 * A body group counts a row once, at its first hit: later hits of
	 * a word, substring or error row change nothing, so they are not
	 * kept.  (Rows are told apart by kind, so no phrase shares them.)
	 */
	uint64_t *seen = body ? sc->seen +
				(size_t)(g - sc->g - 1) * sc->seenwords : NULL;

	if (sc->wc == NULL || sc->wc_serial != m->serial)
		wc_reset(sc, m->serial);
	wc = sc->wc;		/* wc_reset() empties it, never moves it */
	nw = alnum_mask(sc, u + start, end - start);
	mask = sc->amask;
	if (body)
		mask_source_paths(sc->amask, u + start, end - start);
	/*
	 * First find the tokens (up to TOK_CHUNK at a time) and start
	 * loading their slots, then look them up: after the rest of the
	 * analysis the slots are cold, and so their loads overlap.
	 */
	if (sc->toks == NULL)
		sc->toks = xreallocarray(NULL, TOK_CHUNK, sizeof *sc->toks);
	toks = sc->toks;	/* locals: stores to toks cannot move them */
next_chunk:
	ntoks = 0;
	/*
	 * A word of the mask at a time, while a whole word's tokens (at
	 * most 32, and one carried in) fit: starts are set bits after a
	 * clear one, ends clear bits after a set one, and the k-th end
	 * closes the k-th start, so no token waits on the one before.
	 */
	while (ntoks + 33 <= TOK_CHUNK) {
		uint64_t x, prev, st, en;
		size_t base = start + w * 64;

		if (w == nw) {
			done = 1;
			break;
		}
		x = mask[w++];
		prev = x << 1 | carry;
		carry = x >> 63;
		st = x & ~prev;
		en = ~x & prev;
		if (open != SIZE_MAX && en != 0) {
			ntoks += add_tok(&toks[ntoks], u, open,
					 base + (size_t)__builtin_ctzll(en),
					 lim, min_tok, dmask, wc);
			en &= en - 1;
			open = SIZE_MAX;
		}
		while (st != 0) {
			size_t s = base + (size_t)__builtin_ctzll(st);

			st &= st - 1;
			if (en == 0) {
				open = s;	/* runs into the next word */
				break;
			}
			ntoks += add_tok(&toks[ntoks], u, s,
					 base + (size_t)__builtin_ctzll(en),
					 lim, min_tok, dmask, wc);
			en &= en - 1;
		}
	}
	/*
	 * Most body tokens are in the cache and at most a word: they take
	 * the loop below, with the group's arrays in locals and room made
	 * for the chunk first; the rest go through token_items().
	 */
	reserve_tokens(g, 2 * ntoks);
	hits = g->hits;
	seq = g->seq;
	phr = g->phr;
	nhits = g->nhits;
	nseq = g->nseq;
	nphr = g->nphr;
	for (size_t ti = 0; ti < ntoks; ti++) {
		const struct tok *t = &toks[ti];
		const struct wslot *e = NULL;
		size_t s = t->s, n = t->n, i = s + n;
		size_t ri, keep;
		uint64_t bit, sw;
		struct hit *h;
		struct word *wd;

		if (s < g->skip_to) {
			/* a name the signature before it quotes: no
			 * feature, and no phrase runs across it */
			wd = &seq[nseq++];
			wd->stem = -1;
			wd->generic = 0;
			wd->phr = 0;
			wd->start = s;
			wd->end = i;
			continue;
		}
		if (seen != NULL && n <= WC_KEY_HEAD) {
			size_t si = (size_t)t->h & (WC_SLOTS - 1);

			for (;;) {
				e = &wc[si];
				if (e->k[0] == t->k[0] && e->k[1] == t->k[1] &&
				    e->klen == n)
					break;
				if (e->klen == 0) {
					e = NULL;
					break;
				}
				si = (si + 1) & (WC_SLOTS - 1);
			}
		}
		if (e == NULL || !e->fast) {
			g->nhits = nhits;
			g->nseq = nseq;
			g->nphr = nphr;
			token_items(m, sc, g, part, src, t, end, seen);
			reserve_tokens(g, 2 * (ntoks - ti - 1));
			hits = g->hits;
			seq = g->seq;
			phr = g->phr;
			nhits = g->nhits;
			nseq = g->nseq;
			nphr = g->nphr;
			continue;
		}
		/* signatures come first, as in token_items() */
		if (e->sigf >= 0 && body &&
		    sig_possible(&m->sig_filter[e->sigf], src, i, end)) {
			g->nhits = nhits;
			if (signature_hits(m, g, part, src, s, n, end,
					   e->sigf, seen) > 0) {
				reserve_tokens(g, 2 * (ntoks - ti));
				hits = g->hits;
				seq = g->seq;
				phr = g->phr;
				nhits = g->nhits;
			}
		}
		/* nothing more: a stop word, a name in no feature */
		if (e->nitems == 0)
			continue;
		/* a substring or error row first, if any */
		if (e->nitems != e->word) {
			const struct witem *pit = sc->items +
						  sc->wc_ioff[e - wc];

			ri = (size_t)pit->a;
			bit = UINT64_C(1) << (ri % 64);
			sw = seen[ri / 64];
			keep = !(sw & bit);
			seen[ri / 64] = sw | bit;
			h = &hits[nhits];
			h->src = src;
			h->key = pit->key;
			h->start = s;
			h->end = i;
			h->row = pit->a;
			h->lex_type = -1;
			h->phrase = 0;
			h->kind = (unsigned char)(pit->kind == WI_ERR ?
						  HIT_ERROR : HIT_SUBSTRING);
			h->part = (unsigned char)part;
			h->counted = 0;
			nhits += keep;
		}
		/*
		 * The word: no branch on what it is, the hit and the word
		 * are written anyway and kept or not by the counts.  "No
		 * row" (brow m->nw) has its seen bit set.
		 */
		ri = (size_t)e->brow;
		bit = UINT64_C(1) << (ri % 64);
		sw = seen[ri / 64];
		keep = !(sw & bit);
		seen[ri / 64] = sw | bit;
		h = &hits[nhits];
		h->src = src;
		h->key = NULL;
		h->start = s;
		h->end = i;
		h->row = e->brow;
		h->lex_type = -1;
		h->phrase = 0;
		h->kind = HIT_WORD;
		h->part = (unsigned char)part;
		h->counted = 0;
		nhits += keep;
		phr[nphr] = (uint32_t)nseq;
		nphr += e->phr;
		wd = &seq[nseq];
		wd->stem = e->stem;
		wd->generic = e->gen;
		wd->phr = e->phr;
		wd->start = s;
		wd->end = i;
		nseq += e->word;
	}
	g->nhits = nhits;
	g->nseq = nseq;
	g->nphr = nphr;
	if (!done)
		goto next_chunk;
}

/*
 * The stem sequence of src[start, end) for the lexicon, without
 * features (a tag's words).
 */
static void
scan_stems(const struct classify_model *m, struct scratch *sc,
	   struct group *g, const char *src, size_t start, size_t end)
{
	size_t i = start;

	while (i < end) {
		const struct stem_info *si;
		size_t s, n, sn;
		int sigf;
		char *lw;

		while (i < end && !is_alnum((unsigned char)src[i]))
			i++;
		s = i;
		while (i < end && is_alnum((unsigned char)src[i]))
			i++;
		n = i - s;
		if (n == 0)
			break;
		lw = scratch_lw(sc, n);
		for (size_t j = 0; j < n; j++)
			lw[j] = (char)to_lower((unsigned char)src[s + j]);
		lw[n] = '\0';
		if (word_info(m, lw, n, &sigf) || n < m->min_len ||
		    all_digits(lw, n))
			continue;
		sn = stem(lw, n);
		si = stem_lookup(m, lw, sn);
		push_seq(g, si->stem, s, i, 0, stem_phr(m, si->stem));
	}
}

static void
phrase_hit(const struct classify_model *m, struct group *g, enum part part,
	   const char *src, size_t p, size_t start, size_t end)
{
	struct hit *h;
	int t = m->phrases[p].type;

	if (m->lex_w[t] < 0) {
		g->lexdone |= 1u << t;
		return;
	}
	h = add_hit(g, m->lex_w[t], HIT_PHRASE, part, src, start, end);
	h->lex_type = t;
	h->phrase = (uint32_t)p;
	/*
	 * score_group() counts a group's first lex_cap phrase hits of a
	 * type, and the type's row needs only the first to be seen: past
	 * both, a phrase hit of the type is neither counted nor a new
	 * row, so it is not looked for (and the hits after it keep their
	 * order).
	 */
	if (++g->nlex[t] >= (m->lex_cap > 0 ? m->lex_cap : 1))
		g->lexdone |= 1u << t;
}

/*
 * Lexicon phrases over the words collected since phr0 (in g->phr) and
 * parts0.
 */
static void
match_phrases(const struct classify_model *m, struct group *g,
	      enum part part, const char *src, size_t phr0, size_t parts0)
{
	if (g->lexdone == (1u << NTYPES) - 1)
		return;
	/* only where a phrase may start: g->phr lists those words */
	for (size_t j = phr0; j < g->nphr; j++) {
		size_t i = g->phr[j];
		int id = g->seq[i].stem;

		for (size_t b = m->first[id]; b < m->first[id + 1]; b++) {
			size_t p = m->first_idx[b];
			const struct phrase *ph = &m->phrases[p];
			int ok = i + (size_t)ph->n <= g->nseq;

			if ((g->lexdone >> ph->type) & 1)
				continue;
			if (ph->n == 1 && g->seq[i].generic)
				continue;
			for (int k = 1; ok && k < ph->n; k++)
				ok = g->seq[i + k].stem == ph->stems[k];
			if (ok)
				phrase_hit(m, g, part, src, p, g->seq[i].start,
					   g->seq[i + ph->n - 1].end);
		}
	}
	for (size_t i = parts0; i < g->nparts; i++) {
		int id = g->parts[i].stem;

		if (!g->parts[i].phr)
			continue;
		for (size_t b = m->first[id]; b < m->first[id + 1]; b++) {
			size_t p = m->first_idx[b];

			if ((g->lexdone >> m->phrases[p].type) & 1)
				continue;
			if (m->phrases[p].n == 1 && !g->parts[i].generic)
				phrase_hit(m, g, part, src, p,
					   g->parts[i].start, g->parts[i].end);
		}
	}
}

/* lim: src[0, lim) may be read, past end too, to load whole words */
static void
scan_segment(const struct classify_model *m, struct scratch *sc,
	     struct group *g, enum part part, const char *src, size_t start,
	     size_t end, size_t lim)
{
	size_t phr0 = g->nphr, parts0 = g->nparts;

	scan_words(m, sc, g, part, src, start, end, lim);
	match_phrases(m, g, part, src, phr0, parts0);
}

__attribute__((noinline)) static void
scan_tag(const struct classify_model *m, struct scratch *sc,
	 struct group *g, const char *tag)
{
	size_t n = strlen(tag), i = 0, phr0;
	char *lt = xstrdup(tag);
	int row;

	for (size_t j = 0; j < n; j++)
		lt[j] = (char)to_lower((unsigned char)lt[j]);
	/* with a tag idf block the tag itself is scored there */
	row = m->idf_total > 0 ? -1 : feature_row(m, "t:", lt, n);
	if (row >= 0)
		add_hit(g, row, HIT_TAG, PART_TAG, tag, 0, n);
	while (i <= n) {
		size_t s = i, pn, mark;

		while (i < n && lt[i] != '-' && lt[i] != '.')
			i++;
		pn = i - s;
		mark = sc->nitems;
		substring_items(m, sc, lt + s, pn);
		for (size_t k = mark; k < sc->nitems; k++)
			add_hit(g, sc->items[k].a, HIT_SUBSTRING, PART_TAG,
				tag, s, i)->key = sc->items[k].key;
		sc->nitems = mark;
		if (pn > 1 && !all_digits(lt + s, pn)) {
			char *pw = xstrndup(lt + s, pn);

			pn = stem(pw, pn);
			row = feature_row(m, "tp:", pw, pn);
			if (row >= 0)
				add_hit(g, row, HIT_TAGPART, PART_TAG, tag, s,
					i);
			free(pw);
		}
		i++;
	}
	/* Lexicon over the tag's words ('-' and '.' split them). */
	phr0 = g->nphr;
	scan_stems(m, sc, g, tag, 0, n);
	match_phrases(m, g, PART_TAG, tag, phr0, g->nparts);
	/* Phrases must not run from one tag into the next. */
	push_word(&g->seq, &g->nseq, &g->seqcap, -1, 0, 0, 0, 0);
	free(lt);
}

/*
 * A feature is a weight row, or for signature hits (row < 0) the
 * signature.  Rows are told apart by stamping each with the number of
 * the current score_group() call, so finding a row's first hit costs a
 * load instead of a sort.  Signatures are capped in signature order:
 * their first hits are packed as signature | index (21 bits for the
 * index) and sorted, few as they are, by insertion.
 */
#define KEY_BITS 21
#define KEY_MASK ((UINT64_C(1) << KEY_BITS) - 1)

/* Stamp arrays for the model's rows and signatures, and a new stamp. */
static uint32_t
scratch_stamp(struct scratch *sc, const struct classify_model *m)
{
	if (sc->rowcap < m->nw || sc->sigcap < m->nsigs) {
		free(sc->row_stamp);
		free(sc->row_count);
		free(sc->sig_stamp);
		sc->rowcap = m->nw > sc->rowcap ? m->nw : sc->rowcap;
		sc->sigcap = m->nsigs > sc->sigcap ? m->nsigs : sc->sigcap;
		sc->row_stamp = xcalloc(sc->rowcap + 1, sizeof *sc->row_stamp);
		sc->row_count = xcalloc(sc->rowcap + 1, sizeof *sc->row_count);
		sc->sig_stamp = xcalloc(sc->sigcap + 1, sizeof *sc->sig_stamp);
		sc->stamp = 0;
	}
	if (++sc->stamp == 0) {
		memset(sc->row_stamp, 0, (sc->rowcap + 1) *
		       sizeof *sc->row_stamp);
		memset(sc->sig_stamp, 0, (sc->sigcap + 1) *
		       sizeof *sc->sig_stamp);
		sc->stamp = 1;
	}
	return sc->stamp;
}

/* What a counted signature hit adds to its type. */
static double
sig_contrib(const struct classify_model *m, const struct hit *h)
{
	/* Model code and layer names fill every code block. */
	return m->w_sig * m->sigs[h->phrase].weight *
	       (h->part == PART_CODE ? m->sig_code : 1);
}

static void
insertion_sort(uint64_t *a, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uint64_t v = a[i];
		size_t j = i;

		while (j > 0 && a[j - 1] > v) {
			a[j] = a[j - 1];
			j--;
		}
		a[j] = v;
	}
}

/*
 * Add the group's contribution to score[].  counts: the title group
 * counts every occurrence (as the trainer does); body groups count each
 * feature once, and are damped by their length.
 */
static size_t
score_group(const struct classify_model *m, struct scratch *sc,
	    struct group *g, double scale, int counts, double score[NTYPES],
	    double *api)
{
	size_t ncounted, distinct = 0, nsig = 0;
	uint64_t *sigv, sumsq_n = 0;
	int lexn[NTYPES] = {0}, sign[NTYPES] = {0};
	double acc[NTYPES];
	struct cand *cd;
	uint32_t stamp;
	double sumsq;

	if (g->nhits == 0)
		return 0;
	if (g->nhits > KEY_MASK)
		fatal("too many classifier hits in one post part");
	if (g->nhits > sc->keycap) {
		sc->keycap = g->nhits;
		free(sc->keys);
		sc->keys = xreallocarray(NULL, sc->keycap, sizeof *sc->keys);
	}
	sigv = sc->keys;
	stamp = scratch_stamp(sc, m);
	for (size_t i = 0; i < g->nhits; i++) {
		struct hit *h = &g->hits[i];
		size_t r;
		int first;

		if (h->kind != HIT_SIGNATURE) {
			/* the row's weights are summed below: load them */
			__builtin_prefetch(&m->w[h->row][0]);
			__builtin_prefetch(&m->w[h->row][NTYPES - 1]);
		} else {
			h->counted = 0;
			if (sc->sig_stamp[h->phrase] != stamp) {
				sc->sig_stamp[h->phrase] = stamp;
				sigv[nsig++] = (uint64_t)h->phrase << KEY_BITS |
					       (uint64_t)i;
			}
			continue;
		}
		if (!counts && h->kind != HIT_PHRASE) {
			/*
			 * scan_words kept only a body group's first hit of
			 * each such row: no need to look.
			 */
			h->counted = 1;
			distinct++;
			continue;
		}
		r = (size_t)h->row;
		first = sc->row_stamp[r] != stamp;
		if (first) {
			sc->row_stamp[r] = stamp;
			sc->row_count[r] = 0;
		}
		if (h->kind == HIT_PHRASE) {
			int t = h->lex_type;

			h->counted = lexn[t] < m->lex_cap;
			lexn[t] += h->counted;
		} else {
			h->counted = counts || first;
		}
		distinct += first;
		/*
		 * The title's feature values, squared, for its length: a
		 * count going from c to c + 1 adds 2c + 1 to its square.
		 */
		if (h->counted)
			sumsq_n += 2 * (uint64_t)sc->row_count[r]++ + 1;
	}
	/* each signature once, at most sig_cap per type, lowest first */
	insertion_sort(sigv, nsig);
	for (size_t k = 0; k < nsig; k++) {
		struct hit *h = &g->hits[sigv[k] & KEY_MASK];
		int t = h->lex_type;

		h->counted = sign[t] < m->sig_cap;
		sign[t] += h->counted;
	}
	sumsq = (double)sumsq_n;
	if (!counts)
		scale /= sqrt(1.0 + (double)distinct / m->body_norm);
	else if (m->title_norm > 0 && sumsq > 0)
		scale *= m->title_norm / sqrt(sumsq);
	g->scale = scale;
	if (sc->ncands + g->nhits > sc->candcap) {
		sc->candcap = sc->ncands + g->nhits;
		sc->cands = xreallocarray(sc->cands, sc->candcap,
					  sizeof *sc->cands);
	}
	/* the same sums in the same order, in registers */
	_Static_assert(NTYPES == 5, "score_group() sums five types");
	memcpy(acc, score, sizeof acc);
	cd = sc->cands + sc->ncands;
	for (size_t i = 0; i < g->nhits; i++) {
		struct hit *h = &g->hits[i];
		const double *w;

		if (!h->counted)
			continue;
		cd->h = h;
		cd->scale = scale;
		/* -1 but for phrases and signatures (add_hit()) */
		cd->lex_type = h->lex_type;
		if (h->kind == HIT_SIGNATURE) {
			cd->row = -1;
			cd->sigw = sig_contrib(m, h);
			acc[h->lex_type] += cd->sigw;
			cd++;
			continue;
		}
		cd->row = h->row;
		cd->sigw = 0;
		w = m->w[h->row];
		acc[0] += scale * w[0];
		acc[1] += scale * w[1];
		acc[2] += scale * w[2];
		acc[3] += scale * w[3];
		acc[4] += scale * w[4];
		if (api != NULL)
			*api += scale * m->api_w[h->row];
		cd++;
	}
	memcpy(score, acc, sizeof acc);
	ncounted = (size_t)(cd - (sc->cands + sc->ncands));
	sc->ncands += ncounted;
	return ncounted;
}

static int tag_has_keyword(const struct dl_data *d, const char *tag);

/*
 * Is tags[i] (lowercased: lt, n bytes) the same tag as an earlier one that
 * stage 2 sees?  A tag given twice counts once in the tag block.
 */
static int
tag_repeated(const struct classify_model *m, const struct dl_data *d,
	     const struct classify_input *in, size_t i, const char *lt,
	     size_t n)
{
	for (size_t k = 0; k < i; k++) {
		const char *o = in->tags[k];

		if (o != NULL && strlen(o) == n && strncasecmp(o, lt, n) == 0 &&
		    !(d != NULL && m->hide_substring && tag_has_keyword(d, o)))
			return 1;
	}
	return 0;
}

/*
 * The tag idf block: each distinct tag stage 2 sees weighs
 * log(total / count) (a tag the counts lack counts 1), the block scaled
 * to length w_tag; the tags with a "ti:" row become hits of g (empty on
 * entry) and candidates for the evidence, each at its own scale, and are
 * added to score (and to *api for the API check).  Returns how many.
 */
static size_t
score_tags(const struct classify_model *m, struct scratch *sc,
	   struct group *g, const struct classify_input *in,
	   const struct dl_data *d, double score[NTYPES], double *api)
{
	double sumsq = 0, norm;
	size_t c0 = sc->ncands, k;

	for (size_t i = 0; i < in->ntags; i++) {
		const char *tag = in->tags[i];
		size_t n;
		char *lt;
		int c, row;
		double v;

		if (tag == NULL || (d != NULL && m->hide_substring &&
				    tag_has_keyword(d, tag)))
			continue;
		n = strlen(tag);
		lt = xstrdup(tag);
		for (size_t j = 0; j < n; j++)
			lt[j] = (char)to_lower((unsigned char)lt[j]);
		if (tag_repeated(m, d, in, i, lt, n)) {
			free(lt);
			continue;
		}
		c = hmap_get(&m->tag_count, lt, n);
		v = log(m->idf_total / (c > 0 ? c : 1));
		sumsq += v * v;
		row = feature_row(m, "ti:", lt, n);
		free(lt);
		if (row < 0)
			continue;
		/* the value for now in ->scale; the hits may still move */
		add_hit(g, row, HIT_TAG, PART_TAG, tag, 0, n)->counted = 1;
		if (sc->ncands == sc->candcap) {
			sc->candcap = sc->candcap ? 2 * sc->candcap : 16;
			sc->cands = xreallocarray(sc->cands, sc->candcap,
						  sizeof *sc->cands);
		}
		sc->cands[sc->ncands++] = (struct cand){ NULL, v, 0, row, -1 };
	}
	norm = sqrt(sumsq);
	if (norm == 0) {	/* every tag in every question: no block */
		sc->ncands = c0;
		g->nhits = 0;
		return 0;
	}
	for (k = 0; c0 + k < sc->ncands; k++) {
		struct cand *cd = &sc->cands[c0 + k];
		double x = m->w_tag * cd->scale / norm;

		cd->h = &g->hits[k];
		cd->scale = x;
		for (int t = 0; t < NTYPES; t++)
			score[t] += x * m->w[cd->row][t];
		if (m->api_stage)
			*api += x * m->api_w[cd->row];
	}
	return k;
}

static void
softmax(const double s[NTYPES], double p[NTYPES])
{
	double mx = s[0], z = 0;

	for (int t = 1; t < NTYPES; t++)
		if (s[t] > mx)
			mx = s[t];
	for (int t = 0; t < NTYPES; t++)
		z += p[t] = exp(s[t] - mx);
	for (int t = 0; t < NTYPES; t++)
		p[t] /= z;
}

/* ---- the tag rule ---- */

/* Does the keyword appear in the tag as a whole run of segments? */
static int
segment_match(const struct classify_model *m, const char *tag,
	      const char *kw)
{
	size_t tl = strlen(tag), kl = strlen(kw);

	if (kl == 0 || kl > tl)
		return 0;
	for (size_t i = 0; i + kl <= tl; i++) {
		if (i > 0 && strchr(m->separators, tag[i - 1]) == NULL)
			continue;
		if (i + kl < tl && strchr(m->separators, tag[i + kl]) == NULL)
			continue;
		if (strncasecmp(tag + i, kw, kl) == 0)
			return 1;
	}
	return 0;
}

/* Which Table-1 keyword of type t marks this tag (NULL: none)? */
static const char *
tag_keyword(const struct classify_model *m, const struct dl_data *d, int t,
	    const char *tag)
{
	for (size_t k = 0; k < d->types[t].tags.n; k++)
		if (segment_match(m, tag, d->types[t].tags.v[k]))
			return d->types[t].tags.v[k];
	return NULL;
}

/* Does the tag contain any Table-1 keyword at all (stage-2 hiding)? */
static int
tag_has_keyword(const struct dl_data *d, const char *tag)
{
	for (int t = 0; t < NTYPES; t++)
		for (size_t k = 0; k < d->types[t].tags.n; k++)
			if (strcasestr_ascii(tag, d->types[t].tags.v[k]))
				return 1;
	return 0;
}

/* ---- evidence ---- */

static const char *
type_name(const struct dl_data *d, int t)
{
	if (d != NULL && t >= 0 && t < TYPE__COUNT && d->types[t].name)
		return d->types[t].name;
	return data_type_id(t);
}

static void
add_evidence_n(struct classification *c, const char *where, const char *text,
	       size_t tn, const char *why, size_t wn, int type, double weight,
	       size_t start, size_t end)
{
	struct classify_evidence *e;
	size_t n = c->nevidence, ln = strlen(where) + 1;

	/* the array doubles from 8: a post's evidence costs one or two */
	if (n == 0 || (n >= 8 && (n & (n - 1)) == 0))
		c->evidence = xreallocarray(c->evidence, n < 8 ? 8 : 2 * n,
					    sizeof *c->evidence);
	e = &c->evidence[c->nevidence++];
	/* where, text and why in one block, freed through where */
	tn = strnlen(text, tn);
	e->where = xmalloc(ln + tn + 1 + wn + 1);
	memcpy(e->where, where, ln);
	e->text = e->where + ln;
	memcpy(e->text, text, tn);
	e->text[tn] = '\0';
	e->why = e->text + tn + 1;
	memcpy(e->why, why, wn);
	e->why[wn] = '\0';
	e->type = type;
	e->weight = weight;
	e->start = start;
	e->end = end;
}

/* add_evidence_n() taking over a formatted why. */
static void
add_evidence(struct classification *c, const char *where, const char *text,
	     size_t tn, char *why, int type, double weight, size_t start,
	     size_t end)
{
	add_evidence_n(c, where, text, tn, why, strlen(why), type, weight,
		       start, end);
	free(why);
}

struct pick {
	struct hit *h;
	int type;
	double w;
	size_t seq;	/* group by group, hit by hit */
};

/*
 * Equal weights keep the order the hits were found in, group by group.
 * (Comparing the hit pointers did that within a group, but across groups
 * it followed wherever malloc had put each group's array.)
 */
static int
cmp_pick(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;

	if (x->w != y->w)
		return x->w > y->w ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * Picks as a heap whose top is the first in cmp_pick order: only the
 * first few are ever taken, so popping them beats sorting them all, and
 * as no two picks compare equal the order is the sorted one.
 */
static void
pick_sift(struct pick *a, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, top = i;
		struct pick t;

		if (l < n && cmp_pick(&a[l], &a[top]) < 0)
			top = l;
		if (l + 1 < n && cmp_pick(&a[l + 1], &a[top]) < 0)
			top = l + 1;
		if (top == i)
			return;
		t = a[i];
		a[i] = a[top];
		a[top] = t;
		i = top;
	}
}

static struct pick
pick_pop(struct pick *a, size_t *n)
{
	struct pick top = a[0];

	a[0] = a[--*n];
	pick_sift(a, *n, 0);
	return top;
}

/*
 * "an API signature", "a GPU signature": type names are read letter by
 * letter only when they are initialisms, and of those only API starts
 * with a vowel sound, so a leading vowel letter is the whole rule.
 */
static const char *
article(const char *name)
{
	return name && name[0] && strchr("AEIOUaeiou", name[0]) ? "an" : "a";
}

__attribute__((cold)) static char *
hit_why(const struct classify_model *m, const struct dl_data *d,
	const struct hit *h, int type, double w)
{
	const char *part = part_names[h->part];
	const char *tn = type_name(d, type);
	int len = (int)(h->end - h->start);
	const char *s = h->src + h->start;

	switch (h->kind) {
	case HIT_SIGNATURE:
		return xasprintf("%s: '%.*s' is %s %s signature (+%.2f)",
				 part, len, s, article(tn), tn, w);
	case HIT_PHRASE:
		return xasprintf("%s phrase '%.*s' is %s vocabulary (+%.2f)",
				 part, len, s, tn, w);
	case HIT_ERROR:
		return xasprintf("error class '%.*s' in the %s (+%.2f toward "
				 "%s)", len, s, part, w, tn);
	case HIT_SUBSTRING:
		return xasprintf("%s word '%.*s' contains '%s' (+%.2f toward "
				 "%s)", part, len, s, h->key, w, tn);
	case HIT_TAG:
		return xasprintf("tag '%.*s' (+%.2f toward %s)", len, s, w,
				 tn);
	case HIT_TAGPART:
		return xasprintf("tag word '%.*s' (+%.2f toward %s)", len, s,
				 w, tn);
	case HIT_WORD:
	default:
		(void)m;
		return xasprintf("%s word '%.*s' (+%.2f toward %s)", part, len,
				 s, w, tn);
	}
}

/* A why being put together in a fixed buffer; over: it did not fit. */
struct whybuf {
	char s[320];
	size_t n;
	int over;
};

static void
wb_add(struct whybuf *b, const char *s, size_t n)
{
	if (n >= sizeof b->s - b->n) {
		b->over = 1;
		return;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
}

static void
wb_str(struct whybuf *b, const char *s)
{
	wb_add(b, s, strlen(s));
}

/* a string literal */
#define wb_lit(b, s) wb_add((b), (s), sizeof(s) - 1)

/* what "%.*s" prints */
static void
wb_prec(struct whybuf *b, const char *s, size_t n)
{
	wb_add(b, s, strnlen(s, n));
}

/*
 * "%.2f" of w, as printf() rounds it: the exact binary value to the
 * nearest hundredth, ties to even.  Odd cases (and a locale whose
 * decimal point is not '.') go to snprintf().
 */
static void
wb_w(struct whybuf *b, double w, int c_point)
{
	char t[32];
	int e;

	if (c_point && w >= 0 && w < 1e9) {
		/*
		 * w = mant / 2^(1075 - e) with e the biased exponent and
		 * mant the 53-bit significand (what frexp() and ldexp()
		 * gave, for all but the tiny, whose q is 0 anyway)
		 */
		uint64_t bits, mant, num, q, rem, half;
		size_t n = 0;
		char d[16];
		int sh;

		memcpy(&bits, &w, sizeof bits);
		e = (int)(bits >> 52);
		mant = (bits & ((UINT64_C(1) << 52) - 1)) | UINT64_C(1) << 52;
		num = mant * 100;
		sh = 1075 - e;		/* w * 100 = num / 2^sh */

		if (w == 0 || sh >= 64) {
			q = 0;
		} else {
			q = num >> sh;
			rem = num & ((UINT64_C(1) << sh) - 1);
			half = UINT64_C(1) << (sh - 1);
			if (rem > half || (rem == half && (q & 1)))
				q++;
		}
		t[sizeof t - 1] = '\0';
		d[n++] = (char)('0' + q % 10);
		d[n++] = (char)('0' + q / 10 % 10);
		d[n++] = '.';
		q /= 100;
		do {
			d[n++] = (char)('0' + q % 10);
			q /= 10;
		} while (q > 0);
		for (size_t i = 0; i < n; i++)
			t[i] = d[n - 1 - i];
		wb_add(b, t, n);
		return;
	}
	snprintf(t, sizeof t, "%.2f", w);
	wb_str(b, t);
}

/* The common end of a why: " (+0.42 toward Tensor)". */
static void
wb_toward(struct whybuf *b, double w, int c_point, const char *tn)
{
	wb_lit(b, " (+");
	wb_w(b, w, c_point);
	wb_lit(b, " toward ");
	wb_str(b, tn);
	wb_lit(b, ")");
}

/* hit_why() into b, without printf for the common case. */
static void
hit_why_buf(const struct dl_data *d, const struct hit *h, int type, double w,
	    int c_point, struct whybuf *b)
{
	const char *part = part_names[h->part];
	const char *tn = type_name(d, type);
	size_t len = h->end - h->start;
	const char *s = h->src + h->start;

	b->n = 0;
	b->over = 0;
	switch (h->kind) {
	case HIT_SIGNATURE:
		wb_str(b, part);
		wb_lit(b, ": '");
		wb_prec(b, s, len);
		wb_lit(b, "' is ");
		wb_str(b, article(tn));
		wb_lit(b, " ");
		wb_str(b, tn);
		wb_lit(b, " signature (+");
		wb_w(b, w, c_point);
		wb_lit(b, ")");
		break;
	case HIT_PHRASE:
		wb_str(b, part);
		wb_lit(b, " phrase '");
		wb_prec(b, s, len);
		wb_lit(b, "' is ");
		wb_str(b, tn);
		wb_lit(b, " vocabulary (+");
		wb_w(b, w, c_point);
		wb_lit(b, ")");
		break;
	case HIT_ERROR:
		wb_lit(b, "error class '");
		wb_prec(b, s, len);
		wb_lit(b, "' in the ");
		wb_str(b, part);
		wb_toward(b, w, c_point, tn);
		break;
	case HIT_SUBSTRING:
		wb_str(b, part);
		wb_lit(b, " word '");
		wb_prec(b, s, len);
		wb_lit(b, "' contains '");
		wb_str(b, h->key);
		wb_lit(b, "'");
		wb_toward(b, w, c_point, tn);
		break;
	case HIT_TAG:
	case HIT_TAGPART:
		wb_str(b, h->kind == HIT_TAG ? "tag '" : "tag word '");
		wb_prec(b, s, len);
		wb_lit(b, "'");
		wb_toward(b, w, c_point, tn);
		break;
	case HIT_WORD:
	default:
		wb_str(b, part);
		wb_lit(b, " word '");
		wb_prec(b, s, len);
		wb_lit(b, "'");
		wb_toward(b, w, c_point, tn);
		break;
	}
}

/*
 * Does the candidate push toward one of the types by more than 0.05?
 * Fills the strongest such type and its weight.
 */
static inline int
cand_pick(const struct classify_model *m, const struct cand *cd,
	  const int *types, int ntypes, int *best, double *bw)
{
	const double *wr = cd->row >= 0 ? m->w[cd->row] : NULL;
	double top = 0.05;
	int b = -1, lt = cd->lex_type;

	for (int k = 0; k < ntypes; k++) {
		int t = types[k];
		/* what score_group() added */
		double w = wr != NULL ? cd->scale * wr[t] : cd->sigw;

		if ((lt < 0 || lt == t) && w > top) {
			top = w;
			b = t;
		}
	}
	*best = b;
	*bw = top;
	return b >= 0;
}

#define PICK_TOP 16
#define WORD_EVIDENCE_MIN 0.15	/* a lone word shown as evidence weighs */
#define WORD_EVIDENCE_SHARE 0.2	/* ... and this share of the strongest */

/*
 * The picks, group by group and hit by hit, numbered in that order:
 * the first PICK_TOP in cmp_pick order into top (sorted, *ntop of them);
 * returns how many there are in all.
 */
static inline __attribute__((always_inline)) size_t
gather_picks(const struct classify_model *m, const struct scratch *sc,
	     const int *types, int ntypes, struct pick top[PICK_TOP],
	     size_t *ntop)
{
	size_t n = 0, nt = 0;

	for (size_t i = 0; i < sc->ncands; i++) {
		const struct cand *cd = &sc->cands[i];
		struct pick pk;
		size_t j;

		if (!cand_pick(m, cd, types, ntypes, &pk.type, &pk.w))
			continue;
		pk.h = cd->h;
		pk.seq = n++;
		if (nt == PICK_TOP && cmp_pick(&pk, &top[PICK_TOP - 1]) > 0)
			continue;
		j = nt < PICK_TOP ? nt++ : PICK_TOP - 1;
		for (; j > 0 && cmp_pick(&pk, &top[j - 1]) < 0; j--)
			top[j] = top[j - 1];
		top[j] = pk;
	}
	*ntop = nt;
	return n;
}

/* All n picks, in sc->picks. */
__attribute__((cold)) static struct pick *
all_picks(const struct classify_model *m, struct scratch *sc,
	  const int *types, int ntypes, size_t n)
{
	size_t k = 0;

	if (n > sc->pickcap) {
		sc->pickcap = n;
		free(sc->picks);
		sc->picks = xreallocarray(NULL, n, sizeof *sc->picks);
	}
	for (size_t i = 0; i < sc->ncands; i++) {
		const struct cand *cd = &sc->cands[i];
		struct pick pk;

		if (!cand_pick(m, cd, types, ntypes, &pk.type, &pk.w))
			continue;
		pk.h = cd->h;
		pk.seq = k;
		sc->picks[k++] = pk;
	}
	return sc->picks;
}

/*
 * The hits that pushed most toward the chosen type(s), strongest first,
 * one per distinct place and text.
 */
static void
text_evidence(const struct classify_model *m, const struct dl_data *d,
	      struct scratch *sc, size_t ngroups, const int *types,
	      int ntypes, struct classification *c)
{
	struct pick top[PICK_TOP], *picks = NULL;
	size_t n = 0, ntop = 0, taken = 0, done = 0, ev0 = c->nevidence;
	double strongest = -1;
	size_t tlens[MAX_EVIDENCE];	/* of the evidence added here */
	unsigned char tparts[MAX_EVIDENCE];
	/* printf's decimal point (localeconv() would build a whole lconv) */
	const char *point = nl_langinfo(RADIXCHAR);
	int c_point = point[0] == '.' && point[1] == '\0';
	struct whybuf wb;

	/*
	 * The first few picks in cmp_pick order are almost always all
	 * that is taken: keep only PICK_TOP of them, sorted.
	 */
	(void)ngroups;	/* sc->cands holds the groups' counted hits */
	/* with ntypes a constant, cand_pick() is a compare or two */
	if (ntypes == 1)
		n = gather_picks(m, sc, types, 1, top, &ntop);
	else
		n = gather_picks(m, sc, types, ntypes, top, &ntop);
	while (taken < MAX_EVIDENCE) {
		struct pick pk;
		const struct hit *h;
		size_t len;
		int dup = 0;

		if (done < ntop) {
			pk = top[done++];
		} else if (n > ntop) {
			/*
			 * More duplicates than PICK_TOP allows for: all
			 * the picks in a heap, past the ones already seen.
			 */
			if (picks == NULL) {
				picks = all_picks(m, sc, types, ntypes, n);
				for (size_t i = n / 2; i-- > 0;)
					pick_sift(picks, n, i);
				for (size_t i = 0; i < ntop; i++)
					pick_pop(picks, &n);
				ntop = 0;
				done = 0;
			}
			if (n == 0)
				break;
			pk = pick_pop(picks, &n);
		} else {
			break;
		}
		h = pk.h;
		/*
		 * A lone word's learned weight is evidence only when it
		 * weighs something beside the strongest reason: "title word
		 * 'want' (+0.22)" under a +1.21 phrase, or "body word 'am'
		 * (+0.07)", tells the reader nothing.  (Picks come strongest
		 * first; the scores still count every word.)
		 */
		if (strongest < 0)
			strongest = pk.w;
		if ((h->kind == HIT_WORD || h->kind == HIT_SUBSTRING) &&
		    (pk.w < WORD_EVIDENCE_MIN ||
		     pk.w < WORD_EVIDENCE_SHARE * strongest))
			continue;
		len = h->end - h->start;
		for (size_t k = 0; k < c->nevidence && !dup; k++) {
			const struct classify_evidence *e = &c->evidence[k];

			/*
			 * this call's own evidence: part and text length
			 * known, only the texts to compare
			 */
			if (k >= ev0) {
				dup = tparts[k - ev0] == h->part &&
				      tlens[k - ev0] == len &&
				      strncasecmp(e->text, h->src + h->start,
						  len) == 0;
				continue;
			}
			dup = strcmp(e->where, part_names[h->part]) == 0 &&
			      strlen(e->text) == len &&
			      strncasecmp(e->text, h->src + h->start, len) == 0;
		}
		if (dup)
			continue;
		tparts[taken] = h->part;
		tlens[taken] = strnlen(h->src + h->start, len);
		hit_why_buf(d, h, pk.type, pk.w, c_point, &wb);
		if (wb.over)
			add_evidence(c, part_names[h->part], h->src + h->start,
				     len, hit_why(m, d, h, pk.type, pk.w),
				     pk.type, pk.w, h->start, h->end);
		else
			add_evidence_n(c, part_names[h->part],
				       h->src + h->start, len, wb.s, wb.n,
				       pk.type, pk.w, h->start, h->end);
		taken++;
	}
}

/* ---- classify ---- */

/* Does a log mark start at s[i]? */
static int
log_mark_at(const char *s, size_t n, size_t i)
{
	static const char *const marks[] = {
		"Traceback (most recent call last)", "Error: ",
		"Exception: ", "Warning: ", "W tensorflow/", "I tensorflow/",
		"E tensorflow/", "Epoch 1/",
	};
	char c = s[i];

	if (c != 'T' && c != 'E' && c != 'W' && c != 'I')
		return 0;
	for (size_t k = 0; k < ARRAY_SIZE(marks); k++) {
		size_t ml = strlen(marks[k]);

		if (marks[k][0] == c && ml <= n - i &&
		    memcmp(s + i, marks[k], ml) == 0)
			return 1;
	}
	return 0;
}

static int
is_log_block(const struct text_doc *doc, const struct text_block *b)
{
	size_t n = b->end - b->start, i = 0;
	const char *s = doc->text + b->start;

	/*
	 * One pass over the block instead of a memmem() per mark: only
	 * where a byte starts some mark (T, E, W or I) are the marks
	 * compared; SSE2 finds those bytes 16 at a time.
	 */
#ifdef __SSE2__
	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)
					    (s + i));
		__m128i t = _mm_or_si128(
			_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('T')),
				     _mm_cmpeq_epi8(v, _mm_set1_epi8('E'))),
			_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('W')),
				     _mm_cmpeq_epi8(v, _mm_set1_epi8('I'))));
		unsigned bits = (unsigned)_mm_movemask_epi8(t);

		while (bits != 0) {
			if (log_mark_at(s, n, i + (size_t)__builtin_ctz(bits)))
				return 1;
			bits &= bits - 1;
		}
	}
#endif
	for (; i < n; i++)
		if (log_mark_at(s, n, i))
			return 1;
	return 0;
}

void
classification_done(struct classification *c)
{
	if (c == NULL)
		return;
	/* add_evidence_n() put text and why in where's block */
	for (size_t i = 0; i < c->nevidence; i++)
		free(c->evidence[i].where);
	free(c->evidence);
	c->evidence = NULL;
	c->nevidence = 0;
}

const char *
classify_method_name(enum classify_method m)
{
	return m == CLASSIFY_TAGS ? "tags" : "text";
}

void
classify_top_two(const struct classification *c, int pair[2])
{
	pair[0] = 0;
	for (int t = 1; t < TYPE__SINGLE; t++)
		if (c->scores[t] > c->scores[pair[0]])
			pair[0] = t;
	pair[1] = pair[0] == 0 ? 1 : 0;
	for (int t = 0; t < TYPE__SINGLE; t++)
		if (t != pair[0] && c->scores[t] > c->scores[pair[1]])
			pair[1] = t;
}

/* Stage 1; returns the type decided by the tags or -1. */
__attribute__((noinline)) static int
tag_stage(const struct classify_model *m, const struct dl_data *d,
	  const struct classify_input *in, struct classification *c,
	  int *nmatched)
{
	const char *kw[NTYPES] = {0};
	const char *by[NTYPES] = {0};
	int win = -1;

	*nmatched = 0;
	for (size_t i = 0; i < in->ntags; i++) {
		if (in->tags[i] == NULL)
			continue;
		for (int t = 0; t < NTYPES; t++) {
			const char *k;

			if (kw[t] != NULL)
				continue;
			if ((k = tag_keyword(m, d, t, in->tags[i])) != NULL) {
				kw[t] = k;
				by[t] = in->tags[i];
				(*nmatched)++;
			}
		}
	}
	for (int i = 0; i < NTYPES && win < 0; i++)
		if (kw[m->precedence[i]] != NULL)
			win = m->precedence[i];
	if (win < 0)
		return -1;
	for (int i = 0; i < NTYPES; i++) {
		int t = m->precedence[i];
		char *why;

		if (kw[t] == NULL)
			continue;
		if (t == win && strcasecmp(by[t], kw[t]) == 0)
			why = xasprintf("tag '%s' marks %s (Table 1)", by[t],
					type_name(d, t));
		else if (t == win)
			why = xasprintf("tag '%s' contains the Table-1 "
					"keyword '%s' of %s", by[t], kw[t],
					type_name(d, t));
		else
			why = xasprintf("tag '%s' (Table-1 keyword '%s') "
					"would mean %s, which ranks below %s",
					by[t], kw[t], type_name(d, t),
					type_name(d, win));
		add_evidence(c, "tag", by[t], strlen(by[t]), why, t,
			     t == win ? 1.0 : 0.0, 0, strlen(by[t]));
	}
	return win;
}

int
classify_post(const struct classify_model *m, const struct dl_data *d,
	      const struct classify_input *in, struct classification *out)
{
	static const struct classify_input empty;
	struct scratch *sc = &tls_scratch;
	struct group *g = sc->g;
	double score[NTYPES], p[NTYPES], api = 0;
	int win = -1, nmatched = 0, second;
	size_t ntitle, nbody;
	const struct text_doc *doc;

	memset(out, 0, sizeof *out);
	if (in == NULL)
		in = &empty;
	doc = in->doc;
	for (int i = 0; i < 5; i++)
		group_reset(&g[i]);
	seen_reset(sc, m);

	if (d != NULL && in->ntags > 0 && in->tags != NULL)
		win = tag_stage(m, d, in, out, &nmatched);

	/* Stage 2 always runs: it gives the scores, and the type when no
	 * tag decides. */
	if (in->title != NULL) {
		size_t tl = strlen(in->title);

		scan_segment(m, sc, &g[0], PART_TITLE, in->title, 0, tl, tl);
	}
	for (size_t i = 0; in->tags != NULL && i < in->ntags; i++) {
		if (in->tags[i] == NULL)
			continue;
		if (d != NULL && m->hide_substring &&
		    tag_has_keyword(d, in->tags[i]))
			continue;
		scan_tag(m, sc, &g[0], in->tags[i]);
	}
	if (doc != NULL && doc->text != NULL && doc->len > 0) {
		size_t at = 0;

		for (size_t b = 0; b < doc->nblocks; b++) {
			const struct text_block *bl = &doc->blocks[b];

			if (bl->start < at || bl->end > doc->len ||
			    bl->end < bl->start)
				continue;	/* nested or bad: skip */
			if (bl->start > at)
				scan_segment(m, sc, &g[1], PART_BODY,
					     doc->text, at, bl->start,
					     doc->len);
			if (bl->kind != TB_CODE)
				scan_segment(m, sc, &g[1], PART_BODY,
					     doc->text, bl->start, bl->end,
					     doc->len);
			else if (is_log_block(doc, bl))
				scan_segment(m, sc, &g[3], PART_LOG,
					     doc->text, bl->start, bl->end,
					     doc->len);
			else
				scan_segment(m, sc, &g[2], PART_CODE,
					     doc->text, bl->start, bl->end,
					     doc->len);
			at = bl->end;
		}
		if (at < doc->len)
			scan_segment(m, sc, &g[1], PART_BODY, doc->text, at,
				     doc->len, doc->len);
	}
	/*
	 * The bias belongs to the title model; a post known by its body
	 * alone starts from even odds, and a post with nothing to go on
	 * gets the label shares of the training data.
	 */
	memset(score, 0, sizeof score);
	sc->ncands = 0;
	ntitle = score_group(m, sc, &g[0], m->w_title, 1, score,
			     m->api_stage ? &api : NULL);
	if (m->idf_total > 0 && in->tags != NULL)
		ntitle += score_tags(m, sc, &g[4], in, d, score, &api);
	nbody = score_group(m, sc, &g[1], m->w_body, 0, score, NULL);
	nbody += score_group(m, sc, &g[2], m->w_code, 0, score, NULL);
	nbody += score_group(m, sc, &g[3], m->w_log, 0, score, NULL);
	if (ntitle > 0 || nbody == 0)
		for (int t = 0; t < NTYPES; t++)
			score[t] += m->bias[t];
	if (ntitle + nbody > 0)
		softmax(score, p);
	else
		memcpy(p, m->prior, sizeof p);

	if (win >= 0) {
		double conf = nmatched > 1 ? m->conf_multi : m->conf_single;

		out->type = win;
		out->method = CLASSIFY_TAGS;
		out->confidence = conf;
		for (int t = 0; t < NTYPES; t++)
			out->scores[t] = (t == win ? conf : 0) +
					 (1 - conf) * p[t];
	} else {
		int best = 0, types[2];

		for (int t = 1; t < NTYPES; t++)
			if (p[t] > p[best])
				best = t;
		second = best == 0 ? 1 : 0;
		for (int t = 0; t < NTYPES; t++)
			if (t != best && p[t] > p[second])
				second = t;
		memcpy(out->scores, p, sizeof p);
		out->method = CLASSIFY_TEXT;
		types[0] = best;
		types[1] = second;
		if (m->api_stage && ntitle > 0 && best != TYPE_GPU &&
		    best != TYPE_API && m->api_bias + api >= 0) {
			/*
			 * The API check outranks the five-way choice (as the
			 * labelling ranks API above all but GPU): API gets its
			 * probability, the others share the rest as before.
			 */
			double q = 1 / (1 + exp(-(m->api_bias + api)));
			double rest = 1 - p[TYPE_API];

			for (int t = 0; t < NTYPES; t++)
				out->scores[t] = t == TYPE_API ? q
						 : rest > 0 ? p[t] * (1 - q) /
								      rest
							    : 0;
			out->type = TYPE_API;
			out->confidence = q;
			types[0] = TYPE_API;
			add_evidence(out, "api-check", "", 0,
				     xasprintf("the API check (API against "
					       "every type but GPU, trained "
					       "apart for the rarest type) "
					       "gives %.2f; the five-way "
					       "scores favoured %s",
					       q, type_name(d, best)),
				     TYPE_API, q, 0, 0);
		} else if (p[second] >= m->mixed_min) {
			out->type = TYPE_MIXED;
			out->confidence = p[best] + p[second];
		} else {
			out->type = best;
			out->confidence = p[best];
		}
		text_evidence(m, d, sc, 5, types,
			      out->type == TYPE_MIXED ? 2 : 1, out);
		if (out->nevidence == 0 && ntitle + nbody == 0)
			add_evidence(out, "prior", "", 0,
				     xasprintf("nothing in the post points to "
					       "a type; %s is the most common "
					       "type in the training data",
					       type_name(d, best)),
				     best, p[best], 0, 0);
		else if (out->nevidence == 0)
			add_evidence(out, "prior", "", 0,
				     xasprintf("no word or phrase weighs much "
					       "on its own; together they "
					       "lean to %s", type_name(d, best)),
				     best, p[best], 0, 0);
	}
	if (out->confidence > 1)
		out->confidence = 1;
	/* an outsize post does not pin its memory to the thread */
	for (int i = 0; i < 5; i++)
		if (g[i].cap > SCRATCH_KEEP || g[i].seqcap > SCRATCH_KEEP ||
		    g[i].partcap > SCRATCH_KEEP || g[i].phrcap > SCRATCH_KEEP)
			group_done(&g[i]);
	if (sc->keycap > SCRATCH_KEEP) {
		free(sc->keys);
		sc->keys = NULL;
		sc->keycap = 0;
	}
	if (sc->pickcap > SCRATCH_KEEP) {
		free(sc->picks);
		sc->picks = NULL;
		sc->pickcap = 0;
	}
	if (sc->candcap > SCRATCH_KEEP) {
		free(sc->cands);
		sc->cands = NULL;
		sc->candcap = 0;
	}
	if (sc->amaskcap > SCRATCH_KEEP) {
		free(sc->amask);
		sc->amask = NULL;
		sc->amaskcap = 0;
	}
	return DL_OK;
}
