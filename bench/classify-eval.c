/*
 * classify-eval - measures the bug-type classifier on labelled questions
 * (the paper's dl_bugs_dev.csv layout: QuestionLink, Title, Score, Tags,
 * Id, Type) and on bug-report files whose names carry their type.
 *
 * Prints accuracy, macro-F1, per-class precision/recall/F1 and the
 * confusion matrix twice: with the questions' tags, and with every tag
 * that contains a Table-1 keyword removed.  With --cv DIR the hidden-tag
 * run scores each question with the model trained without its fold
 * (DIR/folds.tsv, DIR/fold-K/classifier.json, written by
 * tools/train-classifier.py), so the figures are cross-validated and come
 * from the C implementation.  Lines starting with "RESULT" are for
 * scripts.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "dlrepro/classify.h"
#include "dlrepro/data.h"
#include "dlrepro/text.h"
#include "dlrepro/util.h"

#define NT TYPE__COUNT	/* predictions may be Mixed */

struct row {
	char *id;
	char *title;
	struct strvec tags;	/* all tags */
	struct strvec kept;	/* tags without a Table-1 keyword */
	int type;
	int fold;
};

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb;
	char buf[8192];
	size_t n;

	if (f == NULL) {
		error_set("%s: %s", path, strerror(errno));
		return NULL;
	}
	sb_init(&sb);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_add(&sb, buf, n);
	fclose(f);
	*len = sb.len;
	return sb_detach(&sb);
}

/*
 * RFC 4180 CSV: fields separated by commas, optionally quoted; a quote
 * inside a quoted field is doubled; quoted fields may hold commas and
 * line breaks.  Calls back once per record.
 */
static void
csv_parse(const char *s, size_t n,
	  void (*record)(struct strvec *fields, void *ctx), void *ctx)
{
	struct strvec fields;
	struct strbuf cur;
	size_t i = 0;
	int any = 0;

	sv_init(&fields);
	sb_init(&cur);
	while (i < n) {
		char c = s[i];

		if (c == '"' && cur.len == 0) {
			i++;
			while (i < n) {
				if (s[i] == '"' && i + 1 < n && s[i + 1] == '"') {
					sb_addc(&cur, '"');
					i += 2;
				} else if (s[i] == '"') {
					i++;
					break;
				} else {
					sb_addc(&cur, s[i++]);
				}
			}
			any = 1;
			continue;
		}
		if (c == ',') {
			sv_push(&fields, cur.s ? cur.s : "");
			sb_reset(&cur);
			any = 1;
			i++;
			continue;
		}
		if (c == '\r' || c == '\n') {
			if (any || cur.len) {
				sv_push(&fields, cur.s ? cur.s : "");
				record(&fields, ctx);
			}
			sv_done(&fields);
			sv_init(&fields);
			sb_reset(&cur);
			any = 0;
			i += c == '\r' && i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
			continue;
		}
		sb_addc(&cur, c);
		any = 1;
		i++;
	}
	if (any || cur.len) {
		sv_push(&fields, cur.s ? cur.s : "");
		record(&fields, ctx);
	}
	sv_done(&fields);
	sb_done(&cur);
}

struct table {
	struct row *rows;
	size_t n;
	int col_title, col_tags, col_id, col_type;
	int header_done;
	const struct dl_data *d;
};

static int
tag_has_keyword(const struct dl_data *d, const char *tag)
{
	for (int t = 0; t < TYPE__SINGLE; t++)
		for (size_t k = 0; k < d->types[t].tags.n; k++)
			if (strstr(tag, d->types[t].tags.v[k]) != NULL)
				return 1;
	return 0;
}

static int
col_index(const struct strvec *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i], name) == 0)
			return (int)i;
	return -1;
}

static void
on_record(struct strvec *f, void *ctx)
{
	struct table *tb = ctx;
	struct row *r;
	const char *t;

	if (!tb->header_done) {
		tb->col_title = col_index(f, "Title");
		tb->col_tags = col_index(f, "Tags");
		tb->col_id = col_index(f, "Id");
		tb->col_type = col_index(f, "Type");
		tb->header_done = 1;
		return;
	}
	if (tb->col_title < 0 || tb->col_tags < 0 || tb->col_type < 0 ||
	    (size_t)tb->col_type >= f->n || (size_t)tb->col_tags >= f->n ||
	    (size_t)tb->col_title >= f->n)
		return;
	tb->rows = xreallocarray(tb->rows, tb->n + 1, sizeof *tb->rows);
	r = &tb->rows[tb->n];
	r->type = data_type_from_id(f->v[tb->col_type]);
	if (r->type < 0)
		return;
	tb->n++;
	r->title = xstrdup(f->v[tb->col_title]);
	r->id = xstrdup(tb->col_id >= 0 && (size_t)tb->col_id < f->n
				? f->v[tb->col_id] : "");
	r->fold = -1;
	sv_init(&r->tags);
	sv_init(&r->kept);
	for (t = f->v[tb->col_tags]; (t = strchr(t, '<')) != NULL;) {
		const char *e = strchr(t, '>');
		char *tag;

		if (e == NULL)
			break;
		tag = xstrndup(t + 1, (size_t)(e - t - 1));
		sv_push(&r->tags, tag);
		if (!tag_has_keyword(tb->d, tag))
			sv_push(&r->kept, tag);
		free(tag);
		t = e + 1;
	}
}

struct stats {
	int conf[NT][NT];	/* [true][predicted] */
	int n;
};

static void
print_stats(const char *label, const struct stats *st)
{
	int correct = 0;
	double f1sum = 0;

	printf("\n== %s (%d questions)\n", label, st->n);
	printf("%-10s %9s %9s %9s %7s\n", "type", "precision", "recall", "F1",
	       "n");
	for (int t = 0; t < TYPE__SINGLE; t++) {
		int tp = st->conf[t][t], fp = 0, fn = 0;
		double p, r, f;

		for (int k = 0; k < NT; k++) {
			if (k != t) {
				fp += st->conf[k][t];
				fn += st->conf[t][k];
			}
		}
		correct += tp;
		p = tp + fp ? (double)tp / (tp + fp) : 0;
		r = tp + fn ? (double)tp / (tp + fn) : 0;
		f = tp ? 2.0 * tp / (2.0 * tp + fp + fn) : 0;
		f1sum += f;
		printf("%-10s %9.4f %9.4f %9.4f %7d\n", data_type_id(t), p, r,
		       f, tp + fn);
	}
	printf("accuracy %.4f  macro-F1 %.4f (over the five single types)\n",
	       st->n ? (double)correct / st->n : 0, f1sum / TYPE__SINGLE);
	printf("confusion (rows: label, columns: prediction)\n%-10s", "");
	for (int k = 0; k < NT; k++)
		printf(" %8s", data_type_id(k));
	printf("\n");
	for (int t = 0; t < TYPE__SINGLE; t++) {
		printf("%-10s", data_type_id(t));
		for (int k = 0; k < NT; k++)
			printf(" %8d", st->conf[t][k]);
		printf("\n");
	}
	printf("RESULT %s accuracy=%.4f macro_f1=%.4f", label,
	       st->n ? (double)correct / st->n : 0, f1sum / TYPE__SINGLE);
	for (int t = 0; t < TYPE__SINGLE; t++) {
		int tp = st->conf[t][t], fp = 0, fn = 0;

		for (int k = 0; k < NT; k++) {
			if (k != t) {
				fp += st->conf[k][t];
				fn += st->conf[t][k];
			}
		}
		printf(" f1_%s=%.4f", data_type_id(t),
		       tp ? 2.0 * tp / (2.0 * tp + fp + fn) : 0);
	}
	printf("\n");
}

/* hidden --dump FILE: every classification, exactly (floats in %a) */
static FILE *dump_f;

static void
dump_cls(const char *id, int hide, const struct classification *c)
{
	fprintf(dump_f, "%s %d type %d method %d conf %a scores", id, hide,
		c->type, (int)c->method, c->confidence);
	for (int t = 0; t < TYPE__SINGLE; t++)
		fprintf(dump_f, " %a", c->scores[t]);
	fputc('\n', dump_f);
	for (size_t k = 0; k < c->nevidence; k++) {
		const struct classify_evidence *e = &c->evidence[k];

		fprintf(dump_f, "  %s|%s|%s|%d|%a|%zu|%zu\n", e->where,
			e->text, e->why, e->type, e->weight, e->start,
			e->end);
	}
}

static double
run(struct classify_model *const *models, int nmodels,
    const struct dl_data *d, const struct table *tb, int hide,
    struct stats *st, int verbose)
{
	struct timespec a, b;
	double secs = 0;

	memset(st, 0, sizeof *st);
	for (size_t i = 0; i < tb->n; i++) {
		const struct row *r = &tb->rows[i];
		const struct strvec *tags = hide ? &r->kept : &r->tags;
		struct classify_input in = {
			.title = r->title,
			.tags = (const char *const *)tags->v,
			.ntags = tags->n,
		};
		struct classification c;
		int mi = nmodels > 1 ? r->fold : 0;

		if (mi < 0 || mi >= nmodels)
			continue;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
		classify_post(models[mi], d, &in, &c);
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
		secs += (double)(b.tv_sec - a.tv_sec) +
			(double)(b.tv_nsec - a.tv_nsec) / 1e9;
		if (dump_f != NULL)
			dump_cls(r->id, hide, &c);
		st->conf[r->type][c.type]++;
		st->n++;
		if (verbose && c.type != r->type)
			printf("miss %s: %s -> %s (%.2f) %s\n", r->id,
			       data_type_id(r->type), data_type_id(c.type),
			       c.confidence, r->title);
		classification_done(&c);
	}
	return st->n ? secs / st->n : 0;
}

static int
load_folds(struct table *tb, const char *dir)
{
	char *path = xasprintf("%s/folds.tsv", dir);
	size_t len, i = 0, nset = 0;
	char *s = read_file(path, &len);
	int maxfold = -1;

	free(path);
	if (s == NULL)
		return -1;
	while (i < len) {
		size_t e = i;
		char *tab;

		while (e < len && s[e] != '\n')
			e++;
		s[e] = '\0';
		tab = strchr(s + i, '\t');
		if (tab != NULL) {
			*tab = '\0';
			for (size_t k = 0; k < tb->n; k++) {
				if (strcmp(tb->rows[k].id, s + i) == 0) {
					tb->rows[k].fold = atoi(tab + 1);
					if (tb->rows[k].fold > maxfold)
						maxfold = tb->rows[k].fold;
					nset++;
					break;
				}
			}
		}
		i = e + 1;
	}
	free(s);
	if (nset != tb->n) {
		error_set("%s/folds.tsv covers %zu of %zu questions", dir,
			  nset, tb->n);
		return -1;
	}
	return maxfold + 1;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Files named like Bug-1E-2-Model.txt: body only, no title, no tags. */
static int
run_reports(const struct classify_model *m, const struct dl_data *d,
	    const char *dir, int verbose)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	int n = 0, ok = 0;
	struct strvec names;
	struct timespec t0, t1;
	double secs = 0;
	size_t bytes = 0;
	enum { REPEAT = 2000 };

	if (dp == NULL) {
		fprintf(stderr, "classify-eval: %s: %s\n", dir,
			strerror(errno));
		return -1;
	}
	sv_init(&names);
	while ((de = readdir(dp)) != NULL)
		sv_push(&names, de->d_name);
	closedir(dp);
	qsort(names.v, names.n, sizeof *names.v, cmp_str);
	printf("\n== report bodies without title or tags (%s)\n", dir);
	for (size_t i = 0; i < names.n; i++) {
		const char *name = names.v[i], *dash = strrchr(name, '-');
		char *path, *text, type[32];
		struct text_doc doc = {0};
		struct classify_input in = {0};
		struct classification c;
		size_t len;
		int want;

		if (dash == NULL || strlen(name) < 5 ||
		    strcmp(name + strlen(name) - 4, ".txt") != 0)
			continue;
		snprintf(type, sizeof type, "%.*s",
			 (int)(strlen(dash + 1) - 4), dash + 1);
		for (char *p = type; *p; p++)
			*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		if ((want = data_type_from_id(type)) < 0)
			continue;
		path = xasprintf("%s/%s", dir, name);
		text = read_file(path, &len);
		free(path);
		if (text == NULL)
			continue;
		/* Flatten line breaks: bodies may arrive without them. */
		for (size_t k = 0; k < len; k++)
			if (text[k] == '\n' || text[k] == '\r')
				text[k] = ' ';
		doc.text = text;
		doc.len = len;
		in.doc = &doc;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
		for (int r = 0; r < REPEAT; r++) {
			classify_post(m, d, &in, &c);
			if (r + 1 < REPEAT)
				classification_done(&c);
		}
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
		secs += (double)(t1.tv_sec - t0.tv_sec) +
			(double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		bytes += len;
		n++;
		ok += c.type == want;
		printf("%-28s %-8s -> %-8s %.2f%s\n", name, type,
		       data_type_id(c.type), c.confidence,
		       c.type == want ? "" : "  (miss)");
		if (verbose) {
			printf("    scores:");
			for (int t = 0; t < TYPE__SINGLE; t++)
				printf(" %s=%.2f", data_type_id(t), c.scores[t]);
			printf("\n");
		}
		if (verbose)
			for (size_t k = 0; k < c.nevidence; k++)
				printf("    %s\n", c.evidence[k].why);
		classification_done(&c);
		free(text);
	}
	sv_done(&names);
	printf("RESULT reports accuracy=%.4f n=%d\n", n ? (double)ok / n : 0,
	       n);
	if (n > 0)
		printf("(%.2f us CPU per report body, %zu bytes on average)\n",
		       secs / (n * REPEAT) * 1e6, bytes / (size_t)n);
	return 0;
}

static void
usage(void)
{
	fprintf(stderr,
		"usage: classify-eval [--datadir DIR] [--model DIR] [--cv DIR]\n"
		"                     [--reports DIR] [--verbose] CSV\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *datadir_arg = NULL, *model_dir = NULL, *cv = NULL;
	const char *reports = NULL, *csv = NULL;
	struct classify_model *models[32];
	int nmodels = 0, verbose = 0, rc = 0;
	struct dl_data *d;
	struct table tb = {0};
	struct stats st;
	char *text;
	size_t len;
	double us;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--datadir") == 0 && i + 1 < argc)
			datadir_arg = argv[++i];
		else if (strcmp(argv[i], "--model") == 0 && i + 1 < argc)
			model_dir = argv[++i];
		else if (strcmp(argv[i], "--cv") == 0 && i + 1 < argc)
			cv = argv[++i];
		else if (strcmp(argv[i], "--reports") == 0 && i + 1 < argc)
			reports = argv[++i];
		else if (strcmp(argv[i], "--verbose") == 0)
			verbose = 1;
		else if (strcmp(argv[i], "--dump") == 0 && i + 1 < argc) {
			dump_f = fopen(argv[++i], "w");
			if (dump_f == NULL) {
				perror(argv[i]);
				return 1;
			}
		}
		else if (argv[i][0] == '-' || csv != NULL)
			usage();
		else
			csv = argv[i];
	}
	if (csv == NULL && reports == NULL)
		usage();
	if ((d = data_load(datadir_arg)) == NULL) {
		fprintf(stderr, "classify-eval: %s\n", error_msg());
		return 1;
	}
	models[0] = classify_model_load(model_dir ? model_dir : datadir_arg);
	if (models[0] == NULL) {
		fprintf(stderr, "classify-eval: %s\n", error_msg());
		data_free(d);
		return 1;
	}
	nmodels = 1;
	if (csv != NULL) {
		if ((text = read_file(csv, &len)) == NULL) {
			fprintf(stderr, "classify-eval: %s\n", error_msg());
			rc = 1;
			goto out;
		}
		tb.d = d;
		csv_parse(text, len, on_record, &tb);
		free(text);
		if (tb.n == 0) {
			fprintf(stderr, "classify-eval: %s: no labelled "
				"questions (need Title, Tags, Type columns)\n",
				csv);
			rc = 1;
			goto out;
		}
		us = run(models, 1, d, &tb, 0, &st, verbose) * 1e6;
		print_stats("with-tags", &st);
		printf("(%.2f us CPU per question)\n", us);
		if (cv == NULL) {
			us = run(models, 1, d, &tb, 1, &st, verbose) * 1e6;
			print_stats("tags-hidden-shipped-model", &st);
			printf("(training-set figure when the model was "
			       "trained on this file; use --cv for "
			       "held-out figures)\n");
		} else {
			int k = load_folds(&tb, cv);

			if (k < 1 || k > 32) {
				fprintf(stderr, "classify-eval: %s\n",
					k < 1 ? error_msg() : "too many folds");
				rc = 1;
				goto out;
			}
			classify_model_free(models[0]);
			nmodels = 0;
			for (int f = 0; f < k; f++) {
				char *dir = xasprintf("%s/fold-%d", cv, f);

				models[f] = classify_model_load(dir);
				free(dir);
				nmodels = f + 1;
				if (models[f] == NULL) {
					fprintf(stderr, "classify-eval: %s\n",
						error_msg());
					nmodels = f;
					rc = 1;
					goto out;
				}
			}
			run(models, nmodels, d, &tb, 1, &st, verbose);
			print_stats("tags-hidden-cv", &st);
			printf("(%d-fold cross-validation: each question "
			       "scored by the model trained without it)\n", k);
		}
	}
	if (reports != NULL && nmodels >= 1 && cv == NULL)
		rc = run_reports(models[0], d, reports, verbose) ? 1 : rc;
out:
	for (int i = 0; i < nmodels; i++)
		classify_model_free(models[i]);
	for (size_t i = 0; i < tb.n; i++) {
		free(tb.rows[i].id);
		free(tb.rows[i].title);
		sv_done(&tb.rows[i].tags);
		sv_done(&tb.rows[i].kept);
	}
	free(tb.rows);
	data_free(d);
	return rc;
}
