/*
 * infocat.h - the five information categories of the paper (Data, Model,
 * Hyperparameters, Code Snippet, Logs) and a sixth check, Environment
 * (framework, Python, CUDA, OS versions).  Each detector says present or
 * absent and gives evidence spans: byte offsets into doc->text plus the
 * quoted text.
 *
 * Pure: no terminal, network or disk.  Not reentrant: infocat_detect keeps
 * one scratch array between calls, so call it from one thread at a time.
 */
#ifndef DLREPRO_INFOCAT_H
#define DLREPRO_INFOCAT_H

#include <stddef.h>

#include "dlrepro/data.h"
#include "dlrepro/text.h"

#define INFO_ENVIRONMENT CAT__COUNT	/* index of the sixth check */
#define INFO__COUNT (CAT__COUNT + 1)

struct info_span {
	size_t start, end;	/* [start, end) in doc->text */
	char *text;		/* quoted text, at most 160 bytes and "…";
				 * lives in the block all categories' spans
				 * share: freed by infocat_result_done,
				 * never alone */
	const char *why;	/* static label: "shape", "traceback" */
};

struct info_result {
	int present;
	struct info_span *spans;
	size_t nspans;
};

struct infocat_result {
	struct info_result r[INFO__COUNT];
	char *framework;	/* "pytorch", "tensorflow", "keras" or NULL */
};

void infocat_result_done(struct infocat_result *res);

/* title may be NULL; tags give the framework when the text does not. */
int infocat_detect(const struct text_doc *doc, const char *title,
		   const char *const *tags, size_t ntags,
		   struct infocat_result *out);

const char *infocat_id(int idx);	/* "data".."logs", "environment" */

#endif
