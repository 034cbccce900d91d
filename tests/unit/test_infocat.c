/*
 * test_infocat.c - unit tests of the information-category detectors on
 * labelled fixtures written for these tests (not taken from the paper's
 * data): each category present, absent, and look-alikes that must not
 * fool it (a log or a data sample in a code block is not code, "model"
 * the word is not a model, "(see above)" is not a shape).  Every fixture
 * is also run flattened onto one line, as real reports often arrive, and
 * every evidence span must quote exactly the text at its offsets.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dlrepro/infocat.h"
#include "dlrepro/text.h"
#include "dlrepro/util.h"

#define Y 1
#define N 0
#define A (-1)		/* not asserted */

enum fmt { F_HTML, F_MD, F_TEXT };

struct fixture {
	const char *name;
	enum fmt fmt;
	const char *body;
	int want[INFO__COUNT];	/* data model hyper code logs env */
};

static const struct fixture fixtures[] = {
	{ "keras-full", F_HTML,
	  "<p>My CNN on MNIST does not learn. x_train has shape "
	  "<code>(60000, 28, 28, 1)</code>, dtype float32, scaled to "
	  "[0, 1].</p>\n"
	  "<pre><code>import tensorflow as tf\n"
	  "from tensorflow.keras import layers\n\n"
	  "model = tf.keras.Sequential([\n"
	  "    layers.Conv2D(32, (3, 3), activation='relu'),\n"
	  "    layers.Flatten(),\n"
	  "    layers.Dense(10, activation='softmax'),\n])\n"
	  "model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.01),\n"
	  "              loss='sparse_categorical_crossentropy')\n"
	  "model.fit(x_train, y_train, epochs=10, batch_size=32)\n"
	  "</code></pre>\n"
	  "<pre><code>Epoch 1/10\n"
	  "1875/1875 [==============================] - 12s 6ms/step - "
	  "loss: 2.3016 - accuracy: 0.1123\n</code></pre>\n"
	  "<p>TensorFlow 2.11, Python 3.8, CUDA 11.2 on Ubuntu 20.04.</p>",
	  { Y, Y, Y, Y, Y, Y } },
	{ "pytorch-traceback-only", F_HTML,
	  "<p>Training crashes with this error, what does it mean?</p>\n"
	  "<pre><code>Traceback (most recent call last):\n"
	  "  File \"train.py\", line 42, in &lt;module&gt;\n"
	  "    outputs = model(inputs)\n"
	  "  File \"/usr/lib/python3.10/site-packages/torch/nn/modules/module.py\", "
	  "line 1130, in _call_impl\n"
	  "    return forward_call(*input, **kwargs)\n"
	  "RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB\n"
	  "</code></pre>",
	  { N, N, N, N, Y, Y } },
	{ "progress-log-in-code-block", F_MD,
	  "Loss is stuck, here is the output:\n\n"
	  "```\nEpoch 1/20\n"
	  "469/469 [==============================] - 3s 6ms/step - loss: 0.6931 "
	  "- accuracy: 0.5012 - val_loss: 0.6932 - val_accuracy: 0.4988\n"
	  "Epoch 2/20\n"
	  "469/469 [==============================] - 3s 6ms/step - loss: 0.6931 "
	  "- accuracy: 0.5003\n```\n\nWhy does it not move?\n",
	  { N, N, N, N, Y, A } },
	{ "data-sample-in-code-block", F_MD,
	  "My dataframe looks like this:\n\n"
	  "```\n   price  beds  sqft  built\n"
	  "0  485000     3  2336   2004\n"
	  "1  430000     4  2106   2005\n"
	  "2  445000     3  1410   1999\n```\n\n"
	  "and the network predicts the same value for every row.\n",
	  { Y, N, N, N, N, N } },
	{ "prose-only", F_TEXT,
	  "My model does not work. I built a model and trained the model "
	  "but the results of the model are bad (see above). I get an error "
	  "when I run it. Can anyone help me with the learning rate?",
	  { N, N, N, N, N, N } },
	{ "inline-call-mention", F_HTML,
	  "<p>When I call <code>model.predict(x)</code> I get different "
	  "results than during training. Is <code>model.eval()</code> "
	  "needed in Keras?</p>",
	  { N, N, N, N, N, N } },
	{ "hyperparameters-prose", F_TEXT,
	  "I train a ResNet50 with a learning rate of 0.001, batch size 64 "
	  "for 150 epochs using SGD with momentum=0.9 and weight decay 1e-4.",
	  { N, Y, Y, N, N, N } },
	{ "model-definition", F_TEXT,
	  "import torch.nn as nn\n"
	  "class Net(nn.Module):\n"
	  "    def __init__(self):\n"
	  "        super().__init__()\n"
	  "        self.fc1 = nn.Linear(784, 128)\n"
	  "        self.fc2 = nn.Linear(128, 10)\n"
	  "    def forward(self, x):\n"
	  "        return self.fc2(torch.relu(self.fc1(x)))\n",
	  { N, Y, N, Y, N, N } },
	{ "exception-and-warning", F_TEXT,
	  "Calling fit prints\n"
	  "/usr/lib/python3.9/site-packages/keras/engine/training.py:1972: "
	  "UserWarning: `Model.fit_generator` is deprecated\n"
	  "and then\n"
	  "ValueError: Shapes (None, 1) and (None, 10) are incompatible\n",
	  { A, N, N, N, Y, Y } },
	{ "tf-cpp-log", F_TEXT,
	  "2023-01-05 10:11:12.123456: W tensorflow/core/common_runtime/bfc_allocator.cc:479] "
	  "Allocator (GPU_0_bfc) ran out of memory trying to allocate 1.2GiB\n",
	  { N, N, N, N, Y, N } },
	{ "generated-data", F_TEXT,
	  "x = np.random.rand(100, 5)\ny = np.random.randint(0, 2, size=(100,))\n"
	  "print(x.shape)",
	  { Y, N, N, Y, N, N } },
	{ "dataset-file", F_TEXT,
	  "I load train.csv with pandas and it has 1,200 rows and 14 columns.",
	  { Y, N, N, N, N, N } },
	{ "numbers-not-data", F_TEXT,
	  "It took 3 days (see above) and I tried versions 1.2 and 1.3 "
	  "(and 2 others).",
	  { N, N, N, N, N, N } },
	/* one-line reports, as flattened bodies arrive */
	{ "flat-keras-snippet", F_TEXT,
	  "I get nan loss. My code: model = Sequential() "
	  "model.add(Dense(1, input_dim=3)) model.compile(loss='mse', "
	  "optimizer='sgd') model.fit(X, y, epochs=100) What's wrong?",
	  { N, Y, Y, Y, N, N } },
	{ "flat-torch-snippet", F_TEXT,
	  "x = torch.randn(3, 4) y = x.view(-1, 2) print(y.shape)",
	  { Y, N, N, Y, N, N } },
	{ "flat-error-only", F_TEXT,
	  "When I run my script I get ImportError: cannot import name "
	  "'adam' from 'keras.optimizers'. I use keras 2.6. How to fix?",
	  { N, N, N, N, Y, Y } },
	{ "flat-inline-import", F_TEXT,
	  "After `import tensorflow as tf` I get an error about AVX.",
	  { N, N, N, N, N, N } },
	{ "flat-tf1-session", F_TEXT,
	  "with tf.Session() as sess: sess.run(tf.global_variables_initializer()) "
	  "for i in range(100): _, l = sess.run([train_op, loss], "
	  "feed_dict={x: X, y: Y})",
	  { N, N, N, Y, N, N } },
	{ "flat-xor-data", F_TEXT,
	  "X = np.array([[0,0],[0,1],[1,0],[1,1]]) y = np.array([0,1,1,0]) "
	  "model.fit(X, y)",
	  { Y, N, N, Y, N, N } },
	{ "flat-calls-in-prose", F_TEXT,
	  "I trained with model.fit(x_train, y_train) and evaluated with "
	  "model.evaluate(x_test, y_test) and the accuracy was 0.1.",
	  { N, N, N, N, N, N } },
	{ "english-model-and-import", F_TEXT,
	  "I import my data from a spreadsheet and the model class in my "
	  "project is called Foo; if I try: nothing happens.",
	  { A, N, N, N, N, N } },
};

/* Line breaks become spaces (glue 0) or vanish (glue 1). */
static char *
flatten_glue(const char *s, int glue)
{
	char *f = xstrdup(s), *p, *o;

	for (p = o = f; *p; p++)
		if (*p != '\n')
			*o++ = *p;
		else if (!glue)
			*o++ = ' ';
	*o = '\0';
	return f;
}


static void
to_doc(enum fmt fmt, const char *body, struct text_doc *doc)
{
	int rc;

	text_doc_init(doc);
	if (fmt == F_HTML)
		rc = text_from_html(body, strlen(body), doc);
	else if (fmt == F_MD)
		rc = text_from_markdown(body, strlen(body), doc);
	else
		rc = text_from_plain(body, strlen(body), doc);
	assert_int_equal(rc, DL_OK);
}

/* Spans lie in the text, on boundaries, and quote it exactly. */
static void
check_spans(const struct text_doc *doc, const struct infocat_result *res)
{
	int c;
	size_t i;

	for (c = 0; c < INFO__COUNT; c++) {
		const struct info_result *r = &res->r[c];

		if (!r->present)
			assert_int_equal(r->nspans, 0);
		else
			assert_true(r->nspans >= 1);
		assert_true(r->nspans <= 8);
		for (i = 0; i < r->nspans; i++) {
			const struct info_span *sp = &r->spans[i];
			size_t n = sp->end - sp->start;

			assert_true(sp->start < sp->end);
			assert_true(sp->end <= doc->len);
			assert_true(((unsigned char)doc->text[sp->start] & 0xc0)
				    != 0x80);
			assert_true(sp->end == doc->len ||
				    ((unsigned char)doc->text[sp->end] & 0xc0)
				    != 0x80);
			assert_non_null(sp->why);
			assert_non_null(sp->text);
			if (n <= 160) {
				assert_int_equal(strlen(sp->text), n);
				assert_memory_equal(sp->text,
						    doc->text + sp->start, n);
			} else {	/* a prefix plus an ellipsis */
				size_t q = strlen(sp->text);

				assert_true(q >= 3 && q - 3 <= 160);
				assert_memory_equal(sp->text + q - 3,
						    "\xe2\x80\xa6", 3);
				assert_memory_equal(sp->text,
						    doc->text + sp->start,
						    q - 3);
			}
			if (i > 0)	/* sorted and merged */
				assert_true(r->spans[i - 1].end < sp->start);
		}
	}
}

/* flat: 0 as written, 1 line breaks to spaces, 2 line breaks removed */
static void
run_fixture(const struct fixture *fx, int flat)
{
	struct text_doc doc;
	struct infocat_result res;
	char *body = flat ? flatten_glue(fx->body, flat == 2)
			  : xstrdup(fx->body);
	int c;

	to_doc(fx->fmt, body, &doc);
	if (flat) {
		/* what a flattened report really is: the text on one line */
		char *one = flatten_glue(doc.text, flat == 2);

		text_doc_done(&doc);
		to_doc(F_TEXT, one, &doc);
		free(one);
	}
	assert_int_equal(infocat_detect(&doc, NULL, NULL, 0, &res), DL_OK);
	check_spans(&doc, &res);
	for (c = 0; c < INFO__COUNT; c++) {
		if (fx->want[c] == A)
			continue;
		if (res.r[c].present != fx->want[c])
			fail_msg("%s%s: %s present=%d, want %d", fx->name,
				 flat == 2 ? " (glued)" : flat ? " (flattened)"
				 : "", infocat_id(c),
				 res.r[c].present, fx->want[c]);
	}
	infocat_result_done(&res);
	text_doc_done(&doc);
	free(body);
}

static void
test_fixtures(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(fixtures); i++)
		run_fixture(&fixtures[i], 0);
}

static void
test_fixtures_flattened(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(fixtures); i++)
		run_fixture(&fixtures[i], 1);
}

/* Line breaks dropped without a space: words run into each other. */
static void
test_fixtures_glued(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(fixtures); i++)
		run_fixture(&fixtures[i], 2);
}

/*
 * Layout-bound cases, not run flattened: a table in a code block is the
 * data (text columns or CSV too), a model.summary() is the model (and its
 * shapes are the layers', not the data's).
 */
static void
test_tables_and_summary(void **state)
{
	static const struct {
		const char *name, *md;
		int data, model, code;
	} cases[] = {
		{ "dataframe with text",
		  "My data:\n\n```\n   sepal_len  sepal_wid  species\n"
		  "0        5.1        3.5   setosa\n"
		  "1        4.9        3.0   setosa\n```\n", Y, N, N },
		{ "csv",
		  "Here is my CSV:\n\n```\nid,text,label\n1,hello world,0\n"
		  "2,goodbye,1\n```\n", Y, N, N },
		{ "tsv",
		  "```\nname\tage\tscore\nann\t31\t0.5\nbob\t27\t0.7\n```\n",
		  Y, N, N },
		{ "code is no table",
		  "```\nimport torch\nx = torch.zeros(3)\nprint(x)\n```\n",
		  N, A, Y },
		{ "one row is no table",
		  "```\nid,text,label\n1,hello world,0\n```\n", N, N, N },
		{ "model summary",
		  "Model summary:\n\n```\nModel: \"sequential\"\n"
		  "Layer (type)   Output Shape   Param #\n"
		  "dense (Dense)  (None, 64)  50240\n"
		  "dense_1 (Dense)  (None, 10)  650\n"
		  "Total params: 50,890\n```\n", N, Y, N },
		{ "two model summaries, before and after a change",
		  "Before:\n\n```\nModel: \"sequential\"\n"
		  "Layer (type)   Output Shape   Param #\n"
		  "dense (Dense)  (None, 64)  50240\n"
		  "Total params: 50,240\n```\n\nAfter adding a layer:\n\n"
		  "```\nModel: \"sequential_1\"\n"
		  "Layer (type)   Output Shape   Param #\n"
		  "lstm (LSTM)  (None, 100, 32)  4352\n"
		  "dense_1 (Dense)  (None, 100, 10)  330\n"
		  "Total params: 4,682\n```\n", N, Y, N },
	};
	struct text_doc doc;
	struct infocat_result res;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int want[3] = { cases[i].data, cases[i].model, cases[i].code };
		int cat[3] = { CAT_DATA, CAT_MODEL, CAT_CODE };

		to_doc(F_MD, cases[i].md, &doc);
		assert_int_equal(infocat_detect(&doc, NULL, NULL, 0, &res),
				 DL_OK);
		check_spans(&doc, &res);
		for (int k = 0; k < 3; k++)
			if (want[k] != A && res.r[cat[k]].present != want[k])
				fail_msg("%s: %s present=%d, want %d",
					 cases[i].name, infocat_id(cat[k]),
					 res.r[cat[k]].present, want[k]);
		infocat_result_done(&res);
		text_doc_done(&doc);
	}
}

/* One call in a code block is a snippet; the same call in prose is not. */
static void
test_one_line_code_block(void **state)
{
	struct text_doc doc;
	struct infocat_result res;

	(void)state;
	to_doc(F_HTML, "<p>I run</p><pre><code>model.fit(x, y, epochs=10)"
	       "</code></pre>", &doc);
	assert_int_equal(infocat_detect(&doc, NULL, NULL, 0, &res), DL_OK);
	check_spans(&doc, &res);
	assert_true(res.r[CAT_CODE].present);
	infocat_result_done(&res);
	text_doc_done(&doc);
	to_doc(F_HTML, "<p>I run <code>model.fit(x, y, epochs=10)</code> "
	       "as usual.</p>", &doc);
	assert_int_equal(infocat_detect(&doc, NULL, NULL, 0, &res), DL_OK);
	assert_false(res.r[CAT_CODE].present);
	infocat_result_done(&res);
	text_doc_done(&doc);
}

/* Find the span of category c whose text contains needle. */
static const struct info_span *
find_span(const struct infocat_result *res, int c, const char *needle)
{
	size_t i;

	for (i = 0; i < res->r[c].nspans; i++)
		if (strstr(res->r[c].spans[i].text, needle))
			return &res->r[c].spans[i];
	return NULL;
}

static void
detect_plain(const char *s, struct text_doc *doc, struct infocat_result *res)
{
	to_doc(F_TEXT, s, doc);
	assert_int_equal(infocat_detect(doc, NULL, NULL, 0, res), DL_OK);
	check_spans(doc, res);
}

static void
test_evidence_is_precise(void **state)
{
	struct text_doc doc;
	struct infocat_result res;
	const struct info_span *sp;

	(void)state;
	detect_plain("Input is torch.Size([32, 3, 224, 224]) and I use "
		     "lr=0.001 with Adam. Env: torch 1.13.1, Python 3.8.",
		     &doc, &res);
	sp = find_span(&res, CAT_DATA, "Size");
	assert_non_null(sp);
	assert_string_equal(sp->text, "torch.Size([32, 3, 224, 224])");
	sp = find_span(&res, CAT_HYPERPARAMETERS, "lr");
	assert_non_null(sp);
	assert_string_equal(sp->text, "lr=0.001");
	assert_non_null(find_span(&res, CAT_HYPERPARAMETERS, "Adam"));
	assert_non_null(find_span(&res, INFO_ENVIRONMENT, "torch 1.13.1"));
	assert_non_null(find_span(&res, INFO_ENVIRONMENT, "Python 3.8"));
	assert_string_equal(res.framework, "pytorch");
	infocat_result_done(&res);
	text_doc_done(&doc);
}

static void
test_shapes(void **state)
{
	static const char *const yes[] = {
		"The array is (300, 5, 720) after reshaping.",
		"model input shape=(None, 28, 28, 1)",
		"with input shapes: [?,2], [?,32,32] and",
		"x has shape (128, 64)",
		"values in the range [60, 70] only",
	};
	static const char *const no[] = {
		"(see above)",
		"kernel_size=(3, 3), strides=(2, 2)",
		"f(1, 2) and g(3, 4)",
		"It happened (twice, 2 times) yesterday",
		"version (1.13.1)",
	};
	struct text_doc doc;
	struct infocat_result res;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		detect_plain(yes[i], &doc, &res);
		if (!res.r[CAT_DATA].present)
			fail_msg("no data found in '%s'", yes[i]);
		infocat_result_done(&res);
		text_doc_done(&doc);
	}
	for (i = 0; i < ARRAY_SIZE(no); i++) {
		detect_plain(no[i], &doc, &res);
		if (res.r[CAT_DATA].present)
			fail_msg("data found in '%s'", no[i]);
		infocat_result_done(&res);
		text_doc_done(&doc);
	}
}

static void
test_environment(void **state)
{
	static const char *const yes[] = {
		"tensorflow==2.11", "CUDA 11.7", "Ubuntu 20.04",
		"cuDNN 8.1.0", "Keras version 2.2.4", "Windows 10",
		"on Google Colab", "a GTX 1080 Ti", "torch 1.8.0+cu111",
		"torch.__version__ = '1.8.0'", "pip install tensorflow==2.4.1",
		"I use tf.keras 2.4 on a laptop",
	};
	static const char *const no[] = {
		"I use tensorflow and 2 GPUs", "import torch.nn as nn",
		"pytorch is great", "windows and doors",
		/* module paths: an argument or a layer count, no version */
		"tf.keras.layers 2 times", "x.keras 2.4", "my.tf.keras 2.4",
	};
	struct text_doc doc;
	struct infocat_result res;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		detect_plain(yes[i], &doc, &res);
		if (!res.r[INFO_ENVIRONMENT].present)
			fail_msg("no environment in '%s'", yes[i]);
		infocat_result_done(&res);
		text_doc_done(&doc);
	}
	for (i = 0; i < ARRAY_SIZE(no); i++) {
		detect_plain(no[i], &doc, &res);
		if (res.r[INFO_ENVIRONMENT].present)
			fail_msg("environment in '%s'", no[i]);
		infocat_result_done(&res);
		text_doc_done(&doc);
	}
	/* the evidence quotes the whole name */
	detect_plain("with tf.keras 2.4 it fails", &doc, &res);
	assert_non_null(find_span(&res, INFO_ENVIRONMENT, "tf.keras 2.4"));
	infocat_result_done(&res);
	text_doc_done(&doc);
}

/*
 * PyTorch's collect_env, the Versions section of its issue template:
 * each version goes to what it is the version of.
 */
static void
test_environment_collect_env(void **state)
{
	static const char *const report =
		"PyTorch version: 2.0.1+cu117\n"
		"CUDA used to build PyTorch: 11.7\n"
		"ROCM used to build PyTorch: N/A\n"
		"OS: Ubuntu 22.04.2 LTS (x86_64)\n"
		"GCC version: (Ubuntu 11.3.0-1ubuntu1~22.04.1) 11.3.0\n"
		"Is CUDA available: True\n"
		"CUDA runtime version: 11.7.99\n";
	struct text_doc doc;
	struct infocat_result res;
	const struct info_result *env;

	(void)state;
	detect_plain(report, &doc, &res);
	env = &res.r[INFO_ENVIRONMENT];
	assert_non_null(find_span(&res, INFO_ENVIRONMENT,
				  "PyTorch version: 2.0.1+cu117"));
	assert_non_null(find_span(&res, INFO_ENVIRONMENT,
				  "CUDA used to build PyTorch: 11.7"));
	assert_non_null(find_span(&res, INFO_ENVIRONMENT,
				  "CUDA runtime version: 11.7.99"));
	assert_non_null(find_span(&res, INFO_ENVIRONMENT, "Ubuntu 22.04.2"));
	for (size_t k = 0; k < env->nspans; k++) {
		/* 11.7 is CUDA's, 11.3.0 a compiler package's */
		if (strcmp(env->spans[k].text, "PyTorch: 11.7") == 0 ||
		    strstr(env->spans[k].text, "Ubuntu 11") != NULL)
			fail_msg("'%s' taken as %s", env->spans[k].text,
				 env->spans[k].why);
	}
	infocat_result_done(&res);
	text_doc_done(&doc);
	/* a release is YY.04 or YY.10 */
	detect_plain("Ubuntu 11.3.0 and Ubuntu 20.1", &doc, &res);
	assert_false(res.r[INFO_ENVIRONMENT].present);
	infocat_result_done(&res);
	text_doc_done(&doc);
}

static void
test_framework(void **state)
{
	static const char *const pt_tags[] = { "python", "pytorch" };
	static const char *const k_tags[] = { "keras", "tensorflow" };
	struct text_doc doc;
	struct infocat_result res;

	(void)state;
	to_doc(F_TEXT, "nothing to see", &doc);
	assert_int_equal(infocat_detect(&doc, NULL, NULL, 0, &res), DL_OK);
	assert_null(res.framework);
	infocat_result_done(&res);
	assert_int_equal(infocat_detect(&doc, "Why does tf.function retrace?",
					NULL, 0, &res), DL_OK);
	assert_string_equal(res.framework, "tensorflow");
	infocat_result_done(&res);
	assert_int_equal(infocat_detect(&doc, NULL, pt_tags, 2, &res), DL_OK);
	assert_string_equal(res.framework, "pytorch");
	infocat_result_done(&res);
	text_doc_done(&doc);

	/* both tags: the text decides; standalone Keras imports say keras */
	to_doc(F_TEXT, "from keras.models import Sequential", &doc);
	assert_int_equal(infocat_detect(&doc, NULL, k_tags, 2, &res), DL_OK);
	assert_string_equal(res.framework, "keras");
	infocat_result_done(&res);
	text_doc_done(&doc);
	to_doc(F_TEXT, "model = tf.keras.Sequential()", &doc);
	assert_int_equal(infocat_detect(&doc, NULL, k_tags, 2, &res), DL_OK);
	assert_string_equal(res.framework, "tensorflow");
	infocat_result_done(&res);
	text_doc_done(&doc);
}

static void
test_empty_and_ids(void **state)
{
	struct text_doc doc;
	struct infocat_result res;
	int c;

	(void)state;
	text_doc_init(&doc);
	assert_int_equal(infocat_detect(&doc, NULL, NULL, 0, &res), DL_OK);
	for (c = 0; c < INFO__COUNT; c++)
		assert_false(res.r[c].present);
	infocat_result_done(&res);
	infocat_result_done(NULL);
	assert_string_equal(infocat_id(CAT_DATA), "data");
	assert_string_equal(infocat_id(CAT_CODE), "code");
	assert_string_equal(infocat_id(INFO_ENVIRONMENT), "environment");
	assert_null(infocat_id(INFO__COUNT));
}

/* At most 8 spans, even when the evidence repeats a thousand times. */
static void
test_many_spans(void **state)
{
	struct strbuf sb;
	struct text_doc doc;
	struct infocat_result res;
	int i, c;

	(void)state;
	sb_init(&sb);
	for (i = 0; i < 1000; i++)
		sb_addf(&sb, "ValueError: bad %d\nshape (%d, 3, 3) lr=0.%d "
			"Conv2d(3, 8) x = foo(%d)\n", i, i + 1, i, i);
	detect_plain(sb.s, &doc, &res);
	for (c = 0; c < INFO__COUNT; c++)
		assert_true(res.r[c].nspans <= 8);
	assert_true(res.r[CAT_LOGS].present);
	infocat_result_done(&res);
	text_doc_done(&doc);
	sb_done(&sb);
}

/*
 * Hostile reports whose scans once went back to the text's start from
 * every hit (minutes for a megabyte; linear now, so each returns at
 * once).  Measured by bench/scaling.sh; here only the answers are checked.
 */
static void
test_linear_smoke(void **state)
{
	static const char *const units[] = {
		/* chain_start from every link of one dotted chain */
		"keras.", "a.keras.",
	};
	struct strbuf sb;
	struct text_doc doc;
	struct infocat_result res;
	size_t u;
	int c;

	(void)state;
	for (u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
		sb_init(&sb);
		while (sb.len < (1u << 20))
			sb_adds(&sb, units[u]);
		detect_plain(sb.s, &doc, &res);
		for (c = 0; c < INFO__COUNT; c++) {
			assert_true(res.r[c].nspans <= 8);
			for (size_t k = 0; k < res.r[c].nspans; k++)
				assert_true(res.r[c].spans[k].end <= sb.len);
		}
		infocat_result_done(&res);
		text_doc_done(&doc);
		sb_done(&sb);
	}
}

/*
 * tf.data's batch(N) on a dataset is the batch size (found by the third
 * held-out set); a batch() that is not a method, or without a number,
 * is not.
 */
static void
test_dataset_batch(void **state)
{
	static const struct {
		const char *text;
		int want;
	} cases[] = {
		{ "ds = ds.shuffle(1000).batch(32).prefetch(2)", 1 },
		{ "train_ds.batch(batch_size=64)", 1 },
		{ "train = train.batch(16, drop_remainder=True)", 1 },
		{ "x.batch(n)", 0 },
		{ "batch(32) alone", 0 },
		{ "ds.batch(BATCH)", 0 },
	};
	struct text_doc doc;
	struct infocat_result res;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		detect_plain(cases[i].text, &doc, &res);
		if (res.r[CAT_HYPERPARAMETERS].present != cases[i].want)
			fail_msg("'%s': batch size %s", cases[i].text,
				 cases[i].want ? "not found" : "found");
		infocat_result_done(&res);
		text_doc_done(&doc);
	}
	detect_plain("ds = ds.batch(32)", &doc, &res);
	assert_non_null(find_span(&res, CAT_HYPERPARAMETERS, "batch(32)"));
	infocat_result_done(&res);
	text_doc_done(&doc);
}

/*
 * Keywords are found in any case and at any length (the lookup compares
 * eight bytes at a time, with a different path for a word too near the
 * end of the text to load eight bytes), and a keyword with one byte more
 * is not one.
 */
static void
test_keyword_lengths(void **state)
{
	static const struct {
		const char *text;
		int cat, want;
	} cases[] = {
		{ "LR=0.1", CAT_HYPERPARAMETERS, 1 },
		{ "LRs=0.1", CAT_HYPERPARAMETERS, 0 },
		{ "We use Momentum: 0.9 here", CAT_HYPERPARAMETERS, 1 },
		{ "We use momentums: 0.9 here", CAT_HYPERPARAMETERS, 0 },
		{ "VALIDATION_SPLIT=0.2", CAT_HYPERPARAMETERS, 1 },
		{ "validation_splits=0.2", CAT_HYPERPARAMETERS, 0 },
		{ "loss is SparseCategoricalCrossEntropy", CAT_HYPERPARAMETERS,
		  1 },
		{ "loss is SparseCategoricalCrossEntropyX",
		  CAT_HYPERPARAMETERS, 0 },
		{ "a BatchNormalization(axis=1) layer", CAT_MODEL, 1 },
		{ "a BatchNormalizations(axis=1) layer", CAT_MODEL, 0 },
		{ "the optimizer is Adam", CAT_HYPERPARAMETERS, 1 },
		{ "the optimiser is Adamx", CAT_HYPERPARAMETERS, 0 },
		{ "SGD", CAT_HYPERPARAMETERS, 1 },
	};
	struct text_doc doc;
	struct infocat_result res;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		detect_plain(cases[i].text, &doc, &res);
		if (res.r[cases[i].cat].present != cases[i].want)
			fail_msg("'%s': %s %s", cases[i].text,
				 infocat_id(cases[i].cat),
				 cases[i].want ? "not found" : "found");
		infocat_result_done(&res);
		text_doc_done(&doc);
	}
}

/*
 * A detector rule's case: the text (in its format), the category and
 * whether it is present; line_breaks: the rule needs the text's line
 * breaks, so the case is not also run flattened onto one line.
 */
struct rule_case {
	enum fmt fmt;
	const char *text;
	int cat, want, line_breaks;
};

static void
check_rule_cases(const struct rule_case *cases, size_t n)
{
	struct text_doc doc;
	struct infocat_result res;

	for (size_t i = 0; i < n; i++)
		for (int flat = 0; flat <= !cases[i].line_breaks; flat++) {
			char *one;

			to_doc(cases[i].fmt, cases[i].text, &doc);
			if (flat) {
				one = flatten_glue(doc.text, 0);
				text_doc_done(&doc);
				to_doc(F_TEXT, one, &doc);
				free(one);
			}
			assert_int_equal(infocat_detect(&doc, NULL, NULL, 0,
							&res), DL_OK);
			check_spans(&doc, &res);
			if (res.r[cases[i].cat].present != cases[i].want)
				fail_msg("'%s'%s: %s %s", cases[i].text,
					 flat ? " (flattened)" : "",
					 infocat_id(cases[i].cat),
					 cases[i].want ? "not found" : "found");
			infocat_result_done(&res);
			text_doc_done(&doc);
		}
}

/*
 * Rules found by the held-out reports (tests/fixtures/heldout, measured by
 * bench/heldout.py), each with a case it must catch, one it must leave
 * and a look-alike; every case also runs with its line breaks flattened.
 */
static void
test_heldout_rules(void **state)
{
	static const struct rule_case cases[] = {
		/* a size said of the images is the data's */
		{ F_TEXT, "I train on RGB images of 512x512 and it runs out "
		  "of memory.", CAT_DATA, 1, 0 },
		{ F_TEXT, "The inputs are 224x224 images in ten folders.",
		  CAT_DATA, 1, 0 },
		{ F_TEXT, "The first layer uses a 5x5 window and I cannot "
		  "see why it is slow.", CAT_DATA, 0, 0 },
		{ F_TEXT, "I blur the images with a 3x3 kernel before "
		  "training.", CAT_DATA, 0, 0 },
		/* "ERROR: ..." and "WARNING: ..." lines of pip and others */
		{ F_MD, "```\n$ pip install tensorflow==1.15\nERROR: Could not "
		  "find a version that satisfies the requirement\n```\n",
		  CAT_LOGS, 1, 0 },
		{ F_TEXT, "WARNING: You are using pip version 21.0; however, "
		  "version 23.1 is available.", CAT_LOGS, 1, 0 },
		{ F_TEXT, "There is no ERROR column in my data, just values.",
		  CAT_LOGS, 0, 0 },
		{ F_MD, "```\nif missing:\n    print('ERROR: the file is "
		  "missing')\n```\n", CAT_LOGS, 0, 0 },
		/* a training loop's own progress prints */
		{ F_TEXT, "epoch 1 loss 0.6931 epoch 2 loss 0.5123", CAT_LOGS,
		  1, 0 },
		{ F_TEXT, "Epoch 3, d_loss: 0.0213, g_loss: 5.8811", CAT_LOGS,
		  1, 0 },
		{ F_TEXT, "after epoch 3 the loss is 0.5 and then it stops",
		  CAT_LOGS, 0, 0 },
		{ F_TEXT, "for epoch 5 loss went down to 0.3, at epoch 2 "
		  "accuracy 90", CAT_LOGS, 0, 0 },
		/* layer kinds named in prose */
		{ F_TEXT, "a small CNN with BatchNorm after every convolution",
		  CAT_MODEL, 1, 0 },
		{ F_TEXT, "three convolutional layers and a dense head",
		  CAT_MODEL, 1, 0 },
		{ F_TEXT, "The convolution of two signals in numpy is slow.",
		  CAT_MODEL, 0, 0 },
		{ F_TEXT, "is batchnorm applied at inference time?", CAT_MODEL,
		  0, 0 },
		/* Keras's directory generators report what they found */
		{ F_TEXT, "Found 2000 images belonging to 2 classes.", CAT_LOGS,
		  1, 0 },
		{ F_TEXT, "Found 0 files belonging to 0 classes.", CAT_LOGS, 1,
		  0 },
		{ F_TEXT, "I have 2000 images in two folders.", CAT_LOGS, 0,
		  0 },
		{ F_TEXT, "I found 2000 images belonging to two folders, and "
		  "Found 3 images in the folder", CAT_LOGS, 0, 0 },
		{ F_TEXT, "The flag notFound 3 images belonging to the set "
		  "is wrong.", CAT_LOGS, 0, 0 },
		/* an import in a string is a shell command's, not code */
		{ F_MD, "```\nimport torch\nx = torch.zeros(3)\n"
		  "print(x.shape)\n```\n", CAT_CODE, 1, 0 },
		{ F_MD, "```\n$ python -c \"import torch\"\n```\n", CAT_CODE,
		  0, 0 },
		{ F_MD, "```\n$ python -c \"import tensorflow as tf; "
		  "print(tf.__version__)\"\n```\n", CAT_CODE, 0, 0 },
		/* tensor operations named like layers */
		{ F_TEXT, "net = tf.layers.flatten(x)", CAT_MODEL, 1, 0 },
		{ F_TEXT, "merged = layers.concatenate([a, b])", CAT_MODEL, 1,
		  0 },
		{ F_TEXT, "y = x.reshape(3, 4)\nz = torch.flatten(y, 1)",
		  CAT_MODEL, 0, 0 },
		{ F_TEXT, "out = np.concatenate([a, b])", CAT_MODEL, 0, 0 },
		/* a notebook cell's result is printed output */
		{ F_TEXT, "In [4]: head(feats).shape\nOut[4]: "
		  "torch.Size([16, 10])", CAT_LOGS, 1, 0 },
		{ F_TEXT, "The output is wrong.", CAT_LOGS, 0, 0 },
		{ F_TEXT, "Out[4] is not what I expected, and out[0]: the "
		  "first element", CAT_LOGS, 0, 0 },
		{ F_TEXT, "The array checkOut[4]: is the last value.",
		  CAT_LOGS, 0, 0 },
	};

	(void)state;
	check_rule_cases(cases, ARRAY_SIZE(cases));
}

/*
 * An error quoted as inline code in a sentence ends with the code: the
 * sentence after it still gives the data, the model and the settings.
 */
static void
test_inline_log_ends_with_code(void **state)
{
	static const char *const posts[][2] = {
		{"<p>I get <code>RuntimeError: CUDA out of memory</code> when "
		 "training a UNet on 512x512 images with a batch size of 16.</p>",
		 "RuntimeError: CUDA out of memory"},
		{"I get `ValueError: shapes mismatch` when training a UNet on "
		 "512x512 images with a batch size of 16.\n",
		 "ValueError: shapes mismatch"},
	};
	struct text_doc doc;
	struct infocat_result res;

	(void)state;
	for (size_t i = 0; i < sizeof posts / sizeof posts[0]; i++) {
		to_doc(i == 0 ? F_HTML : F_MD, posts[i][0], &doc);
		assert_int_equal(infocat_detect(&doc, NULL, NULL, 0, &res),
				 DL_OK);
		check_spans(&doc, &res);
		assert_true(res.r[CAT_LOGS].present);
		assert_string_equal(res.r[CAT_LOGS].spans[0].text,
				    posts[i][1]);
		assert_true(res.r[CAT_DATA].present);
		assert_true(res.r[CAT_MODEL].present);
		assert_non_null(find_span(&res, CAT_HYPERPARAMETERS,
					  "batch size of 16"));
		infocat_result_done(&res);
		text_doc_done(&doc);
	}
}

/*
 * A long traceback repeats "python3.9" in every frame's path: one place
 * for a text, so the versions said after it are still among the spans.
 */
static void
test_repeated_evidence_once(void **state)
{
	struct strbuf sb;
	struct text_doc doc;
	struct infocat_result res;
	const struct info_result *env;

	(void)state;
	sb_init(&sb);
	sb_adds(&sb, "Saving fails:\n\nTraceback (most recent call last):\n");
	for (int i = 0; i < 30; i++)
		sb_addf(&sb, "  File \"/opt/conda/lib/python3.9/site-packages/"
			"keras/saving/utils.py\", line %d, in _serialize\n"
			"    return serialize(obj)\n", 200 + i);
	sb_adds(&sb, "RecursionError: maximum recursion depth exceeded\n\n"
		     "I use tensorflow 2.6.0 and keras 2.6.0.\n");
	detect_plain(sb.s, &doc, &res);
	env = &res.r[INFO_ENVIRONMENT];
	assert_true(env->present);
	for (size_t i = 0; i < env->nspans; i++)
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(env->spans[i].text,
						env->spans[k].text);
	assert_non_null(find_span(&res, INFO_ENVIRONMENT, "tensorflow 2.6.0"));
	infocat_result_done(&res);
	text_doc_done(&doc);
	sb_done(&sb);
}

/*
 * Rules found by the second held-out set (tests/fixtures/heldout2), each
 * with look-alikes that must not change (a rule that needs line breaks
 * says so with line_breaks 1).
 */
static void
test_heldout2_rules(void **state)
{
	static const struct rule_case cases[] = {
		/* NCCL_DEBUG output and glog-style lines are logs */
		{ F_MD, "```\nnode01:2212:2212 [0] NCCL INFO Bootstrap : "
		  "Using eth0:10.0.0.5<0>\n```\n", CAT_LOGS, 1, 0 },
		{ F_MD, "```\nnode01:2212:2240 [0] misc/shmutils.cc:72 NCCL "
		  "WARN Error: failed to extend /dev/shm/nccl-Fz1x0a\n```\n",
		  CAT_LOGS, 1, 0 },
		{ F_MD, "```\n[E ProcessGroupNCCL.cpp:475] [Rank 0] Watchdog "
		  "caught collective operation timeout\n```\n", CAT_LOGS, 1, 0 },
		{ F_TEXT, "[W socket.cpp:601] [c10d] The client socket has "
		  "failed to connect.", CAT_LOGS, 1, 0 },
		{ F_MD, "```\nE0123 12:34:56.789012  1234 file.cc:56] Check "
		  "failed: status.ok()\n```\n", CAT_LOGS, 1, 0 },
		{ F_TEXT, "I0610 08:01:02.5 77 tpu/driver.cc:9] Initialized",
		  CAT_LOGS, 1, 0 },
		{ F_TEXT, "I set NCCL INFO level with NCCL_DEBUG=INFO but "
		  "see nothing.", CAT_LOGS, 0, 0 },
		{ F_TEXT, "The answer [E] is marked, see [W 3] and [I] in "
		  "the list.", CAT_LOGS, 0, 0 },
		{ F_TEXT, "Jupyter says [I 10:32:12.345 NotebookApp] "
		  "Kernel started", CAT_LOGS, 0, 0 },
		{ F_TEXT, "Part E0123 of the order ships on 12:30 from "
		  "bay 4.", CAT_LOGS, 0, 0 },
		/* a warning's echoed source line is the log's */
		{ F_MD, "```\n/usr/lib/python3.10/site-packages/torch/optim/"
		  "lr_scheduler.py:139: UserWarning: Detected call of "
		  "`lr_scheduler.step()` before `optimizer.step()`.\n"
		  "  warnings.warn(\"Detected call of `lr_scheduler.step()` "
		  "before `optimizer.step()`. \")\n```\n", CAT_CODE, 0, 1 },
		{ F_MD, "```\nimport warnings\n\ndef check(x):\n    if x < 0:\n"
		  "        warnings.warn(\"negative input\", UserWarning)\n"
		  "    return x\n```\n", CAT_CODE, 1, 0 },
		{ F_MD, "```\ntrain.py:3: UserWarning: old API\nimport torch\n"
		  "x = torch.zeros(3)\nprint(x.sum())\n```\n", CAT_CODE, 1, 1 },
		/* a parameter's shape is not the data's */
		{ F_MD, "```\nRuntimeError: Error(s) in loading state_dict for "
		  "Net:\n\tsize mismatch for classifier.weight: copying a param "
		  "with shape torch.Size([3, 768]) from checkpoint, the shape "
		  "in current model is torch.Size([2, 768]).\n```\n", CAT_DATA,
		  0, 0 },
		{ F_TEXT, "Layer weight shape (3, 3, 64, 128) not compatible "
		  "with provided weight shape (3, 3, 32, 128)", CAT_DATA, 0, 0 },
		{ F_TEXT, "for k, v in sd.items() prints fc.weight "
		  "torch.Size([10, 512])", CAT_DATA, 0, 0 },
		{ F_TEXT, "x.shape is torch.Size([64, 3, 224, 224]) before "
		  "the first layer.", CAT_DATA, 1, 0 },
		{ F_TEXT, "I load the weights, then feed an input of shape "
		  "(32, 3, 224, 224).", CAT_DATA, 1, 0 },
		{ F_TEXT, "The model in my script is fed batches of shape "
		  "(16, 128) every step.", CAT_DATA, 1, 0 },
	};

	(void)state;
	check_rule_cases(cases, ARRAY_SIZE(cases));
}

/* Found by fuzz_infocat: a span cut by a byte cap inside a character. */
static void
test_span_boundaries(void **state)
{
	struct strbuf sb;
	struct text_doc doc;
	struct infocat_result res;
	int i, k;

	(void)state;
	for (k = 0; k < 4; k++) {
		sb_init(&sb);
		for (i = 0; i < k; i++)
			sb_addc(&sb, 'x');
		sb_adds(&sb, "Total params: ");
		for (i = 0; i < 60; i++)
			sb_adds(&sb, "\xc3\xa9\xe2\x82\xac");
		sb_adds(&sb, "\nValueError: ");
		for (i = 0; i < 100; i++)
			sb_adds(&sb, "\xf0\x9f\x98\x80");
		detect_plain(sb.s, &doc, &res);	/* checks every span */
		assert_true(res.r[CAT_LOGS].present);
		infocat_result_done(&res);
		text_doc_done(&doc);
		sb_done(&sb);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_fixtures_flattened),
		cmocka_unit_test(test_fixtures_glued),
		cmocka_unit_test(test_tables_and_summary),
		cmocka_unit_test(test_one_line_code_block),
		cmocka_unit_test(test_evidence_is_precise),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_environment),
		cmocka_unit_test(test_environment_collect_env),
		cmocka_unit_test(test_dataset_batch),
		cmocka_unit_test(test_framework),
		cmocka_unit_test(test_empty_and_ids),
		cmocka_unit_test(test_many_spans),
		cmocka_unit_test(test_linear_smoke),
		cmocka_unit_test(test_span_boundaries),
		cmocka_unit_test(test_inline_log_ends_with_code),
		cmocka_unit_test(test_repeated_evidence_once),
		cmocka_unit_test(test_keyword_lengths),
		cmocka_unit_test(test_heldout_rules),
		cmocka_unit_test(test_heldout2_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
