/*
 * infocat.c - the information-category detectors: does a report carry its
 * data, model, hyperparameters, code, logs and environment, and where.
 *
 * One hand-written pass over the sanitised text tokenises words, numbers and
 * brackets; words are looked up in one keyword table whose entries name the
 * check to run at that spot (a value after "lr", a version after "CUDA", a
 * "File ..., line N" frame).  A second step turns the collected marks into
 * log regions (tracebacks and error lines), drops code-looking marks inside
 * them (a traceback quotes source lines), clusters the remaining code marks
 * into snippets, and scores each category.  Nothing depends on line breaks:
 * reports often arrive with code and logs flattened onto one line.  The
 * pass is linear in the text and allocation-light, so it stays cheap beside
 * the HTML parse (see bench/analysis-bench.c).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "dlrepro/infocat.h"
#include "dlrepro/util.h"

#define MAX_SPANS 8		/* evidence spans kept per category */
#define QUOTE_MAX 160		/* bytes of quoted text per span */
#define CODE_GAP 48		/* bytes between marks of one snippet */
#define FRAME_GAP 800		/* bytes between frames of one traceback */

/* ---- character classes ---- */

enum { C_WORD = 1, C_ALPHA = 2, C_DIGIT = 4, C_SPACE = 8, C_UPPER = 16,
       C_TRIGGER = 32,	/* ( [ . > - < @ start a check */
       C_CODEY = 64 };	/* ( = [ after a word make it look like code */

static unsigned char cclass[256];
static unsigned char bracket_byte[256];	/* ()[]{}'" for match_close */
static unsigned char numsep[256];	/* between numbers of a run */

static void
cclass_init(void)
{
	int c;

	for (c = 0; c < 256; c++) {
		unsigned char k = 0;

		if (c >= '0' && c <= '9')
			k |= C_WORD | C_DIGIT;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    c == '_')
			k |= C_WORD | C_ALPHA;
		if (c >= 'A' && c <= 'Z')
			k |= C_UPPER;
		if (c == ' ' || c == '\t')
			k |= C_SPACE;
		if (c && strchr("([.>-<@", c))
			k |= C_TRIGGER;
		if (c && strchr("(=[", c))
			k |= C_CODEY;
		cclass[c] = k;
		bracket_byte[c] = c && strchr("()[]{}'\"", c) ? 1 : 0;
		numsep[c] = c && strchr(" \t\n,;|[]", c) ? 1 : 0;
	}
}

#define IS(c, k) (cclass[(unsigned char)(c)] & (k))

/* ---- keyword table ---- */

enum kw {
	KW_NONE,
	/* code */
	KW_IMPORT, KW_FROM, KW_DEF, KW_CLASS, KW_RETURN, KW_FOR, KW_WHILE,
	KW_IF, KW_ELSE, KW_TRY, KW_EXCEPT, KW_WITH, KW_LAMBDA, KW_SELF,
	KW_JSDECL,
	/* logs */
	KW_TRACEBACK, KW_FILE, KW_EPOCH, KW_METRIC, KW_LOSS, KW_LOGLEVEL,
	KW_CUDA, KW_OOM, KW_SEGMENTATION, KW_CORE, KW_NCCL,
	/* data */
	KW_DTYPE, KW_DTYPE_WORD, KW_DATASET, KW_DATALOAD, KW_DATAGEN,
	KW_SHAPEWORD, KW_UNIT_DATA, KW_DATAFRAME,
	/* model */
	KW_LAYER, KW_LAYER_GENERIC, KW_ARCH, KW_ARCH_GENERIC, KW_ACT,
	KW_ACTIVATION, KW_LAYERWORD, KW_HIDDEN, KW_UNIT_MODEL, KW_MODELDEF,
	KW_MODULE, KW_MODEL, KW_PRETRAINED, KW_PARAMS, KW_INPUTSHAPE,
	/* hyperparameters */
	KW_HP, KW_LEARNING, KW_BATCH, KW_WEIGHT, KW_OPT, KW_OPTIMIZER,
	KW_LOSSNAME, KW_EPOCHS, KW_DROPOUT,
	/* environment */
	KW_ENV, KW_ENV_LOOSE, KW_GPU, KW_COLAB,
};

enum fw { FW_NONE, FW_TORCH, FW_TF, FW_KERAS };

struct kw_entry {
	const char *word;	/* lower case */
	unsigned char id;
	unsigned char fw;
	const char *label;	/* for "why" and the version check */
};

static const struct kw_entry kw_list[] = {
	/* code */
	{ "import", KW_IMPORT, 0, NULL }, { "from", KW_FROM, 0, NULL },
	{ "def", KW_DEF, 0, NULL }, { "class", KW_CLASS, 0, NULL },
	{ "return", KW_RETURN, 0, NULL }, { "for", KW_FOR, 0, NULL },
	{ "while", KW_WHILE, 0, NULL }, { "if", KW_IF, 0, NULL },
	{ "elif", KW_IF, 0, NULL }, { "else", KW_ELSE, 0, NULL },
	{ "try", KW_TRY, 0, NULL }, { "except", KW_EXCEPT, 0, NULL },
	{ "with", KW_WITH, 0, NULL }, { "lambda", KW_LAMBDA, 0, NULL },
	{ "self", KW_SELF, 0, NULL }, { "const", KW_JSDECL, 0, NULL },
	{ "let", KW_JSDECL, 0, NULL }, { "var", KW_JSDECL, 0, NULL },
	/* logs */
	{ "traceback", KW_TRACEBACK, 0, NULL }, { "file", KW_FILE, 0, NULL },
	{ "epoch", KW_EPOCH, 0, NULL }, { "step", KW_EPOCH, 0, NULL },
	{ "iter", KW_EPOCH, 0, NULL }, { "iteration", KW_EPOCH, 0, NULL },
	{ "acc", KW_METRIC, 0, NULL }, { "accuracy", KW_METRIC, 0, NULL },
	{ "val_acc", KW_METRIC, 0, NULL },
	{ "val_accuracy", KW_METRIC, 0, NULL },
	{ "mae", KW_METRIC, 0, NULL }, { "val_mae", KW_METRIC, 0, NULL },
	{ "mse", KW_METRIC, 0, NULL }, { "val_mse", KW_METRIC, 0, NULL },
	{ "auc", KW_METRIC, 0, NULL }, { "rmse", KW_METRIC, 0, NULL },
	{ "precision", KW_METRIC, 0, NULL }, { "recall", KW_METRIC, 0, NULL },
	{ "perplexity", KW_METRIC, 0, NULL }, { "eta", KW_METRIC, 0, NULL },
	{ "loss", KW_LOSS, 0, NULL }, { "val_loss", KW_LOSS, 0, NULL },
	{ "train_loss", KW_LOSS, 0, NULL }, { "test_loss", KW_LOSS, 0, NULL },
	{ "warning", KW_LOGLEVEL, 0, NULL }, { "info", KW_LOGLEVEL, 0, NULL },
	{ "error", KW_LOGLEVEL, 0, NULL }, { "cuda", KW_CUDA, 0, "CUDA" },
	{ "oom", KW_OOM, 0, NULL },
	{ "segmentation", KW_SEGMENTATION, 0, NULL },
	{ "core", KW_CORE, 0, NULL }, { "nccl", KW_NCCL, 0, NULL },
	/* data */
	{ "float16", KW_DTYPE, 0, NULL }, { "float32", KW_DTYPE, 0, NULL },
	{ "float64", KW_DTYPE, 0, NULL }, { "bfloat16", KW_DTYPE, 0, NULL },
	{ "int8", KW_DTYPE, 0, NULL }, { "int16", KW_DTYPE, 0, NULL },
	{ "int32", KW_DTYPE, 0, NULL }, { "int64", KW_DTYPE, 0, NULL },
	{ "uint8", KW_DTYPE, 0, NULL }, { "float", KW_DTYPE_WORD, 0, NULL },
	{ "dtype", KW_DTYPE_WORD, 0, NULL },
	{ "dtypes", KW_DTYPE_WORD, 0, NULL },
	{ "mnist", KW_DATASET, 0, "MNIST" },
	{ "fashion_mnist", KW_DATASET, 0, "Fashion-MNIST" },
	{ "emnist", KW_DATASET, 0, "EMNIST" },
	{ "cifar", KW_DATASET, 0, "CIFAR" },
	{ "cifar10", KW_DATASET, 0, "CIFAR-10" },
	{ "cifar100", KW_DATASET, 0, "CIFAR-100" },
	{ "imagenet", KW_DATASET, 0, "ImageNet" },
	{ "imdb", KW_DATASET, 0, "IMDB" },
	{ "coco", KW_DATASET, 0, "COCO" }, { "svhn", KW_DATASET, 0, "SVHN" },
	{ "celeba", KW_DATASET, 0, "CelebA" },
	{ "cityscapes", KW_DATASET, 0, "Cityscapes" },
	{ "squad", KW_DATASET, 0, "SQuAD" }, { "glue", KW_DATASET, 0, "GLUE" },
	{ "titanic", KW_DATASET, 0, "Titanic" },
	{ "iris", KW_DATASET, 0, "Iris" },
	{ "kitti", KW_DATASET, 0, "KITTI" },
	{ "movielens", KW_DATASET, 0, "MovieLens" },
	{ "wikitext", KW_DATASET, 0, "WikiText" },
	{ "omniglot", KW_DATASET, 0, "Omniglot" },
	{ "voc", KW_DATASET, 0, "PASCAL VOC" },
	{ "kaggle", KW_DATASET, 0, "Kaggle" },
	{ "uci", KW_DATASET, 0, "UCI" }, { "conll", KW_DATASET, 0, "CoNLL" },
	{ "boston_housing", KW_DATASET, 0, "Boston housing" },
	{ "ag_news", KW_DATASET, 0, "AG News" },
	{ "stl10", KW_DATASET, 0, "STL-10" },
	{ "read_csv", KW_DATALOAD, 0, NULL },
	{ "read_excel", KW_DATALOAD, 0, NULL },
	{ "read_json", KW_DATALOAD, 0, NULL },
	{ "read_parquet", KW_DATALOAD, 0, NULL },
	{ "read_table", KW_DATALOAD, 0, NULL },
	{ "load_data", KW_DATALOAD, 0, NULL },
	{ "loadtxt", KW_DATALOAD, 0, NULL },
	{ "genfromtxt", KW_DATALOAD, 0, NULL },
	{ "image_dataset_from_directory", KW_DATALOAD, 0, NULL },
	{ "text_dataset_from_directory", KW_DATALOAD, 0, NULL },
	{ "flow_from_directory", KW_DATALOAD, 0, NULL },
	{ "flow_from_dataframe", KW_DATALOAD, 0, NULL },
	{ "imagedatagenerator", KW_DATALOAD, 0, NULL },
	{ "from_tensor_slices", KW_DATALOAD, 0, NULL },
	{ "tensordataset", KW_DATALOAD, 0, NULL },
	{ "imagefolder", KW_DATALOAD, 0, NULL },
	{ "tfds", KW_DATALOAD, 0, NULL },
	{ "load_dataset", KW_DATALOAD, 0, NULL },
	{ "make_classification", KW_DATALOAD, 0, NULL },
	{ "make_regression", KW_DATALOAD, 0, NULL },
	{ "make_blobs", KW_DATALOAD, 0, NULL },
	{ "make_moons", KW_DATALOAD, 0, NULL },
	{ "load_iris", KW_DATALOAD, 0, NULL },
	{ "load_digits", KW_DATALOAD, 0, NULL },
	{ "fetch_openml", KW_DATALOAD, 0, NULL },
	{ "imread", KW_DATALOAD, 0, NULL },
	{ "rand", KW_DATAGEN, 0, NULL }, { "randn", KW_DATAGEN, 0, NULL },
	{ "randint", KW_DATAGEN, 0, NULL },
	{ "random_sample", KW_DATAGEN, 0, NULL },
	{ "normal", KW_DATAGEN, 0, NULL }, { "uniform", KW_DATAGEN, 0, NULL },
	{ "linspace", KW_DATAGEN, 0, NULL }, { "arange", KW_DATAGEN, 0, NULL },
	{ "shape", KW_SHAPEWORD, 0, NULL }, { "shapes", KW_SHAPEWORD, 0, NULL },
	{ "samples", KW_UNIT_DATA, 0, NULL },
	{ "images", KW_UNIT_DATA, 0, NULL },
	{ "rows", KW_UNIT_DATA, 0, NULL }, { "columns", KW_UNIT_DATA, 0, NULL },
	{ "examples", KW_UNIT_DATA, 0, NULL },
	{ "instances", KW_UNIT_DATA, 0, NULL },
	{ "records", KW_UNIT_DATA, 0, NULL },
	{ "features", KW_UNIT_DATA, 0, NULL },
	{ "sentences", KW_UNIT_DATA, 0, NULL },
	{ "timesteps", KW_UNIT_DATA, 0, NULL },
	{ "observations", KW_UNIT_DATA, 0, NULL },
	{ "pixels", KW_UNIT_DATA, 0, NULL },
	{ "classes", KW_UNIT_DATA, 0, NULL },
	{ "channels", KW_UNIT_DATA, 0, NULL },
	{ "documents", KW_UNIT_DATA, 0, NULL },
	{ "frames", KW_UNIT_DATA, 0, NULL },
	{ "points", KW_UNIT_DATA, 0, NULL },
	{ "entries", KW_UNIT_DATA, 0, NULL },
	{ "dataframe", KW_DATAFRAME, 0, NULL },
	{ "csv", KW_DATAFRAME, 0, NULL },
	{ "dataset", KW_DATAFRAME, 0, NULL },
	/* model */
	{ "conv1d", KW_LAYER, 0, NULL }, { "conv2d", KW_LAYER, 0, NULL },
	{ "conv3d", KW_LAYER, 0, NULL },
	{ "conv2dtranspose", KW_LAYER, 0, NULL },
	{ "convtranspose2d", KW_LAYER, 0, NULL }, { "lstm", KW_LAYER, 0, NULL },
	{ "gru", KW_LAYER, 0, NULL }, { "simplernn", KW_LAYER, 0, NULL },
	{ "lstmcell", KW_LAYER, 0, NULL }, { "convlstm2d", KW_LAYER, 0, NULL },
	{ "batchnormalization", KW_LAYER, 0, NULL },
	{ "batchnorm1d", KW_LAYER, 0, NULL },
	{ "batchnorm2d", KW_LAYER, 0, NULL },
	{ "batchnorm", KW_LAYER, 0, NULL },
	{ "convolution", KW_LAYER, 0, NULL },
	{ "convolutions", KW_LAYER, 0, NULL },
	{ "convolutional", KW_LAYER, 0, NULL },
	{ "layernorm", KW_LAYER, 0, NULL },
	{ "layernormalization", KW_LAYER, 0, NULL },
	{ "maxpooling1d", KW_LAYER, 0, NULL },
	{ "maxpooling2d", KW_LAYER, 0, NULL },
	{ "maxpool2d", KW_LAYER, 0, NULL }, { "maxpool1d", KW_LAYER, 0, NULL },
	{ "avgpool2d", KW_LAYER, 0, NULL },
	{ "averagepooling2d", KW_LAYER, 0, NULL },
	{ "globalaveragepooling2d", KW_LAYER, 0, NULL },
	{ "globalaveragepooling1d", KW_LAYER, 0, NULL },
	{ "globalmaxpooling2d", KW_LAYER, 0, NULL },
	{ "adaptiveavgpool2d", KW_LAYER, 0, NULL },
	{ "bidirectional", KW_LAYER, 0, NULL },
	{ "timedistributed", KW_LAYER, 0, NULL },
	{ "multiheadattention", KW_LAYER, 0, NULL },
	{ "separableconv2d", KW_LAYER, 0, NULL },
	{ "depthwiseconv2d", KW_LAYER, 0, NULL },
	{ "upsampling2d", KW_LAYER, 0, NULL },
	{ "zeropadding2d", KW_LAYER, 0, NULL },
	{ "transformerencoder", KW_LAYER, 0, NULL },
	{ "transformerencoderlayer", KW_LAYER, 0, NULL },
	{ "leakyrelu", KW_LAYER, 0, NULL },
	{ "dense", KW_LAYER_GENERIC, 0, NULL },
	{ "linear", KW_LAYER_GENERIC, 0, NULL },
	{ "flatten", KW_LAYER_GENERIC, 0, NULL },
	{ "embedding", KW_LAYER_GENERIC, 0, NULL },
	{ "reshape", KW_LAYER_GENERIC, 0, NULL },
	{ "attention", KW_LAYER_GENERIC, 0, NULL },
	{ "concatenate", KW_LAYER_GENERIC, 0, NULL },
	{ "activation", KW_ACTIVATION, 0, NULL },
	{ "rnn", KW_ARCH_GENERIC, 0, NULL },
	{ "cnn", KW_ARCH_GENERIC, 0, NULL },
	{ "mlp", KW_ARCH_GENERIC, 0, NULL },
	{ "ann", KW_ARCH_GENERIC, 0, NULL },
	{ "gan", KW_ARCH_GENERIC, 0, NULL },
	{ "autoencoder", KW_ARCH_GENERIC, 0, NULL },
	{ "transformer", KW_ARCH_GENERIC, 0, NULL },
	{ "perceptron", KW_ARCH_GENERIC, 0, NULL },
	{ "convnet", KW_ARCH_GENERIC, 0, NULL },
	{ "seq2seq", KW_ARCH_GENERIC, 0, NULL },
	{ "resnet", KW_ARCH, 0, NULL }, { "resnet18", KW_ARCH, 0, NULL },
	{ "resnet34", KW_ARCH, 0, NULL }, { "resnet50", KW_ARCH, 0, NULL },
	{ "resnet101", KW_ARCH, 0, NULL }, { "resnet152", KW_ARCH, 0, NULL },
	{ "resnext", KW_ARCH, 0, NULL }, { "vgg", KW_ARCH, 0, NULL },
	{ "vgg16", KW_ARCH, 0, NULL }, { "vgg19", KW_ARCH, 0, NULL },
	{ "inception", KW_ARCH, 0, NULL }, { "inceptionv3", KW_ARCH, 0, NULL },
	{ "xception", KW_ARCH, 0, NULL }, { "mobilenet", KW_ARCH, 0, NULL },
	{ "mobilenetv2", KW_ARCH, 0, NULL },
	{ "efficientnet", KW_ARCH, 0, NULL },
	{ "efficientnetb0", KW_ARCH, 0, NULL },
	{ "densenet", KW_ARCH, 0, NULL },
	{ "densenet121", KW_ARCH, 0, NULL }, { "alexnet", KW_ARCH, 0, NULL },
	{ "lenet", KW_ARCH, 0, NULL }, { "unet", KW_ARCH, 0, NULL },
	{ "resunet", KW_ARCH, 0, NULL }, { "bert", KW_ARCH, 0, NULL },
	{ "roberta", KW_ARCH, 0, NULL }, { "distilbert", KW_ARCH, 0, NULL },
	{ "gpt2", KW_ARCH, 0, NULL }, { "gpt", KW_ARCH, 0, NULL },
	{ "t5", KW_ARCH, 0, NULL }, { "xlnet", KW_ARCH, 0, NULL },
	{ "electra", KW_ARCH, 0, NULL }, { "vit", KW_ARCH, 0, NULL },
	{ "yolo", KW_ARCH, 0, NULL }, { "yolov3", KW_ARCH, 0, NULL },
	{ "yolov5", KW_ARCH, 0, NULL }, { "yolov8", KW_ARCH, 0, NULL },
	{ "rcnn", KW_ARCH, 0, NULL }, { "fasterrcnn", KW_ARCH, 0, NULL },
	{ "maskrcnn", KW_ARCH, 0, NULL }, { "deeplab", KW_ARCH, 0, NULL },
	{ "deeplabv3", KW_ARCH, 0, NULL }, { "segnet", KW_ARCH, 0, NULL },
	{ "wavenet", KW_ARCH, 0, NULL }, { "dcgan", KW_ARCH, 0, NULL },
	{ "cyclegan", KW_ARCH, 0, NULL }, { "pix2pix", KW_ARCH, 0, NULL },
	{ "vae", KW_ARCH, 0, NULL }, { "word2vec", KW_ARCH, 0, NULL },
	{ "relu", KW_ACT, 0, NULL }, { "sigmoid", KW_ACT, 0, NULL },
	{ "softmax", KW_ACT, 0, NULL }, { "tanh", KW_ACT, 0, NULL },
	{ "leaky_relu", KW_ACT, 0, NULL }, { "elu", KW_ACT, 0, NULL },
	{ "selu", KW_ACT, 0, NULL }, { "gelu", KW_ACT, 0, NULL },
	{ "swish", KW_ACT, 0, NULL }, { "softplus", KW_ACT, 0, NULL },
	{ "layer", KW_LAYERWORD, 0, NULL }, { "layers", KW_LAYERWORD, 0, NULL },
	{ "hidden", KW_HIDDEN, 0, NULL },
	{ "units", KW_UNIT_MODEL, 0, NULL },
	{ "neurons", KW_UNIT_MODEL, 0, NULL },
	{ "nodes", KW_UNIT_MODEL, 0, NULL },
	{ "filters", KW_UNIT_MODEL, 0, NULL },
	{ "kernels", KW_UNIT_MODEL, 0, NULL },
	{ "sequential", KW_MODELDEF, 0, NULL },
	{ "modulelist", KW_MODELDEF, 0, NULL },
	{ "module", KW_MODULE, 0, NULL }, { "model", KW_MODEL, 0, NULL },
	{ "from_pretrained", KW_PRETRAINED, 0, NULL },
	{ "load_model", KW_PRETRAINED, 0, NULL },
	{ "params", KW_PARAMS, 0, NULL },
	{ "input_shape", KW_INPUTSHAPE, 0, NULL },
	{ "input_dim", KW_INPUTSHAPE, 0, NULL },
	{ "in_features", KW_INPUTSHAPE, 0, NULL },
	{ "out_features", KW_INPUTSHAPE, 0, NULL },
	{ "in_channels", KW_INPUTSHAPE, 0, NULL },
	{ "kernel_size", KW_INPUTSHAPE, 0, NULL },
	/* hyperparameters */
	{ "lr", KW_HP, 0, "learning rate" },
	{ "learning_rate", KW_HP, 0, "learning rate" },
	{ "learningrate", KW_HP, 0, "learning rate" },
	{ "base_lr", KW_HP, 0, "learning rate" },
	{ "batch_size", KW_HP, 0, "batch size" },
	{ "batchsize", KW_HP, 0, "batch size" },
	{ "num_epochs", KW_HP, 0, "epochs" },
	{ "n_epochs", KW_HP, 0, "epochs" },
	{ "nb_epoch", KW_HP, 0, "epochs" },
	{ "max_epochs", KW_HP, 0, "epochs" },
	{ "momentum", KW_HP, 0, "momentum" },
	{ "weight_decay", KW_HP, 0, "weight decay" },
	{ "decay", KW_HP, 0, "decay" }, { "beta_1", KW_HP, 0, "beta" },
	{ "beta_2", KW_HP, 0, "beta" }, { "beta1", KW_HP, 0, "beta" },
	{ "beta2", KW_HP, 0, "beta" }, { "betas", KW_HP, 0, "beta" },
	{ "epsilon", KW_HP, 0, "epsilon" }, { "eps", KW_HP, 0, "epsilon" },
	{ "gamma", KW_HP, 0, "gamma" }, { "step_size", KW_HP, 0, "step size" },
	{ "steps_per_epoch", KW_HP, 0, "steps per epoch" },
	{ "validation_split", KW_HP, 0, "validation split" },
	{ "clipnorm", KW_HP, 0, "gradient clipping" },
	{ "clipvalue", KW_HP, 0, "gradient clipping" },
	{ "max_grad_norm", KW_HP, 0, "gradient clipping" },
	{ "label_smoothing", KW_HP, 0, "label smoothing" },
	{ "hidden_size", KW_HP, 0, "hidden size" },
	{ "num_layers", KW_HP, 0, "layers" },
	{ "warmup_steps", KW_HP, 0, "warm-up" },
	{ "max_iter", KW_HP, 0, "iterations" },
	{ "learning", KW_LEARNING, 0, NULL }, { "batch", KW_BATCH, 0, NULL },
	{ "weight", KW_WEIGHT, 0, NULL },
	{ "adam", KW_OPT, 0, NULL }, { "adamw", KW_OPT, 0, NULL },
	{ "sgd", KW_OPT, 0, NULL }, { "rmsprop", KW_OPT, 0, NULL },
	{ "adagrad", KW_OPT, 0, NULL }, { "adadelta", KW_OPT, 0, NULL },
	{ "adamax", KW_OPT, 0, NULL }, { "nadam", KW_OPT, 0, NULL },
	{ "lbfgs", KW_OPT, 0, NULL }, { "ftrl", KW_OPT, 0, NULL },
	{ "optimizer", KW_OPTIMIZER, 0, NULL },
	{ "optimiser", KW_OPTIMIZER, 0, NULL },
	{ "crossentropyloss", KW_LOSSNAME, 0, NULL },
	{ "mseloss", KW_LOSSNAME, 0, NULL },
	{ "bceloss", KW_LOSSNAME, 0, NULL },
	{ "bcewithlogitsloss", KW_LOSSNAME, 0, NULL },
	{ "nllloss", KW_LOSSNAME, 0, NULL }, { "l1loss", KW_LOSSNAME, 0, NULL },
	{ "smoothl1loss", KW_LOSSNAME, 0, NULL },
	{ "ctcloss", KW_LOSSNAME, 0, NULL },
	{ "kldivloss", KW_LOSSNAME, 0, NULL },
	{ "huberloss", KW_LOSSNAME, 0, NULL },
	{ "categorical_crossentropy", KW_LOSSNAME, 0, NULL },
	{ "sparse_categorical_crossentropy", KW_LOSSNAME, 0, NULL },
	{ "binary_crossentropy", KW_LOSSNAME, 0, NULL },
	{ "mean_squared_error", KW_LOSSNAME, 0, NULL },
	{ "mean_absolute_error", KW_LOSSNAME, 0, NULL },
	{ "categoricalcrossentropy", KW_LOSSNAME, 0, NULL },
	{ "sparsecategoricalcrossentropy", KW_LOSSNAME, 0, NULL },
	{ "binarycrossentropy", KW_LOSSNAME, 0, NULL },
	{ "meansquarederror", KW_LOSSNAME, 0, NULL },
	{ "epochs", KW_EPOCHS, 0, NULL }, { "dropout", KW_DROPOUT, 0, NULL },
	/* environment and framework */
	{ "python", KW_ENV, 0, "Python" }, { "python3", KW_ENV, 0, "Python" },
	{ "torch", KW_ENV, FW_TORCH, "PyTorch" },
	{ "pytorch", KW_ENV, FW_TORCH, "PyTorch" },
	{ "torchvision", KW_ENV, FW_TORCH, "torchvision" },
	{ "tensorflow", KW_ENV, FW_TF, "TensorFlow" },
	{ "tf", KW_ENV, FW_TF, "TensorFlow" },
	{ "keras", KW_ENV, FW_KERAS, "Keras" },
	{ "tf2", KW_ENV_LOOSE, FW_TF, "TensorFlow 2" },
	{ "tensorflow2", KW_ENV_LOOSE, FW_TF, "TensorFlow 2" },
	{ "cudnn", KW_ENV, 0, "cuDNN" }, { "cudatoolkit", KW_ENV, 0, "CUDA" },
	{ "numpy", KW_ENV, 0, "NumPy" }, { "jax", KW_ENV, 0, "JAX" },
	{ "transformers", KW_ENV, 0, "transformers" },
	{ "sklearn", KW_ENV, 0, "scikit-learn" },
	{ "pandas", KW_ENV, 0, "pandas" },
	{ "ubuntu", KW_ENV, 0, "Ubuntu" }, { "windows", KW_ENV, 0, "Windows" },
	{ "macos", KW_ENV, 0, "macOS" }, { "osx", KW_ENV, 0, "macOS" },
	{ "centos", KW_ENV, 0, "CentOS" }, { "debian", KW_ENV, 0, "Debian" },
	{ "fedora", KW_ENV, 0, "Fedora" }, { "driver", KW_ENV, 0, "driver" },
	{ "gcc", KW_ENV, 0, "GCC" }, { "opencv", KW_ENV, 0, "OpenCV" },
	{ "onnx", KW_ENV, 0, "ONNX" }, { "tensorrt", KW_ENV, 0, "TensorRT" },
	{ "conda", KW_ENV, 0, "conda" }, { "pip", KW_ENV, 0, "pip" },
	{ "gtx", KW_GPU, 0, NULL }, { "rtx", KW_GPU, 0, NULL },
	{ "tesla", KW_GPU, 0, NULL }, { "quadro", KW_GPU, 0, NULL },
	{ "v100", KW_GPU, 0, NULL }, { "a100", KW_GPU, 0, NULL },
	{ "k80", KW_GPU, 0, NULL }, { "p100", KW_GPU, 0, NULL },
	{ "t4", KW_GPU, 0, NULL }, { "h100", KW_GPU, 0, NULL },
	{ "colab", KW_COLAB, 0, NULL }, { "kaggle_kernel", KW_COLAB, 0, NULL },
};

#define KW_TAB_BITS 10
#define KW_TAB_SIZE (1u << KW_TAB_BITS)	/* about 2.5x the list */

/*
 * Word bytes ([A-Za-z0-9_]) OR-ed with 0x20, which folds case and keeps
 * them distinct ('_' becomes DEL); 0 for every other byte, NUL included,
 * so the table also ends words.
 */
static unsigned char wfold[256];

/*
 * The scan hashes every word as it reads it, so the step is a shift and
 * an xor (no multiply in the loop's chain); kw_mix spreads the bits once
 * per word.
 */
#define KW_STEP(h, f) (((h) << 5) ^ (f))

static inline uint64_t
kw_mix(uint64_t h, size_t n)
{
	/* the length too: the step shifts a long word's first bytes out,
	 * and "..._crossentropy" names would share both slots */
	return (h + n) * 0x9e3779b97f4a7c15ull;
}

/*
 * Cuckoo hashing over one 32-bit word a slot, 4 KB in all: a keyword sits
 * in one of the two slots its hash names, so a word's search reads both
 * and decides with one test, instead of a walk whose length (an empty or
 * a taken first slot) the branch predictor cannot guess.  A slot holds a
 * 16-bit tag of more bits of the mixed hash (never 0; a 0 word is an
 * empty slot), the keyword's length and its index in kw_list.  The bytes
 * are compared for a matching tag and length only.
 */
static uint32_t kw_slots[KW_TAB_SIZE];
_Static_assert(ARRAY_SIZE(kw_list) <= 512, "kw_slots keeps 9 bits of index");

#define KW_SLOT(tag, len, idx) \
	((uint32_t)(tag) << 16 | (uint32_t)(len) << 9 | (uint32_t)(idx))
/* each keyword folded (wfold) and NUL-padded, eight bytes a compare */
static uint64_t kw_fold[ARRAY_SIZE(kw_list)][4];
static unsigned char lower[256];
static int kw_ready;

static inline unsigned
kw_slot(uint64_t m)
{
	return (unsigned)(m >> (64 - KW_TAB_BITS));
}

static inline unsigned
kw_slot2(uint64_t m)
{
	return (unsigned)(m >> (64 - 2 * KW_TAB_BITS)) & (KW_TAB_SIZE - 1);
}

static inline uint16_t
kw_tagof(uint64_t m)
{
	return (uint16_t)((m >> (48 - 2 * KW_TAB_BITS)) | 1);
}

static uint64_t
kw_hash(const char *s, size_t n)
{
	uint64_t h = 0;
	size_t i;

	for (i = 0; i < n; i++)
		h = KW_STEP(h, wfold[(unsigned char)s[i]]);
	return h;
}

/* Built on first use; nothing is compiled at start-up. */
static void
kw_init(void)
{
	size_t i, k;

	if (kw_ready)
		return;
	cclass_init();
	for (i = 0; i < 256; i++) {
		lower[i] = (unsigned char)(i >= 'A' && i <= 'Z' ? i + 32 : i);
		wfold[i] = (unsigned char)(cclass[i] & C_WORD ? i | 0x20 : 0);
	}
	for (i = 0; i < ARRAY_SIZE(kw_list); i++) {
		const char *w = kw_list[i].word;
		uint64_t m = kw_mix(kw_hash(w, strlen(w)), strlen(w));
		unsigned h = kw_slot(m), kicks;
		/* 388 keywords fit 9 bits, their lengths (< 32) 5 */
		uint32_t v = KW_SLOT(kw_tagof(m), strlen(w), i), out;

		if (kw_slots[h] && !kw_slots[kw_slot2(m)])
			h = kw_slot2(m);
		for (kicks = 0; kw_slots[h]; kicks++) {
			/* take the slot, move its keyword to its other one */
			const char *ow;

			if (kicks > 1000)
				abort();	/* not below half full */
			out = kw_slots[h];
			kw_slots[h] = v;
			v = out;
			ow = kw_list[v & 511].word;
			m = kw_mix(kw_hash(ow, strlen(ow)), strlen(ow));
			h = h == kw_slot(m) ? kw_slot2(m) : kw_slot(m);
		}
		kw_slots[h] = v;
		for (k = 0; w[k]; k++)
			((unsigned char *)kw_fold[i])[k] =
				wfold[(unsigned char)w[k]];
	}
	kw_ready = 1;
}

/*
 * Is the word s[0..n) (n < 32) keyword idx?  With eight readable bytes
 * from s on, eight bytes a compare: OR-ing 0x20 folds word bytes as
 * wfold does (bytes past the word are masked off, or compared in an
 * overlapping last load from inside the word).
 */
static inline int
kw_same(const char *s, size_t n, size_t avail, size_t idx)
{
	const unsigned char *kf = (const unsigned char *)kw_fold[idx];
	uint64_t x, y;
	size_t i;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (n <= 8 && avail >= 8) {
		memcpy(&x, s, 8);
		return ((x | 0x2020202020202020ull) &
			(~0ull >> (64 - 8 * n))) == kw_fold[idx][0];
	}
#endif
	if (n >= 8) {
		for (i = 0; i + 8 < n; i += 8) {
			memcpy(&x, s + i, 8);
			memcpy(&y, kf + i, 8);
			if ((x | 0x2020202020202020ull) != y)
				return 0;
		}
		memcpy(&x, s + n - 8, 8);
		memcpy(&y, kf + n - 8, 8);
		return (x | 0x2020202020202020ull) == y;
	}
	for (i = 0; i < n; i++)
		if (wfold[(unsigned char)s[i]] != kf[i])
			return 0;
	return 1;
}

/* The keyword in slot v1 or v2 (their tags match) that s[0..n) is. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static const struct kw_entry *
kw_confirm(const char *s, size_t n, size_t avail, uint32_t v1, int h1,
	   uint32_t v2, int h2)
{
	if (h1 && kw_same(s, n, avail, v1 & 511))
		return &kw_list[v1 & 511];
	if (h2 && kw_same(s, n, avail, v2 & 511))
		return &kw_list[v2 & 511];
	return NULL;
}

/*
 * The keyword s[0..n) is (any case), or NULL; s is all word bytes, h
 * its kw_hash, and avail bytes from s on may be read.  Inline up to the
 * test most words end with.
 */
static inline const struct kw_entry *
kw_find_h(const char *s, size_t n, uint64_t h, size_t avail)
{
	uint64_t m = kw_mix(h, n);
	uint32_t want = KW_SLOT(kw_tagof(m), n & 31, 0);
	uint32_t v1 = kw_slots[kw_slot(m)], v2 = kw_slots[kw_slot2(m)];
	int h1 = (v1 & ~511u) == want, h2 = (v2 & ~511u) == want;

	if (!(h1 | h2) || n >= 32)
		return NULL;
	return kw_confirm(s, n, avail, v1, h1, v2, h2);
}

static const struct kw_entry *
kw_find(const char *s, size_t n)
{
	return kw_find_h(s, n, kw_hash(s, n), n);
}

/* ---- marks collected by the scan ---- */

enum mark_kind {
	M_EVIDENCE,	/* scored evidence of a category */
	M_CODE,		/* one code-looking construct */
	M_TRACEBACK,	/* "Traceback (most recent call last):" */
	M_FRAME,	/* one stack frame */
	M_EXCEPTION,	/* "SomeError: message" */
};

/* A mark of the scan, or a region made of marks. */
struct region {
	size_t s, e;
	const char *why;
	float w;		/* a mark's weight */
	unsigned char kind;	/* a mark's enum mark_kind */
};

struct regvec {
	struct region *v;
	size_t n, cap;
	struct region inl[64];	/* most posts need no more */
};

static void
reg_init(struct regvec *rv)
{
	rv->v = rv->inl;
	rv->n = 0;
	rv->cap = ARRAY_SIZE(rv->inl);
}

static void
reg_done(struct regvec *rv)
{
	if (rv->v != rv->inl)
		free(rv->v);
}

#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void
reg_grow(struct regvec *rv)
{
	rv->cap *= 2;
	if (rv->v == rv->inl) {
		rv->v = xreallocarray(NULL, rv->cap, sizeof(*rv->v));
		memcpy(rv->v, rv->inl, sizeof(rv->inl));
	} else
		rv->v = xreallocarray(rv->v, rv->cap, sizeof(*rv->v));
}

static inline struct region *
reg_add(struct regvec *rv, size_t s, size_t e, const char *why)
{
	struct region *r;

	if (rv->n == rv->cap)
		reg_grow(rv);
	r = &rv->v[rv->n++];
	r->s = s;
	r->e = e;
	r->why = why;
	return r;
}

static void
reg_push(struct regvec *rv, size_t s, size_t e, const char *why)
{
	struct region *r = reg_add(rv, s, e, why);

	r->w = 0;
	r->kind = 0;
}

/*
 * Marks go to one vector per category as the scan makes them: code marks
 * to CAT_CODE's, tracebacks, frames, exception lines and other log
 * evidence to CAT_LOGS's, the rest to their category's.  Each later step
 * reads only its own vector, in the order a stable sort of all marks
 * would give it.
 */
struct scan {
	const char *t;
	size_t len;
	struct regvec mk[INFO__COUNT];
	int fw[4];		/* mentions per framework */
	int tf_keras;		/* "tf.keras" or "tensorflow.keras" seen */
	size_t cs_e, cs_s;	/* chain_start's last question and answer */
	size_t w_s, w_e;	/* the word on_word is at: all word bytes */
};

static inline void
mark(struct scan *sc, int kind, int cat, size_t s, size_t e, float w,
     const char *why)
{
	struct region *r;

	if (e > sc->len)
		e = sc->len;
	if (e <= s)
		return;
	r = reg_add(&sc->mk[cat], s, e, why);
	r->w = w;
	r->kind = (unsigned char)kind;
}

static void
ev(struct scan *sc, int cat, size_t s, size_t e, float w, const char *why)
{
	mark(sc, M_EVIDENCE, cat, s, e, w, why);
}

static void
code(struct scan *sc, size_t s, size_t e, float w)
{
	mark(sc, M_CODE, CAT_CODE, s, e, w, NULL);
}

static const char why_mentioned[] = "data mentioned";
/* model.summary() output: a log, and the model's own description */
static const char why_summary[] = "model summary";

/* ---- small scanners ---- */

/*
 * The scanners below lean on t[len] being NUL (infocat_detect makes sure
 * of it): NUL is in no class, so a class loop stops there by itself.
 */
static inline size_t
skip_sp(const struct scan *sc, size_t i)
{
	if (i < sc->len) {
		/* one blank is the usual case: a step without a branch,
		 * then a loop that mostly does not run (t[len] is NUL) */
		i += (cclass[(unsigned char)sc->t[i]] & C_SPACE) != 0;
		while (IS(sc->t[i], C_SPACE))
			i++;
	}
	return i;
}

/* Skip spaces, tabs and newlines. */
static size_t
skip_ws(const struct scan *sc, size_t i)
{
	while (i < sc->len && (IS(sc->t[i], C_SPACE) || sc->t[i] == '\n' ||
			       sc->t[i] == '\r'))
		i++;
	return i;
}

/* inline: with n a constant the compare is a load or two, not a call */
static inline int
at_n(const struct scan *sc, size_t i, const char *lit, size_t n)
{
	return i <= sc->len && sc->len - i >= n &&
	       memcmp(sc->t + i, lit, n) == 0;
}

static int
at_ci_n(const struct scan *sc, size_t i, const char *lit, size_t n)
{
	size_t k;

	if (i > sc->len || sc->len - i < n)
		return 0;
	for (k = 0; k < n; k++)
		if (lower[(unsigned char)sc->t[i + k]] !=
		    lower[(unsigned char)lit[k]])
			return 0;
	return 1;
}

/* Literal at i, exact or ASCII case-insensitive; lit must be a literal. */
#define at(sc, i, lit) at_n((sc), (i), "" lit, sizeof(lit) - 1)
#define at_ci(sc, i, lit) at_ci_n((sc), (i), "" lit, sizeof(lit) - 1)

static inline size_t
word_end(const struct scan *sc, size_t i)
{
	if (i < sc->len)
		while (IS(sc->t[i], C_WORD))
			i++;
	return i;
}

/*
 * A number at i: [-]digits[.digits][e[+-]digits] or .digits.  Returns the
 * end, or i when there is none.  A number glued to letters ("2ms", "3x3")
 * is not a number.
 */
static size_t
number_end(const struct scan *sc, size_t i)
{
	size_t j = i, d0;
	const char *t = sc->t;

	/* t[len] is NUL: a byte matched below is before it, so the one
	 * after it may be read */
	if (j >= sc->len)
		return i;
	if (t[j] == '-' || t[j] == '+')
		j++;
	d0 = j;
	while (IS(t[j], C_DIGIT))
		j++;
	if (t[j] == '.' && IS(t[j + 1], C_DIGIT)) {
		j++;
		while (IS(t[j], C_DIGIT))
			j++;
	}
	if (j == d0)
		return i;
	if ((t[j] == 'e' || t[j] == 'E') &&
	    (IS(t[j + 1], C_DIGIT) ||
	     ((t[j + 1] == '-' || t[j + 1] == '+') && IS(t[j + 2], C_DIGIT)))) {
		j += 2;
		while (IS(t[j], C_DIGIT))
			j++;
	}
	if (IS(t[j], C_ALPHA))
		return i;
	return j;
}

/* Integer (no sign, no fraction) at i; returns end or i. */
static size_t
int_end(const struct scan *sc, size_t i)
{
	size_t j = i;

	if (j >= sc->len)
		return i;
	while (IS(sc->t[j], C_DIGIT))	/* t[len] is NUL */
		j++;
	if (IS(sc->t[j], C_ALPHA) || sc->t[j] == '.')
		return i;
	return j;
}

/* End of the line holding i, at most cap bytes on. */
static size_t
line_end(const struct scan *sc, size_t i, size_t cap)
{
	size_t lim = sc->len - i > cap ? i + cap : sc->len;

	while (i < lim && sc->t[i] != '\n')
		i++;
	return i;
}

/*
 * The first ch in t[i, lim), or NULL: memchr for the short runs between
 * quotes, without a call.
 */
static inline const char *
find_byte(const char *t, size_t i, size_t lim, char ch)
{
#if defined(__SSE2__)
	for (; i + 16 <= lim; i += 16) {
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
			_mm_loadu_si128((const __m128i *)(const void *)(t + i)),
			_mm_set1_epi8(ch)));

		if (m)
			return t + i + __builtin_ctz(m);
	}
#endif
	for (; i < lim; i++)
		if (t[i] == ch)
			return t + i;
	return NULL;
}

/*
 * Index of the matching close bracket, at most cap bytes on, or 0.  Only
 * brackets and quotes matter, so it hops between those; a quote's end is
 * a memchr away.
 */
static size_t
match_close(const struct scan *sc, size_t open, size_t cap)
{
	const char *t = sc->t;
	char o = t[open], c = o == '(' ? ')' : o == '[' ? ']' : '}';
	size_t lim = sc->len - open > cap ? open + cap : sc->len, i;
	int depth = 0;

	for (i = open; i < lim; i++) {
		char ch;
		const char *q;

#if defined(__SSE2__)
		if (i + 16 <= lim) {
			/* sixteen bytes at a time to the next bracket of
			 * this kind or quote */
			__m128i x = _mm_loadu_si128((const __m128i *)
						    (const void *)(t + i));
			__m128i br = _mm_or_si128(
				_mm_cmpeq_epi8(x, _mm_set1_epi8(o)),
				_mm_cmpeq_epi8(x, _mm_set1_epi8(c)));
			__m128i qu = _mm_or_si128(
				_mm_cmpeq_epi8(x, _mm_set1_epi8('\'')),
				_mm_cmpeq_epi8(x, _mm_set1_epi8('"')));
			unsigned m = (unsigned)_mm_movemask_epi8(
				_mm_or_si128(br, qu));

			if (m == 0) {
				i += 15;
				continue;
			}
			i += (size_t)__builtin_ctz(m);
		}
#endif
		ch = t[i];
		if (!bracket_byte[(unsigned char)ch])
			continue;
		if (ch == '\'' || ch == '"') {
			q = find_byte(t, i + 1, lim, ch);
			if (q == NULL)
				return 0;
			i = (size_t)(q - t);
		} else if (ch == o)
			depth++;
		else if (ch == c && --depth == 0)
			return i;
	}
	return 0;
}

/*
 * Start of the word (dotted chain included) ending at e.  A word's checks
 * ask for it several times, and a chain's next link asks for the one
 * before: the last answer is kept.  The walk back stops where it meets
 * the last question, whose answer is then this one's too: each link of
 * "keras.keras.keras..." asks for the chain before it, and walking every
 * time to the chain's start made such a line quadratic.
 */
static size_t
chain_start(struct scan *sc, size_t e)
{
	size_t s = e, pe = sc->cs_e, ps = sc->cs_s;

	if (e == pe)
		return ps;
	sc->cs_e = e;
	if (e == sc->w_e)
		s = sc->w_s;	/* the word is read already */
	for (;;) {
		while (s > 0 && IS(sc->t[s - 1], C_WORD))
			s--;
		if (s > 1 && sc->t[s - 1] == '.' && IS(sc->t[s - 2], C_WORD))
			s--;
		else
			return sc->cs_s = s;
		if (s == pe)
			return sc->cs_s = ps;
	}
}

/* The word just before i (skipping spaces), bounds in ws and we. */
static int
word_before(const struct scan *sc, size_t i, size_t *ws, size_t *we)
{
	size_t e = i;

	while (e > 0 && IS(sc->t[e - 1], C_SPACE))
		e--;
	if (e == 0 || !IS(sc->t[e - 1], C_WORD))
		return 0;
	*we = e;
	*ws = e;
	while (*ws > 0 && IS(sc->t[*ws - 1], C_WORD))
		(*ws)--;
	return 1;
}

/* A word and its length, for tables compared with memcmp. */
struct word {
	const char *w;
	size_t n;
};

#define W(x) { x, sizeof(x) - 1 }

/* Case-insensitive: does [s, e) contain a word starting with one of w? */
static int
window_has(const struct scan *sc, size_t s, size_t e, const struct word *w)
{
	size_t i, k;

	for (i = s; i < e; i++) {
		if (!IS(sc->t[i], C_ALPHA) || (i > s && IS(sc->t[i - 1], C_ALPHA)))
			continue;
		for (k = 0; w[k].w; k++)
			if (lower[(unsigned char)sc->t[i]] == w[k].w[0] &&
			    at_ci_n(sc, i, w[k].w, w[k].n))
				return 1;
	}
	return 0;
}

/* Back from i by up to n bytes, not crossing a newline. */
static size_t
back(const struct scan *sc, size_t i, size_t n)
{
	size_t s = i > n ? i - n : 0;
	size_t k;

	for (k = i; k > s; k--)
		if (sc->t[k - 1] == '\n')
			return k;
	return s;
}

/* ---- checks run at a spot ---- */

/*
 * A value after a hyperparameter name: "lr=0.001", "lr: 1e-3",
 * "learning rate of 0.01", "batch size is 32", optimizer='adam'.  Returns
 * the end of the value or 0.  ident_ok accepts a name as the value.
 */
static size_t
hp_value(const struct scan *sc, size_t i, int ident_ok)
{
	static const char *const fill[] = { "of ", "is ", "to ", "was ",
		"at ", "set to ", "equal to ", "as ", "around ", "about ",
		"= ", "from ", NULL };
	size_t j = skip_sp(sc, i), k, e;
	int sep = 0;

	if (j < sc->len && (sc->t[j] == '=' || sc->t[j] == ':') &&
	    !(j + 1 < sc->len && sc->t[j + 1] == '=')) {
		j = skip_sp(sc, j + 1);
		sep = 1;
	} else {
		for (k = 0; fill[k]; k++)
			if (at_ci_n(sc, j, fill[k], strlen(fill[k]))) {
				j = skip_sp(sc, j + strlen(fill[k]));
				sep = 1;
				break;
			}
	}
	if (j < sc->len && (sc->t[j] == '\'' || sc->t[j] == '"'))
		j++;
	else if (!sep && !ident_ok)
		sep = 0;
	if (j < sc->len && sc->t[j] == '.' && j + 1 < sc->len &&
	    IS(sc->t[j + 1], C_DIGIT)) {
		e = j + 1;
		while (e < sc->len && IS(sc->t[e], C_DIGIT))
			e++;
		return e;
	}
	e = number_end(sc, j);
	if (e > j)
		return e;
	if (ident_ok && sep && j < sc->len && IS(sc->t[j], C_ALPHA)) {
		e = j;
		while (e < sc->len && (IS(sc->t[e], C_WORD) || sc->t[e] == '.'))
			e++;
		return e;
	}
	return 0;
}

/*
 * A version after a package or OS name: "torch 1.13.1",
 * "tensorflow==2.11", "Python 3.8", "CUDA version: 11.7", "v2.4".
 * Returns the end of the version or 0.  need_dot refuses "keras 2".
 */
static size_t
version_after(const struct scan *sc, size_t i, int need_dot)
{
	size_t j = i, lim = sc->len - i > 24 ? i + 24 : sc->len, e;
	int dot = 0;

	while (j < lim) {
		char c = sc->t[j];

		if (IS(c, C_SPACE) || c == '=' || c == '<' || c == '>' ||
		    c == '~' || c == ':' || c == '(' || c == '-' ||
		    c == '\'' || c == '"')
			j++;
		else if (at_ci(sc, j, "version"))
			j += 7;
		else if (at_ci(sc, j, ".__version__"))
			j += 12;
		else if (at_ci(sc, j, "gpu"))
			j += 3;
		else if ((c == 'v' || c == 'V') && j + 1 < sc->len &&
			 IS(sc->t[j + 1], C_DIGIT))
			j++;
		else
			break;
	}
	if (j >= sc->len || !IS(sc->t[j], C_DIGIT))
		return 0;
	e = j;
	while (e < sc->len && IS(sc->t[e], C_DIGIT))
		e++;
	while (e + 1 < sc->len && sc->t[e] == '.' && IS(sc->t[e + 1], C_DIGIT)) {
		dot = 1;
		e++;
		while (e < sc->len && IS(sc->t[e], C_DIGIT))
			e++;
	}
	if (need_dot && !dot)
		return 0;
	/* suffixes: rc1, +cu117, a0, post1 */
	if (e < sc->len && sc->t[e] == '+')
		e++;
	while (e < sc->len && (IS(sc->t[e], C_WORD)))
		e++;
	return e;
}

/* Keras-style "Epoch 3/20", PyTorch-style "Epoch [3/20]". */
static size_t
progress_after(const struct scan *sc, size_t i)
{
	size_t j = skip_sp(sc, i), e;

	if (j < sc->len && (sc->t[j] == '[' || sc->t[j] == ':' || sc->t[j] == '#'))
		j = skip_sp(sc, j + 1);
	e = int_end(sc, j);
	if (e == j)
		return 0;
	j = skip_sp(sc, e);
	if (j >= sc->len || sc->t[j] != '/')
		return 0;
	j = skip_sp(sc, j + 1);
	e = int_end(sc, j);
	if (e == j)
		return 0;
	if (e < sc->len && sc->t[e] == ']')
		e++;
	return e;
}

/*
 * A training loop's own print, "epoch 3 loss 0.6931", "Epoch 2, d_loss:
 * 0.02, g_loss: 5.88": the epoch's number, then a word ending in loss or
 * acc(uracy) and a decimal.  Prose between them ("epoch 3 the loss is
 * 0.5") is a paraphrase, not a printed line.
 */
static size_t
free_progress_after(const struct scan *sc, size_t i)
{
	size_t j = skip_sp(sc, i), e, ws;

	if (j < sc->len && (sc->t[j] == ':' || sc->t[j] == '#'))
		j = skip_sp(sc, j + 1);
	e = int_end(sc, j);
	if (e == j)
		return 0;
	j = e;
	while (j < e + 4 && j < sc->len &&
	       (IS(sc->t[j], C_SPACE) || strchr(",:;|-", sc->t[j]) != NULL))
		j++;
	ws = j;
	while (j < sc->len && IS(sc->t[j], C_WORD))
		j++;
	if (!((j - ws >= 4 && at_ci(sc, j - 4, "loss")) ||
	      (j - ws >= 3 && at_ci(sc, j - 3, "acc")) ||
	      (j - ws >= 8 && at_ci(sc, j - 8, "accuracy"))))
		return 0;
	j = skip_sp(sc, j);
	if (j < sc->len && (sc->t[j] == ':' || sc->t[j] == '='))
		j = skip_sp(sc, j + 1);
	if (at_ci(sc, j, "nan"))
		return j + 3;
	e = number_end(sc, j);
	if (e == j || !memchr(sc->t + j, '.', e - j))
		return 0;
	return e;
}

/* Metric value after "loss:", "acc:" ... as a log line prints it. */
static size_t
metric_after(const struct scan *sc, size_t i)
{
	size_t j = skip_sp(sc, i), e;

	if (j >= sc->len || (sc->t[j] != ':' && sc->t[j] != '='))
		return 0;
	if (j + 1 < sc->len && sc->t[j + 1] == '=')
		return 0;
	j = skip_sp(sc, j + 1);
	if (at_ci(sc, j, "nan") || at_ci(sc, j, "inf"))
		return j + 3;
	e = number_end(sc, j);
	if (e == j)
		return 0;
	if (e < sc->len && sc->t[e] == '%')
		e++;
	return e;
}

/* Uppercase-initial word ending in Error/Exception/Warning, then ':'. */
static int
exception_name(const char *w, size_t n)
{
	if (n < 6 || !IS(w[0], C_UPPER))
		return 0;
	switch (w[n - 1]) {
	case 'r':
		return (memcmp(w + n - 5, "Error", 5) == 0) ? 1 : 0;
	case 'n':
		return n > 9 && memcmp(w + n - 9, "Exception", 9) == 0;
	case 'g':
		return n > 7 && memcmp(w + n - 7, "Warning", 7) == 0 ? 2 : 0;
	case 't':
		return (n > 9 && memcmp(w + n - 9, "Interrupt", 9) == 0) ||
		       memcmp(w + n - 4, "Exit", 4) == 0;
	default:
		return 0;
	}
}

/*
 * "ProcessGroupNCCL.cpp:475", "misc/shmutils.cc:72": a C, C++ or CUDA
 * source file and line, as glog and NCCL print where they log from.
 * Returns the end of the line number or 0.
 */
static size_t
src_line_at(const struct scan *sc, size_t i)
{
	static const struct word ext[] = { W("cc"), W("cpp"), W("cxx"),
		W("c"), W("h"), W("hpp"), W("cu"), W("cuh"), { NULL, 0 } };
	const char *t = sc->t;
	size_t j = i, dot = 0, e;
	int k;

	while (j < sc->len && j - i < 120 &&
	       (IS(t[j], C_WORD) || t[j] == '/' || t[j] == '-' || t[j] == '.')) {
		if (t[j] == '.')
			dot = j;
		j++;
	}
	if (!dot || dot == i || t[j] != ':')	/* t[len] is NUL */
		return 0;
	for (k = 0; ext[k].w; k++)
		if (j - dot - 1 == ext[k].n && at_n(sc, dot + 1, ext[k].w,
						    ext[k].n))
			break;
	if (!ext[k].w)
		return 0;
	e = int_end(sc, j + 1);
	return e > j + 1 ? e : 0;
}

/*
 * A glog line's prefix from its level letter at p to the ']' that ends
 * it: "E0123 12:34:56.789012  1234 file.cc:56]" (glog itself) or, inside
 * brackets, "E ProcessGroupNCCL.cpp:475]" (PyTorch's c10 logging).
 * Returns the end (past the ']') or 0.  The file and line before the
 * bracket are what tells it from "[E]" or "E0123" in prose.
 */
static size_t
glog_at(const struct scan *sc, size_t p)
{
	const char *t = sc->t;
	size_t j = p + 1, e;

	if (p >= sc->len || (t[p] != 'E' && t[p] != 'W' && t[p] != 'I' &&
			     t[p] != 'F'))
		return 0;
	if (IS(t[j], C_DIGIT)) {
		/* month and day, the time, a thread id */
		e = j;
		while (IS(t[e], C_DIGIT))
			e++;
		if (e - j != 4 || t[e] != ' ')
			return 0;
		j = skip_sp(sc, e);
		if (!IS(t[j], C_DIGIT) || !IS(t[j + 1], C_DIGIT) ||
		    t[j + 2] != ':')
			return 0;
		while (IS(t[j], C_DIGIT) || t[j] == ':' || t[j] == '.')
			j++;
		j = skip_sp(sc, j);
		e = int_end(sc, j);
		if (e > j)
			j = skip_sp(sc, e);
	} else if (t[j] == ' ')
		j = skip_sp(sc, j);
	else
		return 0;
	e = src_line_at(sc, j);
	if (!e || t[e] != ']')
		return 0;
	return e + 1;
}

/*
 * NCCL's own lines, "node01:2212:2240 [0] NCCL INFO ..." and
 * "... [0] misc/shmutils.cc:72 NCCL WARN ...": the device in brackets,
 * maybe a source file and line, then the word.  Returns where the line's
 * evidence starts (the bracket) or SIZE_MAX.
 */
static size_t
nccl_prefix(const struct scan *sc, size_t ws)
{
	const char *t = sc->t;
	size_t b = ws, d;

	while (b > 0 && IS(t[b - 1], C_SPACE))
		b--;
	if (b > 0 && IS(t[b - 1], C_DIGIT)) {
		/* "misc/shmutils.cc:72 " */
		size_t f = b, lim = b > 120 ? b - 120 : 0;

		while (f > lim && (IS(t[f - 1], C_WORD) || t[f - 1] == '/' ||
				   t[f - 1] == '-' || t[f - 1] == '.' ||
				   t[f - 1] == ':'))
			f--;
		if (src_line_at(sc, f) != b)
			return SIZE_MAX;
		b = f;
		while (b > 0 && IS(t[b - 1], C_SPACE))
			b--;
	}
	if (b < 3 || t[b - 1] != ']')
		return SIZE_MAX;
	d = b - 1;
	while (d > 0 && IS(t[d - 1], C_DIGIT))
		d--;
	if (d == b - 1 || d == 0 || t[d - 1] != '[')
		return SIZE_MAX;
	/* the evidence starts at "host:pid:tid" when it is there */
	b = d - 1;
	while (b > 0 && IS(t[b - 1], C_SPACE))
		b--;
	if (b > 0 && IS(t[b - 1], C_DIGIT)) {
		size_t f = b, lim = b > 80 ? b - 80 : 0;
		int colons = 0;

		while (f > lim && (IS(t[f - 1], C_WORD) || t[f - 1] == '-' ||
				   t[f - 1] == '.' || t[f - 1] == ':'))
			colons += t[--f] == ':';
		if (colons == 2)
			return f;
	}
	return d - 1;
}

/*
 * Python prints a warning as "path.py:12: UserWarning: message" and then,
 * indented by two spaces, the source line that raised it
 * ("  warnings.warn(...)"): that line is part of the log, not a snippet
 * of the reporter's code.  s is the warning's name, j the colon after it,
 * e the end found so far; returns the end of the echoed line, or e.
 */
static size_t
warning_echo(const struct scan *sc, size_t s, size_t j, size_t e)
{
	const char *t = sc->t;
	size_t k = s, le;

	/* ":12: " before the name */
	if (k < 4 || t[k - 1] != ' ' || t[k - 2] != ':' ||
	    !IS(t[k - 3], C_DIGIT))
		return e;
	k -= 3;
	while (k > 0 && IS(t[k - 1], C_DIGIT))
		k--;
	if (k == 0 || t[k - 1] != ':')
		return e;
	le = line_end(sc, j, 8192);
	if (le + 3 >= sc->len || t[le] != '\n' || t[le + 1] != ' ' ||
	    t[le + 2] != ' ' || IS(t[le + 3], C_SPACE) || t[le + 3] == '\n')
		return e;
	return line_end(sc, le + 3, 400);
}

/* ---- the word handler ---- */

static const struct word shape_ctx[] = { W("shape"), W("size"),
	W("dimension"), W("dimenstion"), W("dim"), W("resolution"),
	W("tensor"), W("array"), W("input"), W("output"), W("batch"),
	W("matrix"), W("vector"), { NULL, 0 } };
static const struct word range_ctx[] = { W("range"), W("between"),
	W("normali"), W("scale"), W("values"), W("value"), W("interval"),
	W("min"), W("max"), { NULL, 0 } };

static void
on_code_word(struct scan *sc, size_t ws, size_t we, size_t j,
	     const struct kw_entry *k)
{
	const char *t = sc->t;
	size_t cs, close;
	int dotted = ws > 1 && t[ws - 1] == '.' && IS(t[ws - 2], C_WORD);

	if (k && (k->id == KW_IF || k->id == KW_FOR || k->id == KW_WHILE ||
		  k->id == KW_RETURN || k->id == KW_WITH ||
		  k->id == KW_EXCEPT))
		return;
	if (j >= sc->len)
		return;
	/* "and (", "or (", "in (", "not (" are prose or operators */
	if (t[j] == '(' && we - ws <= 3 && !dotted &&
	    (we - ws == 1 || memcmp(t + ws, "and", we - ws) == 0 ||
	     memcmp(t + ws, "or", we - ws) == 0 ||
	     memcmp(t + ws, "not", we - ws) == 0 ||
	     memcmp(t + ws, "in", we - ws) == 0 ||
	     memcmp(t + ws, "is", we - ws) == 0 ||
	     memcmp(t + ws, "of", we - ws) == 0 ||
	     memcmp(t + ws, "the", we - ws) == 0 ||
	     memcmp(t + ws, "to", we - ws) == 0 ||
	     memcmp(t + ws, "as", we - ws) == 0))
		return;
	if (t[j] == '(') {
		/* a call; the mark runs to the closing parenthesis so that
		 * the bytes between statements, not inside them, decide
		 * whether marks belong to one snippet */
		cs = chain_start(sc, we);
		close = match_close(sc, j, 120);
		if (close && close == j + 1 + (skip_sp(sc, j + 1) - (j + 1)))
			code(sc, cs, close + 1, dotted ? 0.5f : 0.25f);
		else
			code(sc, cs, close ? close + 1 : j + 1,
			     dotted ? 1.0f : 0.5f);
		return;
	}
	if (t[j] == '=' && !(j + 1 < sc->len && t[j + 1] == '=')) {
		size_t s = chain_start(sc, we);
		char before = s > 0 ? t[s - 1] : '\n';

		/* "x = ...", "self.fc = ...", "a, b = ..." but not "f(x) =" */
		if (before == '(' || before == ')')
			return;
		code(sc, s, j + 1, j > we ? 1.0f : 0.5f);
		return;
	}
	if (t[j] == '[' && dotted) {
		close = match_close(sc, j, 200);
		if (close && close + 1 < sc->len) {
			size_t a = skip_sp(sc, close + 1);

			if (a < sc->len && t[a] == '=' &&
			    !(a + 1 < sc->len && t[a + 1] == '='))
				code(sc, chain_start(sc, we), a + 1, 1.0f);
		}
	}
}

#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void on_keyword(struct scan *sc, size_t ws, size_t we, size_t j,
		       const struct kw_entry *k);

/* inline: called once, from the scan's loop, for every word */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline void
on_word(struct scan *sc, size_t ws, size_t we, uint64_t h)
{
	const char *t = sc->t;
	const struct kw_entry *k = kw_find_h(t + ws, we - ws, h,
					     sc->len + 1 - ws);
	size_t n = we - ws, j, e;
	int exc;

	sc->w_s = ws;
	sc->w_e = we;

	/* glog's "E0123 12:34:56.789012  1234 file.cc:56] ..." */
	if (n == 5 && IS(t[ws + 1], C_DIGIT) && (e = glog_at(sc, ws)) != 0) {
		ev(sc, CAT_LOGS, ws, line_end(sc, e, QUOTE_MAX), 1.0f,
		   "framework log");
		return;
	}

	/* exception and warning lines need no table entry; a name glued
	 * to the word before it (a report whose line breaks were removed:
	 * "givesRuntimeError:") starts at its first capital */
	if (t[we] == ':' && n >= 6 && we < sc->len) {
		size_t u = ws;

		while (u < we && !IS(t[u], C_UPPER))
			u++;
		exc = we - u >= 6 ? exception_name(t + u, we - u) : 0;
	} else
		exc = 0;
	if (exc) {
		j = we;
		if (j < sc->len && t[j] == ':' && j + 1 < sc->len &&
		    (IS(t[j + 1], C_SPACE) || t[j + 1] == '\n')) {
			size_t s = chain_start(sc, we), u = ws;

			while (u < we && !IS(t[u], C_UPPER))
				u++;
			if (u > ws)
				s = u;

			e = line_end(sc, j, QUOTE_MAX);
			if (exc == 2)
				e = warning_echo(sc, s, j, e);
			mark(sc, M_EXCEPTION, CAT_LOGS, s, e, 1.0f,
			     exc == 2 ? "warning" : "error message");
			return;
		}
	}
	if (n > 12 && (memcmp(t + ws, "CUDNN_STATUS_", 13) == 0 ||
		       memcmp(t + ws, "CUBLAS_STATUS_", 13) == 0)) {
		ev(sc, CAT_LOGS, ws, we, 1.0f, "CUDA library error");
		return;
	}
	j = skip_sp(sc, we);
	/* on_code_word acts only on a ( = or [ next, which most words
	 * lack (t[len] is NUL, in no class) */
	if (IS(t[j], C_CODEY))
		on_code_word(sc, ws, we, j, k);
	if (k)
		on_keyword(sc, ws, we, j, k);
}

/* The check a keyword names; j is the first non-blank after it. */
/*
 * PyTorch's collect_env says "CUDA used to build PyTorch: 11.7": the
 * version after the framework's name is CUDA's (or ROCm's), not its.
 */
static int
after_used_to_build(const struct scan *sc, size_t ws)
{
	return ws >= 14 && at_ci(sc, ws - 14, "used to build ");
}

/*
 * "Ubuntu 22.04.2" names a release (YY.04 or YY.10); the "Ubuntu 11.3.0"
 * in "GCC version: (Ubuntu 11.3.0-1ubuntu1~22.04.1)" is a package's.
 */
static int
ubuntu_release(const struct scan *sc, size_t i, size_t e)
{
	while (i < e && !IS(sc->t[i], C_DIGIT))
		i++;
	return e - i >= 5 && IS(sc->t[i], C_DIGIT) &&
	       IS(sc->t[i + 1], C_DIGIT) && sc->t[i + 2] == '.' &&
	       (at(sc, i + 3, "04") || at(sc, i + 3, "10")) &&
	       (e == i + 5 || sc->t[i + 5] == '.');
}

static void
on_keyword(struct scan *sc, size_t ws, size_t we, size_t j,
	   const struct kw_entry *k)
{
	const char *t = sc->t;
	size_t n = we - ws, e, s2, vs;

	if (k->fw) {
		sc->fw[k->fw]++;
		if (k->fw == FW_KERAS && ws > 1 && t[ws - 1] == '.' &&
		    (at(sc, chain_start(sc, ws - 1), "tf.") ||
		     at(sc, chain_start(sc, ws - 1), "tensorflow.")))
			sc->tf_keras = 1;
	}
	switch (k->id) {
	case KW_IMPORT:
		/* "import numpy as np", "import torch.nn", not "I import";
		 * nor a string, python -c "import torch" in a shell */
		if (j < sc->len && IS(t[j], C_ALPHA) &&
		    !(ws > 0 && (t[ws - 1] == '"' || t[ws - 1] == '\''))) {
			size_t me = j;
			const struct kw_entry *mod;

			while (me < sc->len && (IS(t[me], C_WORD) || t[me] == '.'))
				me++;
			mod = kw_find(t + j, word_end(sc, j) - j);
			if (at(sc, skip_sp(sc, me), "as ") ||
			    memchr(t + j, '.', me - j) ||
			    (mod && (mod->id == KW_ENV || mod->fw)) ||
			    at(sc, j, "os") || at(sc, j, "sys") ||
			    at(sc, j, "math") || at(sc, j, "cv2") ||
			    at(sc, j, "matplotlib") || at(sc, j, "scipy"))
				code(sc, ws, me, 2.0f);
		}
		break;
	case KW_FROM:
		if (j < sc->len && IS(t[j], C_ALPHA)) {
			size_t me = j;

			while (me < sc->len && (IS(t[me], C_WORD) || t[me] == '.'))
				me++;
			me = skip_sp(sc, me);
			if (at(sc, me, "import "))
				code(sc, ws, me + 6, 2.0f);
		}
		break;
	case KW_DEF:
		if (j < sc->len && IS(t[j], C_ALPHA)) {
			e = word_end(sc, j);
			if (e < sc->len && t[e] == '(') {
				code(sc, ws, e + 1, 2.0f);
				if (e - j == 7 && memcmp(t + j, "forward", 7) == 0)
					ev(sc, CAT_MODEL, ws, e, 1.0f,
					   "forward pass defined");
			}
		}
		break;
	case KW_CLASS:
		if (j < sc->len && IS(t[j], C_UPPER)) {
			e = word_end(sc, j);
			s2 = skip_sp(sc, e);
			if (s2 < sc->len && (t[s2] == '(' || t[s2] == ':')) {
				code(sc, ws, s2 + 1, 2.0f);
				if (t[s2] == '(') {
					size_t c = match_close(sc, s2, 80);

					if (c && (memmem(t + s2, c - s2, "Module", 6) ||
						  memmem(t + s2, c - s2, "Model", 5) ||
						  memmem(t + s2, c - s2, "Layer", 5)))
						ev(sc, CAT_MODEL, ws, c + 1, 1.0f,
						   "model class");
				}
			}
		}
		break;
	case KW_RETURN:
		if (j > we && j < sc->len &&
		    (IS(t[j], C_WORD) || t[j] == '(' || t[j] == '['))
			code(sc, ws, j + 1, 0.5f);
		break;
	case KW_FOR:
		/* for x in y: -- a colon first, then " in " before it */
		if (j < sc->len && IS(t[j], C_ALPHA)) {
			size_t lim = sc->len - j > 80 ? j + 80 : sc->len;
			const char *col = memchr(t + j, ':', lim - j);

			if (col && memchr(t + j, '\n', (size_t)(col - t) - j) ==
				   NULL &&
			    memmem(t + j, (size_t)(col - t) - j, " in ", 4))
				code(sc, ws, (size_t)(col - t) + 1, 1.0f);
		}
		break;
	case KW_WHILE:
		if (j < sc->len) {
			size_t lim = sc->len - j > 80 ? j + 80 : sc->len;
			const char *col = memchr(t + j, ':', lim - j);

			if (col && memchr(t + j, '\n', (size_t)(col - t) - j) ==
				   NULL && (size_t)(col - t) + 1 < sc->len &&
			    (col[1] == '\n' || IS(col[1], C_SPACE)))
				code(sc, ws, (size_t)(col - t) + 1, 1.0f);
		}
		break;
	case KW_IF:
		break;	/* "if" is too common in prose to be worth a look */
	case KW_ELSE:
	case KW_TRY:
		/* "try:" opening a block, not "If I try:" */
		if (j < sc->len && t[j] == ':') {
			size_t b = ws;

			while (b > 0 && IS(t[b - 1], C_SPACE))
				b--;
			if (b == 0 || !IS(t[b - 1], C_ALPHA))
				code(sc, ws, j + 1, 1.0f);
		}
		break;
	case KW_EXCEPT:
		if (j < sc->len && (t[j] == ':' || IS(t[j], C_UPPER))) {
			size_t lim = line_end(sc, j, 60);
			const char *col = memchr(t + j, ':', lim - j);

			if (col)
				code(sc, ws, (size_t)(col - t) + 1, 1.0f);
		}
		break;
	case KW_WITH:
		/* with open(f) as fh: */
		if (j < sc->len && IS(t[j], C_ALPHA)) {
			size_t lim = sc->len - j > 100 ? j + 100 : sc->len;
			const char *col = memchr(t + j, ':', lim - j);
			const char *as;

			if (col && memchr(t + j, '\n', (size_t)(col - t) - j) ==
				   NULL &&
			    (as = memmem(t + j, (size_t)(col - t) - j, " as ",
					 4)) != NULL)
				code(sc, ws, (size_t)(as - t) + 4, 1.0f);
		}
		break;
	case KW_LAMBDA:
		if (j < sc->len && (IS(t[j], C_ALPHA) || t[j] == ':'))
			code(sc, ws, j + 1, 0.5f);
		break;
	case KW_SELF:
		if (we < sc->len && t[we] == '.')
			code(sc, ws, we + 1, 0.5f);
		break;
	case KW_JSDECL:
		if (j < sc->len && IS(t[j], C_ALPHA)) {
			e = skip_sp(sc, word_end(sc, j));
			if (e < sc->len && t[e] == '=')
				code(sc, ws, e + 1, 1.0f);
		}
		break;

	case KW_TRACEBACK:
		if (at(sc, j, "(most recent call"))
			mark(sc, M_TRACEBACK, CAT_LOGS, ws,
			     line_end(sc, j, 40), 1.0f, "traceback");
		break;
	case KW_FILE:
		/* File "x.py", line 12, in <module> */
		if (j < sc->len && t[j] == '"' && t[ws] == 'F') {
			size_t lim = line_end(sc, j, 300);
			const char *q = memchr(t + j + 1, '"', lim - j - 1);

			if (q && at(sc, (size_t)(q - t) + 1, ", line ")) {
				e = line_end(sc, (size_t)(q - t), 120);
				mark(sc, M_FRAME, CAT_LOGS, ws, e, 1.0f,
				     "stack frame");
			}
		}
		break;
	case KW_EPOCH:
		e = progress_after(sc, we);
		if (!e && (t[ws] == 'e' || t[ws] == 'E'))
			e = free_progress_after(sc, we);
		if (e)
			ev(sc, CAT_LOGS, ws, e, 1.0f, "training progress");
		break;
	case KW_METRIC:
		e = metric_after(sc, we);
		if (e)
			ev(sc, CAT_LOGS, ws, e, 1.0f, "training log");
		break;
	case KW_LOSS:
		e = metric_after(sc, we);
		if (e) {
			ev(sc, CAT_LOGS, ws, e, 1.0f, "training log");
			break;
		}
		/* loss='mse', loss=nn.MSELoss() */
		if (j < sc->len && t[j] == '=' && j + 1 < sc->len &&
		    t[j + 1] != '=') {
			e = hp_value(sc, we, 1);
			if (e)
				ev(sc, CAT_HYPERPARAMETERS, ws, e, 1.0f,
				   "loss function");
		}
		break;
	case KW_LOGLEVEL:
		/* WARNING:tensorflow:..., INFO:root:... (upper case only) */
		if (IS(t[ws], C_UPPER) && IS(t[ws + 1], C_UPPER) &&
		    we < sc->len && t[we] == ':' && we + 1 < sc->len &&
		    IS(t[we + 1], C_ALPHA)) {
			e = word_end(sc, we + 1);
			if (e < sc->len && t[e] == ':')
				ev(sc, CAT_LOGS, ws, line_end(sc, e, QUOTE_MAX),
				   1.0f, "framework log");
		} else if (n >= 5 && IS(t[ws], C_UPPER) && IS(t[ws + 1], C_UPPER) &&
			   IS(t[we - 1], C_UPPER) && at(sc, we, ": ") &&
			   IS(t[skip_sp(sc, we + 1)], C_ALPHA) &&
			   !(ws > 0 && (t[ws - 1] == '\'' || t[ws - 1] == '"'))) {
			/* pip's "ERROR: No matching distribution found",
			 * "WARNING: ..." from many tools; not one quoted
			 * in code, print('ERROR: ...') */
			ev(sc, CAT_LOGS, ws, line_end(sc, we, QUOTE_MAX), 1.0f,
			   t[ws] == 'E' ? "error message" : "warning");
		}
		break;
	case KW_CUDA:
		if (at_ci(sc, j, "error") || at_ci(sc, j, "out of memory") ||
		    at_ci(sc, j, "runtime error") ||
		    at_ci(sc, j, "driver version is insufficient"))
			ev(sc, CAT_LOGS, ws, line_end(sc, j, 120), 1.0f,
			   "CUDA error");
		e = version_after(sc, we, 0);
		/* "CUDA runtime version: 11.7.99", "CUDA used to build
		 * PyTorch: 11.7" (collect_env) */
		if (!e && at_ci(sc, j, "runtime "))
			e = version_after(sc, j + 7, 0);
		else if (!e && at_ci(sc, j, "used to build "))
			e = version_after(sc, word_end(sc, j + 14), 0);
		if (e)
			ev(sc, INFO_ENVIRONMENT, ws, e, 1.0f, "CUDA version");
		break;
	case KW_OOM:
		if (at(sc, j, "when allocating"))
			ev(sc, CAT_LOGS, ws, line_end(sc, j, 120), 1.0f,
			   "out of memory");
		break;
	case KW_SEGMENTATION:
		if (at_ci(sc, j, "fault"))
			ev(sc, CAT_LOGS, ws, j + 5, 1.0f, "crash");
		break;
	case KW_CORE:
		if (at(sc, j, "dumped"))
			ev(sc, CAT_LOGS, ws, j + 6, 1.0f, "crash");
		break;
	case KW_NCCL:
		/* NCCL_DEBUG=INFO output; "NCCL INFO" in prose has no
		 * device bracket before it */
		if (at(sc, ws, "NCCL") &&
		    (at(sc, we, " INFO ") || at(sc, we, " WARN ") ||
		     at(sc, we, " TRACE ")) &&
		    (s2 = nccl_prefix(sc, ws)) != SIZE_MAX)
			ev(sc, CAT_LOGS, s2, line_end(sc, we, QUOTE_MAX), 1.0f,
			   "framework log");
		break;

	case KW_DTYPE:
		ev(sc, CAT_DATA, ws, we, 0.5f, "dtype");
		break;
	case KW_DTYPE_WORD:
		if (n == 5 && t[ws] == 'f')
			break;	/* "float" alone says nothing */
		if (j < sc->len && (t[j] == '=' || t[j] == ':'))
			ev(sc, CAT_DATA, ws, j + 1, 0.5f, "dtype");
		break;
	case KW_DATASET:
		ev(sc, CAT_DATA, ws, we, 1.0f, "dataset");
		break;
	case KW_DATALOAD:
		ev(sc, CAT_DATA, chain_start(sc, we), we, 1.0f,
		   "data loading");
		break;
	case KW_DATAGEN:
		/* np.random.rand(100, 5), torch.randn(64, 3, 224, 224) */
		if (ws > 1 && t[ws - 1] == '.' && j < sc->len && t[j] == '(') {
			size_t c = match_close(sc, j, 120);

			if (c && c > j + 1)
				ev(sc, CAT_DATA, chain_start(sc, we), c + 1,
				   1.0f, "generated data");
		}
		break;
	case KW_UNIT_DATA:
		/* handled after numbers, see on_number */
		break;
	case KW_DATAFRAME:
		ev(sc, CAT_DATA, ws, we, 0.25f, why_mentioned);
		break;
	case KW_SHAPEWORD:
		break;

	case KW_LAYER:
		if (j < sc->len && t[j] == '(')
			ev(sc, CAT_MODEL, chain_start(sc, we), j + 1, 1.0f,
			   "layer");
		else if (at_ci(sc, j, "layer"))
			ev(sc, CAT_MODEL, ws, j + 5, 1.0f, "layer");
		else
			ev(sc, CAT_MODEL, ws, we, 0.5f, "layer");
		break;
	case KW_LAYER_GENERIC:
		if (!IS(t[ws], C_UPPER) && !(ws > 0 && t[ws - 1] == '.'))
			break;
		/* x.reshape(3, 4), torch.flatten(x), np.concatenate: tensor
		 * operations; the layers are Reshape(...) or layers.flatten */
		if (!IS(t[ws], C_UPPER) && strchr("rfc", t[ws]) &&
		    !(ws >= 7 && memcmp(t + ws - 7, "layers.", 7) == 0) &&
		    (at(sc, ws, "reshape") || at(sc, ws, "flatten") ||
		     at(sc, ws, "concatenate")))
			break;
		if (j < sc->len && t[j] == '(')
			ev(sc, CAT_MODEL, chain_start(sc, we), j + 1, 1.0f,
			   "layer");
		else if (at_ci(sc, j, "layer"))
			ev(sc, CAT_MODEL, ws, j + 5, 1.0f, "layer");
		break;
	case KW_ACTIVATION:
		if (j < sc->len && (t[j] == '=' || t[j] == '(')) {
			e = hp_value(sc, we, 1);
			if (e)
				ev(sc, CAT_MODEL, ws, e, 1.0f, "activation");
		} else if (IS(t[ws], C_UPPER) && j < sc->len && t[j] == '(')
			ev(sc, CAT_MODEL, ws, j + 1, 1.0f, "layer");
		break;
	case KW_ACT:
		if (at_ci(sc, j, "activation"))
			ev(sc, CAT_MODEL, ws, j + 10, 1.0f, "activation");
		else
			ev(sc, CAT_MODEL, ws, we, 0.5f, "activation");
		break;
	case KW_ARCH:
		ev(sc, CAT_MODEL, ws, we, 1.0f, "architecture");
		break;
	case KW_ARCH_GENERIC:
		/* "CNN", "LSTM", "GAN" in capitals; "gan" in prose is rare */
		if (IS(t[ws], C_UPPER) || n > 4)
			ev(sc, CAT_MODEL, ws, we, 0.5f, "network kind");
		break;
	case KW_LAYERWORD:
		break;	/* see on_number and KW_HIDDEN */
	case KW_HIDDEN:
		if (at_ci(sc, j, "layer") || at_ci(sc, j, "units") ||
		    at_ci(sc, j, "size") || at_ci(sc, j, "dim") ||
		    at_ci(sc, j, "neurons") || at_ci(sc, j, "nodes"))
			ev(sc, CAT_MODEL, ws, word_end(sc, j), 1.0f,
			   "hidden layers");
		break;
	case KW_UNIT_MODEL:
		break;
	case KW_MODELDEF:
		if (IS(t[ws], C_UPPER) && j < sc->len && t[j] == '(')
			ev(sc, CAT_MODEL, chain_start(sc, we), j + 1, 1.0f,
			   "model definition");
		break;
	case KW_MODULE:
		if (ws > 3 && memcmp(t + ws - 3, "nn.", 3) == 0 &&
		    IS(t[ws], C_UPPER))
			ev(sc, CAT_MODEL, ws - 3, we, 1.0f, "model definition");
		break;
	case KW_MODEL:
		/* keras.Model(inputs, outputs), Model(inputs=...) */
		if (IS(t[ws], C_UPPER) && j < sc->len && t[j] == '(' &&
		    j + 1 < sc->len && t[j + 1] != ')')
			ev(sc, CAT_MODEL, chain_start(sc, we), j + 1, 1.0f,
			   "model definition");
		else if (at(sc, we, ".add(") && ws + 5 <= we)
			ev(sc, CAT_MODEL, ws, we + 5, 1.0f, "layer added");
		break;
	case KW_PRETRAINED:
		if (j < sc->len && t[j] == '(')
			ev(sc, CAT_MODEL, chain_start(sc, we), j + 1, 1.0f,
			   "pretrained model");
		break;
	case KW_PARAMS:
		/* model.summary(): "Total params: 1,234" */
		if (ws >= 6 && (memcmp(t + ws - 6, "Total ", 6) == 0 ||
				(ws >= 10 &&
				 memcmp(t + ws - 10, "Trainable ", 10) == 0)) &&
		    we < sc->len && t[we] == ':')
		{
			size_t s = ws >= 10 && t[ws - 10] == 'T' ? ws - 10 :
				   ws - 6;

			/* the summary describes the model and is output */
			ev(sc, CAT_MODEL, s, we + 1, 1.0f, why_summary);
			ev(sc, CAT_LOGS, s, line_end(sc, we, 80), 1.0f,
			   why_summary);
		}
		break;
	case KW_INPUTSHAPE:
		if (j < sc->len && t[j] == '=')
			ev(sc, CAT_MODEL, ws, j + 1, 0.5f, "layer argument");
		break;

	case KW_HP:
		e = hp_value(sc, we, 0);
		if (e && !(t[ws] == 'd' && n == 5 && at(sc, we, " of ")))
			ev(sc, CAT_HYPERPARAMETERS, ws, e, 1.0f, k->label);
		break;
	case KW_LEARNING:
		/* "learning rate 0.01", "learning-rate of 1e-4" */
		s2 = we;
		if (s2 < sc->len && (t[s2] == ' ' || t[s2] == '-' || t[s2] == '_'))
			s2++;
		if (at_ci(sc, s2, "rate")) {
			e = hp_value(sc, s2 + 4, 0);
			if (e)
				ev(sc, CAT_HYPERPARAMETERS, ws, e, 1.0f,
				   "learning rate");
		}
		break;
	case KW_BATCH:
		s2 = we;
		if (s2 < sc->len && (t[s2] == ' ' || t[s2] == '-' || t[s2] == '_'))
			s2++;
		if (at_ci(sc, s2, "size")) {
			e = hp_value(sc, s2 + 4, 0);
			if (e)
				ev(sc, CAT_HYPERPARAMETERS, ws, e, 1.0f,
				   "batch size");
		} else if (at(sc, j, "of ")) {
			e = int_end(sc, j + 3);
			if (e > j + 3)
				ev(sc, CAT_HYPERPARAMETERS, ws, e, 1.0f,
				   "batch size");
		} else if (ws > 0 && t[ws - 1] == '.' && we < sc->len &&
			   t[we] == '(') {
			/* tf.data's ds.batch(32), batch(batch_size=32) */
			s2 = skip_sp(sc, we + 1);
			if (at(sc, s2, "batch_size"))
				s2 = skip_sp(sc, s2 + 10);
			if (s2 < sc->len && t[s2] == '=')
				s2 = skip_sp(sc, s2 + 1);
			e = int_end(sc, s2);
			if (e > s2 && e < sc->len &&
			    (t[e] == ')' || t[e] == ',' || t[e] == ' '))
				ev(sc, CAT_HYPERPARAMETERS, ws,
				   e + (t[e] == ')'), 1.0f, "batch size");
		}
		break;
	case KW_WEIGHT:
		s2 = we;
		if (s2 < sc->len && (t[s2] == ' ' || t[s2] == '-'))
			s2++;
		if (at_ci(sc, s2, "decay")) {
			e = hp_value(sc, s2 + 5, 0);
			if (e)
				ev(sc, CAT_HYPERPARAMETERS, ws, e, 1.0f,
				   "weight decay");
		}
		break;
	case KW_OPT:
		/* Adam(lr=...), optim.SGD(...), 'adam', "Adam optimizer" */
		if (j < sc->len && t[j] == '(')
			ev(sc, CAT_HYPERPARAMETERS, chain_start(sc, we), j + 1,
			   1.0f, "optimizer");
		else if (ws > 0 && (t[ws - 1] == '\'' || t[ws - 1] == '"') &&
			 we < sc->len && t[we] == t[ws - 1])
			ev(sc, CAT_HYPERPARAMETERS, ws - 1, we + 1, 1.0f,
			   "optimizer");
		else if (IS(t[ws], C_UPPER) || at_ci(sc, j, "optimi"))
			ev(sc, CAT_HYPERPARAMETERS, ws, we, 1.0f, "optimizer");
		break;
	case KW_OPTIMIZER:
		if (j < sc->len && (t[j] == '=' || t[j] == ':')) {
			e = hp_value(sc, we, 1);
			if (e)
				ev(sc, CAT_HYPERPARAMETERS, ws, e, 1.0f,
				   "optimizer");
		}
		break;
	case KW_LOSSNAME:
		ev(sc, CAT_HYPERPARAMETERS, ws, we, 1.0f, "loss function");
		break;
	case KW_EPOCHS:
		e = hp_value(sc, we, 0);
		if (e)
			ev(sc, CAT_HYPERPARAMETERS, ws, e, 1.0f, "epochs");
		break;
	case KW_DROPOUT:
		if (j < sc->len && (t[j] == '(' || t[j] == '=')) {
			size_t v = skip_sp(sc, j + 1);

			if (t[j] == '(' && at(sc, v, "p="))
				v += 2;
			if (t[j] == '(' && at(sc, v, "rate="))
				v += 5;
			e = number_end(sc, v);
			if (e > v)
				ev(sc, CAT_HYPERPARAMETERS, ws, e, 1.0f,
				   "dropout");
			if (t[j] == '(' && IS(t[ws], C_UPPER))
				ev(sc, CAT_MODEL, chain_start(sc, we), j + 1,
				   1.0f, "layer");
		} else {
			e = hp_value(sc, we, 0);
			if (e)
				ev(sc, CAT_HYPERPARAMETERS, ws, e, 1.0f,
				   "dropout");
		}
		break;

	case KW_ENV:
		/* "python3.6/site-packages": the version is in the word */
		if (n == 7 && t[we - 1] == '3' && we + 1 < sc->len &&
		    t[we] == '.' && IS(t[we + 1], C_DIGIT)) {
			e = we + 1;
			while (e < sc->len && IS(t[e], C_DIGIT))
				e++;
			ev(sc, INFO_ENVIRONMENT, ws, e, 1.0f, "Python version");
			break;
		}
		/* a module path, not a version claim; but "tf.keras 2.4"
		 * names Keras as TensorFlow ships it */
		vs = ws;
		if (k->fw == FW_KERAS && ws > 0 && t[ws - 1] == '.') {
			vs = chain_start(sc, ws - 1);
			if (vs + 3 != ws && vs + 11 != ws)
				vs = ws;
			else if (!at(sc, vs, "tf.keras") &&
				 !at(sc, vs, "tensorflow.keras"))
				vs = ws;
		}
		if (vs == ws && ws > 0 && (t[ws - 1] == '.' || t[ws - 1] == '/'))
			break;
		if (we < sc->len && t[we] == '.' && !at(sc, we, ".__version__"))
			break;	/* torch.nn, tf.keras */
		e = version_after(sc, we, !(k->label[0] == 'P' && n == 6) &&
				  strcmp(k->label, "Windows") != 0);
		if (e && (after_used_to_build(sc, ws) ||
			  (strcmp(k->label, "Ubuntu") == 0 &&
			   !ubuntu_release(sc, we, e))))
			e = 0;
		if (e)
			ev(sc, INFO_ENVIRONMENT, vs, e, 1.0f, k->label);
		/* TF's own C++ log: "W tensorflow/core/..." */
		if (k->fw == FW_TF && n == 10 && we < sc->len && t[we] == '/' &&
		    ws >= 2 && t[ws - 1] == ' ' && strchr("WIEF", t[ws - 2]) &&
		    (ws == 2 || !IS(t[ws - 3], C_WORD)))
			ev(sc, CAT_LOGS, ws - 2, line_end(sc, we, QUOTE_MAX),
			   1.0f, "framework log");
		break;
	case KW_ENV_LOOSE:
		ev(sc, INFO_ENVIRONMENT, ws, we, 1.0f, k->label);
		break;
	case KW_GPU:
		e = we;
		if (n <= 3 && (t[ws] == 'G' || t[ws] == 'R' || t[ws] == 'g' ||
			       t[ws] == 'r')) {
			e = int_end(sc, skip_sp(sc, we));
			if (e == skip_sp(sc, we))
				break;
		} else if (!IS(t[ws], C_UPPER))
			break;
		ev(sc, INFO_ENVIRONMENT, ws, e, 1.0f, "GPU model");
		break;
	case KW_COLAB:
		ev(sc, INFO_ENVIRONMENT, ws, we, 1.0f, "Google Colab");
		break;
	default:
		break;
	}
}

/*
 * "images of 512x512", "224x224 RGB images", "28x28 pixels": a size said
 * of the pictures is the data's; "a 3x3 kernel" is not.
 */
static int
image_size(const struct scan *sc, size_t s, size_t e)
{
	static const struct word img[] = { W("image"), W("img"),
		W("picture"), W("photo"), W("pixel"), W("grayscale"),
		W("greyscale"), W("rgb"), W("resolution"), { NULL, 0 } },
	not_img[] = { W("kernel"), W("filter"), W("conv"), W("pool"),
		W("stride"), W("patch"), W("window"), W("grid"),
		W("matri"), { NULL, 0 } };
	size_t a = skip_sp(sc, e), ae = word_end(sc, a);

	/* the rare match first: most sizes have no picture word near */
	if (!window_has(sc, a, ae, img) &&
	    !window_has(sc, back(sc, s, 16), s, img))
		return 0;
	return !window_has(sc, a, ae, not_img);
}

/*
 * A number: "150 epochs", "60,000 images", "two hidden layers with 12 and
 * 3 nodes" (the counts), "28x28", and runs of numbers, which are pasted
 * data rows or printed arrays.  Returns where the scan goes on.
 */
static size_t
on_number(struct scan *sc, size_t i)
{
	const char *t = sc->t;
	size_t e = number_end(sc, i), j, we, p, last;
	const struct kw_entry *k;
	int count, nan = 0;

	if (e == i) {
		/* glued to letters: 28x28 */
		j = int_end(sc, i);
		while (j < sc->len && IS(t[j], C_DIGIT))
			j++;
		if (j < sc->len && (t[j] == 'x' || t[j] == 'X') &&
		    j + 1 < sc->len && IS(t[j + 1], C_DIGIT)) {
			size_t e2 = j + 1;

			while (e2 < sc->len && IS(t[e2], C_DIGIT))
				e2++;
			if (e2 >= sc->len || !IS(t[e2], C_ALPHA))
				ev(sc, CAT_DATA, i, e2, image_size(sc, i, e2) ?
				   1.0f : 0.5f, "size");
			return e2;
		}
		return word_end(sc, i);
	}
	/* Keras's "Found 2000 images belonging to 2 classes." (here, not
	 * in the keyword table: "found" is a common word, this line rare) */
	if (i >= 6 && t[i - 6] == 'F' && memcmp(t + i - 5, "ound ", 5) == 0 &&
	    (at(sc, e, " images belonging to ") ||
	     at(sc, e, " files belonging to ")) &&
	    (i == 6 || !IS(t[i - 7], C_WORD)))
		ev(sc, CAT_LOGS, i - 6, line_end(sc, e, QUOTE_MAX), 1.0f,
		   "framework log");
	/* thousands separators: 60,000 */
	while (e + 3 < sc->len && t[e] == ',' && IS(t[e + 1], C_DIGIT) &&
	       IS(t[e + 2], C_DIGIT) && IS(t[e + 3], C_DIGIT) &&
	       (e + 4 >= sc->len || !IS(t[e + 4], C_DIGIT)))
		e += 4;
	/* "N epochs", "N samples", "N units" */
	j = skip_sp(sc, e);
	if (j > e || (j < sc->len && t[j] == '-')) {
		if (j < sc->len && t[j] == '-')
			j++;
		if (j < sc->len && IS(t[j], C_ALPHA)) {
			we = word_end(sc, j);
			k = kw_find(t + j, we - j);
			if (k && k->id == KW_EPOCHS)
				ev(sc, CAT_HYPERPARAMETERS, i, we, 1.0f, "epochs");
			else if (k && k->id == KW_UNIT_DATA)
				ev(sc, CAT_DATA, i, we, 1.0f, "data size");
			else if (k && (k->id == KW_UNIT_MODEL ||
				       k->id == KW_LAYERWORD ||
				       k->id == KW_HIDDEN))
				ev(sc, CAT_MODEL, i, we, 1.0f, "layer sizes");
		}
	}
	/* a run of numbers */
	count = 1;
	last = e;
	p = e;
	for (;;) {
		size_t q = p, ne;

		while (numsep[(unsigned char)t[q]])	/* t[len] is NUL */
			q++;
		if (q == p || q >= sc->len)
			break;
		ne = number_end(sc, q);
		if (ne == q && (at_ci(sc, q, "nan") || at_ci(sc, q, "inf")) &&
		    (q + 3 >= sc->len || !IS(t[q + 3], C_WORD))) {
			ne = q + 3;
			nan = 1;
		}
		if (ne == q)
			break;
		count++;
		last = ne;
		p = ne;
	}
	if (count >= 6) {
		/* NaN among the numbers: printed training output, not data */
		if (nan)
			ev(sc, CAT_LOGS, i, last, 1.0f, "printed values");
		else
			ev(sc, CAT_DATA, i, last, 1.0f, "data values");
		return last;
	}
	return e;
}

/*
 * texts = ["the battery died", "works as described"]: sample inputs
 * written into the code, when the variable's name says data.
 */
static void
strings_list(struct scan *sc, size_t i)
{
	static const char *const names[] = { "text", "texts", "sentences",
		"sentence", "data", "docs", "documents", "corpus", "samples",
		"inputs", "reviews", "x", "X", "x_train", "X_train", "train",
		"examples", "batch", "prompts", "labels", "y", NULL };
	const char *t = sc->t;
	size_t b = i, ws, we, j = i + 1, c;
	int k, n = 0;

	while (b > 0 && IS(t[b - 1], C_SPACE))
		b--;
	if (b == 0 || t[b - 1] != '=' || !word_before(sc, b - 1, &ws, &we))
		return;
	for (k = 0; names[k]; k++)
		if (we - ws == strlen(names[k]) &&
		    memcmp(t + ws, names[k], we - ws) == 0)
			break;
	if (!names[k])
		return;
	c = match_close(sc, i, 2000);
	if (!c)
		return;
	while (j < c) {
		char q;

		j = skip_ws(sc, j);
		if (j >= c || (t[j] != '"' && t[j] != '\''))
			break;
		q = t[j++];
		while (j < c && t[j] != q)
			j++;
		if (j >= c)
			return;
		n++;
		j = skip_ws(sc, j + 1);
		if (j < c && t[j] == ',')
			j++;
	}
	if (n >= 2)
		ev(sc, CAT_DATA, ws, c + 1, 1.0f, "sample inputs");
}

/*
 * Is the shape at s said of a weight, not of the data?  "copying a param
 * with shape torch.Size([3, 768])", "weight of size [64, 12, 3]", "Layer
 * weight shape (3, 3, 64, 128)", "fc.weight torch.Size([10, 512])", and
 * PyTorch's "the shape in current model is ...": the nearest noun before
 * it, over "of", "with", "shape" and the like, names a parameter.  "x.shape
 * is ...", "input of shape ..." stay the data's.
 */
static int
param_shape(const struct scan *sc, size_t s)
{
	static const struct word param[] = { W("param"), W("params"),
		W("parameter"), W("parameters"), W("weight"), W("weights"),
		W("bias"), W("kernel"), W("checkpoint"), { NULL, 0 } },
	filler[] = { W("is"), W("are"), W("was"), W("of"), W("with"),
		W("has"), W("shape"), W("shapes"), W("size"), W("sizes"),
		W("the"), W("a"), W("an"), W("in"), W("its"), { NULL, 0 } };
	const char *t = sc->t;
	size_t lim = back(sc, s, 64), e = s, b;
	int k, words;

	for (words = 0; words < 6; words++) {
		while (e > lim && IS(t[e - 1], C_SPACE))
			e--;
		if (e == lim || !IS(t[e - 1], C_WORD))
			return 0;
		b = e;
		while (b > lim && IS(t[b - 1], C_WORD))
			b--;
		for (k = 0; param[k].w; k++)
			if (e - b == param[k].n &&
			    at_ci_n(sc, b, param[k].w, param[k].n))
				return 1;
		if (e - b == 5 && at_ci(sc, b, "model")) {
			/* "the shape in current model is" */
			e = b;
			while (e > lim && IS(t[e - 1], C_SPACE))
				e--;
			return e >= lim + 7 && at_ci(sc, e - 7, "current") &&
			       (e - 7 == lim || !IS(t[e - 8], C_WORD));
		}
		for (k = 0; filler[k].w; k++)
			if (e - b == filler[k].n &&
			    at_ci_n(sc, b, filler[k].w, filler[k].n))
				break;
		if (!filler[k].w)
			return 0;
		e = b;
		if (e > lim && t[e - 1] == '.')
			e--;	/* x.shape */
	}
	return 0;
}

/* "(300, 5, 720)", "[?, 32, 32]", "torch.Size([32, 3])", "[60, 70]". */
static void
on_bracket(struct scan *sc, size_t i)
{
	static const struct word skip_kw[] = {
		W("kernel_size"), W("strides"), W("stride"), W("pool_size"),
		W("padding"), W("figsize"), W("dilation"), W("dilation_rate"),
		W("range"), W("xlim"), W("ylim"), W("axis"), W("dims"),
		W("perm"), W("permute"), W("transpose"), W("betas"),
		W("slice"),
	}, shape_fn[] = {
		W("Size"), W("reshape"), W("view"), W("zeros"), W("ones"),
		W("empty"), W("full"), W("Input"), W("placeholder"),
		W("TensorShape"), W("shape"), W("input_shape"),
		W("target_size"), W("batch_input_shape"), W("resize"),
		W("expand"), W("broadcast_to"), W("Reshape"), W("rand"),
		W("randn"), W("randint"), W("normal"), W("uniform"),
		W("random"), W("image_size"), W("img_size"), W("size"),
	}, literal_fn[] = {
		W("array"), W("asarray"), W("tensor"), W("constant"),
		W("Tensor"), W("FloatTensor"), W("LongTensor"),
		W("DataFrame"), W("convert_to_tensor"),
	};
	const char *t = sc->t;
	char close = t[i] == '(' ? ')' : ']';
	size_t j = i + 1, e, ws, we, ctx_at = i, q;
	int n = 0, ints = 1, nested = 0, unknown = 0, trailing = 0, k;
	int fn_shape = 0, fn_literal = 0, in_call = 0, prev_comma;
	float w;

	/* torch.Size([...]) and np.array([[...]]) nest */
	if (j < sc->len && t[j] == '[' && close == ']') {
		nested = 1;
		j++;
	}
	if (close == ']' && !nested && j < sc->len &&
	    (t[j] == '"' || t[j] == '\'')) {
		strings_list(sc, i);
		return;
	}
	for (;;) {
		j = skip_ws(sc, j);
		if (j >= sc->len)
			return;
		if (at(sc, j, "None") || t[j] == '?') {
			j += t[j] == '?' ? 1 : 4;
			unknown = 1;
		} else {
			e = number_end(sc, j);
			if (e == j)
				break;
			for (q = j; q < e; q++)
				if (t[q] == '.' || t[q] == 'e')
					ints = 0;
			j = e;
		}
		n++;
		j = skip_ws(sc, j);
		if (j < sc->len && t[j] == ',') {
			j++;
			trailing = 1;
			continue;
		}
		trailing = 0;
		if (nested && j < sc->len && t[j] == ']') {
			/* [[1, 2], [3, 4]] */
			j++;
			j = skip_ws(sc, j);
			if (j < sc->len && t[j] == ',') {
				j = skip_ws(sc, j + 1);
				if (j < sc->len && t[j] == '[') {
					j++;
					continue;
				}
			}
			break;
		}
		if (close == ']' && !nested && j < sc->len &&
		    (IS(t[j], C_DIGIT) || t[j] == '-'))
			continue;	/* numpy prints [1 2 3] */
		break;
	}
	if (n == 0 || j >= sc->len)
		return;
	if (t[j] != close) {
		if (!(nested && t[j] == ']'))
			return;
	}
	e = j + 1;
	if (nested && e < sc->len && t[e] == ']')
		e++;
	if (n == 1 && !trailing)
		return;
	/* what comes before: a call name, a keyword argument, prose */
	if (i > 0 && IS(t[i - 1], C_WORD))
		in_call = 1;
	{
		size_t b = i;

		while (b > 0 && IS(t[b - 1], C_SPACE))
			b--;
		prev_comma = b > 0 && t[b - 1] == ',';
	}
	if (in_call) {
		ws = we = i;
		while (ws > 0 && IS(t[ws - 1], C_WORD))
			ws--;
	} else {
		size_t b = i;

		while (b > 0 && IS(t[b - 1], C_SPACE))
			b--;
		if (b > 0 && (t[b - 1] == '=' || t[b - 1] == '(' ||
			      t[b - 1] == ':')) {
			ctx_at = b - 1;
			if (!word_before(sc, b - 1, &ws, &we))
				ws = we = b - 1;
		} else
			ws = we = i;
	}
	for (k = 0; k < (int)ARRAY_SIZE(skip_kw); k++)
		if (we - ws == skip_kw[k].n &&
		    memcmp(t + ws, skip_kw[k].w, we - ws) == 0)
			return;
	for (k = 0; k < (int)ARRAY_SIZE(shape_fn); k++)
		if (we - ws == shape_fn[k].n &&
		    memcmp(t + ws, shape_fn[k].w, we - ws) == 0)
			fn_shape = 1;
	for (k = 0; k < (int)ARRAY_SIZE(literal_fn); k++)
		if (we - ws == literal_fn[k].n &&
		    memcmp(t + ws, literal_fn[k].w, we - ws) == 0)
			fn_literal = 1;
	if (fn_literal && (nested || n >= 2)) {
		/* np.array([[0, 1], [1, 0]]), torch.tensor([1, 2, 3]) */
		ev(sc, CAT_DATA, i, e, 1.0f, "data values");
		return;
	}
	if (in_call && !fn_shape && !nested)
		return;	/* arguments of some call: f(1, 2) */
	if (!ints) {
		if (nested || n >= 4)
			ev(sc, CAT_DATA, i, e, 1.0f, "data values");
		else if (n == 2 && window_has(sc, back(sc, i, 40), i, range_ctx))
			ev(sc, CAT_DATA, i, e, 1.0f, "value range");
		return;
	}
	if (nested)
		w = 1.0f;
	else if (ctx_at < i && t[ctx_at] == '=' && we - ws >= 5 &&
		 memcmp(t + we - 5, "shape", 5) == 0 &&
		 (we - ws > 5 || (ws >= 6 && memcmp(t + ws - 6, "Input(", 6) == 0)))
		w = 0.5f;	/* a layer's input_shape=: mostly the model */
	else if (fn_shape || unknown || n >= 3)
		w = 1.0f;
	else if (prev_comma)
		return;	/* Conv2D(32, (3, 3)): a kernel size, not data */
	else if (window_has(sc, back(sc, i, 40), i, range_ctx)) {
		ev(sc, CAT_DATA, i, e, 1.0f, "value range");
		return;
	} else if (window_has(sc, back(sc, i, 40), i, shape_ctx))
		w = 1.0f;
	else
		w = 0.5f;
	if (fn_shape && ctx_at < i && t[ctx_at] == '(' && e < sc->len &&
	    t[e] == ')')
		e++;	/* torch.Size([...]) */
	if (fn_shape && ws > 0 && t[ws - 1] == '.') {
		size_t cs = chain_start(sc, we);

		if (strncmp(t + ws, "Input", 5) != 0)
			ws = cs;
	}
	if (!nested && param_shape(sc, fn_shape ? ws : i))
		return;
	ev(sc, CAT_DATA, fn_shape ? ws : i, e, w,
	   nested ? "data values" : "shape");
}

/* File names that are data: "train.csv", 'data.npy'. */
static void
on_dot(struct scan *sc, size_t i)
{
	static const struct word ext[] = { W("csv"), W("tsv"), W("npy"),
		W("npz"), W("tfrecord"), W("tfrecords"), W("parquet"),
		W("xlsx"), W("xls"), W("h5py"), W("arff"), W("jsonl"),
		{ NULL, 0 } };
	const char *t = sc->t;
	size_t we, ws;
	int k;

	if (i == 0 || i + 1 >= sc->len || !IS(t[i + 1], C_ALPHA) ||
	    !(IS(t[i - 1], C_WORD) || t[i - 1] == '-'))
		return;
	switch (lower[(unsigned char)t[i + 1]]) {
	case 'c': case 't': case 'n': case 'p': case 'x': case 'h':
	case 'a': case 'j':
		break;
	default:
		return;	/* model.fit, tf.keras: not a file name */
	}
	we = word_end(sc, i + 1);
	if (we - i - 1 < 3 || we - i - 1 > 9)
		return;
	for (k = 0; ext[k].w; k++)
		if (we - i - 1 == ext[k].n &&
		    strncasecmp(t + i + 1, ext[k].w, we - i - 1) == 0) {
			ws = i;
			while (ws > 0 && (IS(t[ws - 1], C_WORD) ||
					  t[ws - 1] == '-' || t[ws - 1] == '/'))
				ws--;
			ev(sc, CAT_DATA, ws, we, 1.0f, "data file");
			return;
		}
}

static void
on_punct(struct scan *sc, size_t i)
{
	const char *t = sc->t;

	switch (t[i]) {
	case '(':
	case '[':
		/* PyTorch's c10 log lines, "[E ProcessGroupNCCL.cpp:475] ..." */
		if (t[i] == '[' && IS(t[i + 1], C_UPPER)) {
			size_t e = glog_at(sc, i + 1);

			if (e)
				ev(sc, CAT_LOGS, i, line_end(sc, e, QUOTE_MAX),
				   1.0f, "framework log");
		}
		/* a notebook cell's result: "Out[4]: torch.Size([16, 10])" */
		if (t[i] == '[' && i >= 3 && t[i - 3] == 'O' && t[i - 2] == 'u' &&
		    t[i - 1] == 't' && (i == 3 || !IS(t[i - 4], C_WORD))) {
			size_t e = int_end(sc, i + 1);

			if (e > i + 1 && at(sc, e, "]:"))
				ev(sc, CAT_LOGS, i - 3,
				   line_end(sc, e, QUOTE_MAX), 1.0f,
				   "printed output");
		}
		/* only numbers, None, ?, nested lists or strings inside can
		 * make a shape, a sample or a range */
		if (i + 1 < sc->len) {
			char n = t[i + 1] == ' ' && i + 2 < sc->len ? t[i + 2]
								     : t[i + 1];

			if (IS(n, C_DIGIT) || n == '-' || n == '?' || n == 'N' ||
			    n == '[' || n == '\'' || n == '"' || n == '.')
				on_bracket(sc, i);
		}
		break;
	case '.':
		on_dot(sc, i);
		break;
	case '>':
		/* ">>> x = 1" interactive prompt */
		if (at(sc, i, ">>> ") && (i == 0 || t[i - 1] == '\n' ||
					  t[i - 1] == ' '))
			code(sc, i, i + 4, 1.0f);
		break;
	case '-':
		/* IPython: "----> 1 modl(x)", "--> 477 result = ..." */
		if (i + 1 < sc->len && t[i + 1] == '-' && at(sc, i, "--> ") &&
		    (i == 0 || t[i - 1] != '-' ||
					  at(sc, i - 2, "----> "))) {
			size_t e = int_end(sc, i + 4);

			if (e > i + 4)
				mark(sc, M_FRAME, CAT_LOGS, i, e, 1.0f,
				     "stack frame");
		}
		break;
	case '<':
		if (at(sc, i, "<ipython-input-"))
			mark(sc, M_FRAME, CAT_LOGS, i, i + 15, 1.0f,
			     "stack frame");
		break;
	case '@':
		/* decorators on their own line: @tf.function */
		if ((i == 0 || t[i - 1] == '\n') && i + 1 < sc->len &&
		    IS(t[i + 1], C_ALPHA))
			code(sc, i, word_end(sc, i + 1), 1.0f);
		break;
	default:
		break;
	}
}

/*
 * From i, the first byte the scan acts on (a word byte or a trigger), or
 * len: indentation, rules of '=' and runs of punctuation go by sixteen
 * bytes a compare where there is SSE2.
 */
static inline size_t
skip_dull(const char *t, size_t i, size_t len)
{
#if defined(__SSE2__)
#define EQ(x, c) _mm_cmpeq_epi8((x), _mm_set1_epi8(c))
#define OR(a, b) _mm_or_si128((a), (b))
	while (i + 16 <= len) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)
					    (t + i));
		__m128i d = _mm_sub_epi8(x, _mm_set1_epi8('0'));
		__m128i l = _mm_sub_epi8(OR(x, _mm_set1_epi8(0x20)),
					 _mm_set1_epi8('a'));
		__m128i dig = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)),
					     d);
		__m128i let = _mm_cmpeq_epi8(_mm_min_epu8(l, _mm_set1_epi8(25)),
					     l);
		__m128i trig = OR(OR(OR(EQ(x, '('), EQ(x, '[')),
				     OR(EQ(x, '.'), EQ(x, '>'))),
				  OR(OR(EQ(x, '-'), EQ(x, '<')), EQ(x, '@')));
		unsigned bits = (unsigned)_mm_movemask_epi8(
			OR(OR(dig, let), OR(EQ(x, '_'), trig)));

		if (bits)
			return i + (size_t)__builtin_ctz(bits);
		i += 16;
	}
#undef EQ
#undef OR
#endif
	while (i < len && !IS(t[i], C_WORD | C_TRIGGER))
		i++;
	return i;
}

static void
scan_text(struct scan *sc)
{
	const char *t = sc->t;
	size_t i = 0;

	while (i < sc->len) {
		unsigned char c = (unsigned char)t[i];
		unsigned char k = cclass[c];

		if (k & C_ALPHA) {
			/* the keyword hash is computed as the word is read;
			 * t[len] is NUL, which ends any word */
			uint64_t h = wfold[c];
			size_t we = i + 1;
			unsigned char f;

			while ((f = wfold[(unsigned char)t[we]]) != 0) {
				h = KW_STEP(h, f);
				we++;
			}
			on_word(sc, i, we, h);
			i = we;
		} else if (k & C_DIGIT) {
			if (i > 0 && (IS(t[i - 1], C_WORD) || t[i - 1] == '.')) {
				i = word_end(sc, i);
				continue;
			}
			i = on_number(sc, i);
		} else if (k & C_TRIGGER) {
			on_punct(sc, i);
			i++;
		} else if (IS(t[i + 1], C_WORD | C_TRIGGER))
			i++;	/* one space between words: the common case */
		else
			i = skip_dull(t, i + 1, sc->len);
	}
}

/* ---- from marks to results ---- */

/*
 * Marks arrive nearly in order: insertion sort is linear then, and
 * stable, so that marks with equal bounds keep the scan's order.
 */
static void
sort_marks(struct regvec *mv)
{
	size_t i, j;

	for (i = 1; i < mv->n; i++) {
		const struct region *a = &mv->v[i - 1], *b = &mv->v[i];
		struct region m;

		if (a->s < b->s || (a->s == b->s && a->e <= b->e))
			continue;	/* in order, the usual case */
		m = mv->v[i];
		j = i;
		while (j > 0 && (mv->v[j - 1].s > m.s ||
				 (mv->v[j - 1].s == m.s &&
				  mv->v[j - 1].e > m.e))) {
			mv->v[j] = mv->v[j - 1];
			j--;
		}
		mv->v[j] = m;
	}
}

static int
reg_cmp(const void *a, const void *b)
{
	const struct region *x = a, *y = b;

	if (x->s != y->s)
		return x->s < y->s ? -1 : 1;
	return x->e < y->e ? -1 : x->e > y->e;
}

/*
 * Log regions: each traceback from its header (or first frame) to the
 * exception line that ends it, plus every other log line.  Sorted and
 * merged, so that sorted marks test membership walking alongside.
 */
static void
build_log_regions(struct scan *sc, struct regvec *rv)
{
	size_t i, rs = 0, re = 0;
	int open = 0;

	for (i = 0; i < sc->mk[CAT_LOGS].n; i++) {
		const struct region *mk = &sc->mk[CAT_LOGS].v[i];

		if (mk->kind == M_TRACEBACK || mk->kind == M_FRAME) {
			if (open && mk->s <= re + FRAME_GAP) {
				if (mk->e > re)
					re = mk->e;
				continue;
			}
			if (open)
				reg_push(rv, rs, line_end(sc, re + 1 < sc->len ?
						   re + 1 : re, 200),
					 "traceback");
			open = 1;
			rs = mk->s;
			re = mk->e;
			continue;
		}
		if (mk->kind == M_EXCEPTION) {
			if (open && mk->s <= re + FRAME_GAP) {
				reg_push(rv, rs, mk->e > re ? mk->e : re,
					 "traceback");
				open = 0;
			} else
				reg_push(rv, mk->s, mk->e, mk->why);
			continue;
		}
		reg_push(rv, mk->s, mk->e, mk->why);	/* log evidence */
	}
	if (open)
		reg_push(rv, rs, line_end(sc, re + 1 < sc->len ? re + 1 : re,
					   200), "traceback");
	for (i = 1; i < rv->n; i++)
		if (reg_cmp(&rv->v[i - 1], &rv->v[i]) > 0) {
			qsort(rv->v, rv->n, sizeof(*rv->v), reg_cmp);
			break;
		}
}

/* Disjoint copy of sorted regions, for membership tests. */
static void
merge_regions(const struct regvec *in, struct regvec *out)
{
	size_t i;

	for (i = 0; i < in->n; i++) {
		struct region *last = out->n ? &out->v[out->n - 1] : NULL;

		if (last && in->v[i].s <= last->e) {
			if (in->v[i].e > last->e)
				last->e = in->v[i].e;
		} else
			reg_push(out, in->v[i].s, in->v[i].e, in->v[i].why);
	}
}

/*
 * Bytes of [s, e) quoted: all of it up to QUOTE_MAX, else a prefix cut on
 * a character boundary (an ellipsis follows).
 */
static size_t
quote_len(const struct scan *sc, size_t s, size_t e)
{
	size_t n = e - s;

	if (n <= QUOTE_MAX)
		return n;
	n = QUOTE_MAX;
	while (n > 0 && ((unsigned char)sc->t[s + n] & 0xc0) == 0x80)
		n--;
	return n;
}

/*
 * Sort, merge overlapping or touching regions, keep MAX_SPANS; returns
 * how many spans there will be and adds the bytes of their quotes
 * (quote, maybe an ellipsis, NUL) to *text.
 */
/*
 * Whether r quotes the same bytes as one of the spans kept so far,
 * rv->v[0..n]: a traceback repeats "python3.9" in every frame's path, and
 * eight copies of it would leave no room for the "tensorflow 2.6.0" said
 * after it.  One place is enough to show for a text.
 */
static int
same_text_kept(const struct scan *sc, const struct regvec *rv, size_t n,
	       const struct region *r)
{
	size_t len = r->e - r->s;

	for (size_t k = 0; k <= n; k++)
		if (rv->v[k].e - rv->v[k].s == len &&
		    memcmp(sc->t + rv->v[k].s, sc->t + r->s, len) == 0)
			return 1;
	return 0;
}

static size_t
merge_spans(const struct scan *sc, struct regvec *rv, size_t *text)
{
	size_t i, n = 0;

	if (rv->n == 0)
		return 0;
	/* byte caps (end of line within N bytes) may cut a character */
	for (i = 0; i < rv->n; i++) {
		while (rv->v[i].s < sc->len &&
		       ((unsigned char)sc->t[rv->v[i].s] & 0xc0) == 0x80)
			rv->v[i].s++;
		while (rv->v[i].e < sc->len &&
		       ((unsigned char)sc->t[rv->v[i].e] & 0xc0) == 0x80)
			rv->v[i].e++;
	}
	for (i = 1; i < rv->n; i++)
		if (reg_cmp(&rv->v[i - 1], &rv->v[i]) > 0) {
			qsort(rv->v, rv->n, sizeof(*rv->v), reg_cmp);
			break;
		}
	for (i = 1; i < rv->n; i++) {
		struct region *last = &rv->v[n];

		if (rv->v[i].s <= last->e + 3) {
			if (rv->v[i].e > last->e)
				last->e = rv->v[i].e;
		} else if (n + 1 == MAX_SPANS)
			break;	/* sorted: nothing later joins the last one */
		else if (!same_text_kept(sc, rv, n, &rv->v[i]))
			rv->v[++n] = rv->v[i];
	}
	n++;
	for (i = 0; i < n; i++)
		*text += quote_len(sc, rv->v[i].s, rv->v[i].e) + 4;
	return n;
}

/*
 * q bytes from src to dst, sixteen a step, the last step whole when src
 * has the bytes (up to end) and dst the room: the buffer has sixteen
 * spare bytes at its end, and a quote's tail is overwritten by what
 * follows it.
 */
static inline void
copy_quote(char *dst, const char *src, size_t q, const char *end)
{
	size_t k = 0;

#if defined(__SSE2__)
	for (; k + 16 <= q; k += 16)
		_mm_storeu_si128((__m128i *)(void *)(dst + k),
				 _mm_loadu_si128((const __m128i *)
						 (const void *)(src + k)));
	if (k < q && (size_t)(end - (src + k)) >= 16) {
		_mm_storeu_si128((__m128i *)(void *)(dst + k),
				 _mm_loadu_si128((const __m128i *)
						 (const void *)(src + k)));
		return;
	}
#endif
	memcpy(dst + k, src + k, q - k);
}

/* The n merged spans of rv into out, their quotes from *buf on. */
static void
fill_spans(const struct scan *sc, const struct regvec *rv, size_t n,
	   struct info_span *spans, char **buf, struct info_result *out)
{
	size_t i;

	out->spans = spans;
	out->nspans = n;
	for (i = 0; i < n; i++) {
		size_t q = quote_len(sc, rv->v[i].s, rv->v[i].e);
		char *b = *buf;

		spans[i].start = rv->v[i].s;
		spans[i].end = rv->v[i].e;
		spans[i].why = rv->v[i].why;
		spans[i].text = b;
		copy_quote(b, sc->t + rv->v[i].s, q, sc->t + sc->len + 1);
		if (q < rv->v[i].e - rv->v[i].s) {
			memcpy(b + q, "\xe2\x80\xa6", 3);
			q += 3;
		}
		b[q] = '\0';
		*buf = b + q + 1;
	}
}

/*
 * A log line quoted as inline code in a sentence ("I get `RuntimeError:
 * CUDA out of memory` when training a UNet with a batch size of 16") ends
 * with the code: the rest of the line is the reporter's prose, whose data,
 * hyperparameters and GPU would otherwise be taken for the log's and
 * dropped.  Spans are in document order (pushed as they open), so the one
 * holding a mark is found by bisection.
 */
static void
end_inline_logs(struct scan *sc, const struct text_doc *doc)
{
	struct regvec *rv = &sc->mk[CAT_LOGS];

	for (size_t i = 0; i < rv->n && doc->nspans > 0; i++) {
		struct region *r = &rv->v[i];
		size_t lo = 0, hi = doc->nspans;

		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (doc->spans[mid].start <= r->s)
				lo = mid + 1;
			else
				hi = mid;
		}
		/* nested spans (a link in emphasis) may hold it: look back
		 * over the few that start before it */
		for (size_t k = lo, seen = 0; k > 0 && seen < 4; k--, seen++) {
			const struct text_span *sp = &doc->spans[k - 1];

			if (sp->kind == TS_INLINE_CODE && r->s < sp->end) {
				if (r->e > sp->end)
					r->e = sp->end;
				break;
			}
		}
	}
}

/* Start of the code block holding [s, e), or -1. */
static int
in_code_block(const struct text_doc *doc, size_t s, size_t e)
{
	size_t lo = 0, hi = doc->nblocks;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (doc->blocks[mid].start <= s)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return 0;
	return doc->blocks[lo - 1].kind == TB_CODE &&
	       e <= doc->blocks[lo - 1].end;
}

#if defined(__SSE2__)
/* Bits of x's word bytes ([0-9A-Za-z_]) in *word, of its C_ALPHA ones
 * ([A-Za-z_]) returned. */
static inline unsigned
class_bits(__m128i x, unsigned *word)
{
	__m128i d = _mm_sub_epi8(x, _mm_set1_epi8('0'));
	__m128i l = _mm_sub_epi8(_mm_or_si128(x, _mm_set1_epi8(0x20)),
				 _mm_set1_epi8('a'));
	__m128i dig = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
	__m128i alpha = _mm_or_si128(
		_mm_cmpeq_epi8(_mm_min_epu8(l, _mm_set1_epi8(25)), l),
		_mm_cmpeq_epi8(x, _mm_set1_epi8('_')));

	*word = (unsigned)_mm_movemask_epi8(_mm_or_si128(dig, alpha));
	return (unsigned)_mm_movemask_epi8(alpha);
}

static inline int
bits16(unsigned x)
{
	x = x - ((x >> 1) & 0x5555u);
	x = (x & 0x3333u) + ((x >> 2) & 0x3333u);
	x = (x + (x >> 4)) & 0x0f0fu;
	return (int)((x + (x >> 8)) & 0x1fu);
}
#endif

/* Words starting with a letter in [s, e), counted up to max. */
static int
alpha_words(const struct scan *sc, size_t s, size_t e, int max)
{
	int n = 0;
	size_t i = s;

#if defined(__SSE2__)
	{
		/* sixteen bytes a step (t[len] is NUL and may be read): a
		 * word starts at an alpha byte after a non-word byte, or at
		 * s itself */
		unsigned prev = 0;

		for (; i < e && i + 16 <= sc->len + 1; i += 16) {
			unsigned word, alpha = class_bits(_mm_loadu_si128(
				(const __m128i *)(const void *)(sc->t + i)),
				&word);
			unsigned starts = alpha & ~((word << 1) | prev) & 0xffffu;

			if (e - i < 16)
				starts &= (1u << (e - i)) - 1;
			n += bits16(starts);
			if (n >= max)
				return max;
			prev = (word >> 15) & 1;
		}
		if (i >= e)
			return n;
	}
#endif
	for (; i < e; i++)
		if (IS(sc->t[i], C_ALPHA) &&
		    (i == s || !IS(sc->t[i - 1], C_WORD)) && ++n >= max)
			break;
	return n;
}

/*
 * Code marks outside logs, clustered: marks belong to one snippet when
 * fewer than CODE_GAP bytes and four words of anything else separate
 * them.  A snippet is code when its marks weigh 2.5 (an import or a def
 * and a statement, an assignment of a call and one more statement, three
 * calls); inside a code block 1.5 is enough (one call with arguments).
 * One call or assignment in a sentence is a mention, not a snippet.
 */
static void
score_code(struct scan *sc, const struct text_doc *doc,
	   const struct regvec *logs, struct regvec *out)
{
	size_t i, cs = 0, ce = 0, cur = 0;
	float score = 0;
	int open = 0;

	const struct regvec *cm = &sc->mk[CAT_CODE];

	for (i = 0; i <= cm->n; i++) {
		const struct region *mk = i < cm->n ? &cm->v[i] : NULL;

		if (mk) {
			/* marks come sorted: walk the regions alongside */
			while (cur < logs->n && logs->v[cur].e <= mk->s)
				cur++;
			if (cur < logs->n && logs->v[cur].s <= mk->s &&
			    mk->e <= logs->v[cur].e)
				continue;
		}
		if (mk && open && mk->s <= ce + CODE_GAP &&
		    (mk->s <= ce || alpha_words(sc, ce, mk->s, 5) < 5)) {
			score += mk->w;
			if (mk->e > ce)
				ce = mk->e;
			continue;
		}
		if (open && (score >= 2.5f ||
			     (score >= 1.5f && in_code_block(doc, cs, ce))))
			reg_push(out, cs, ce, "code");
		if (!mk)
			break;
		open = 1;
		cs = mk->s;
		ce = mk->e;
		score = mk->w;
	}
}

/*
 * Fields of the line t[s, e): split at commas or tabs when the line has
 * them, else at runs of two or more spaces (a printed DataFrame).  How
 * many, and how many look like numbers; -1 when the line reads as code
 * (brackets, '=', ';', a colon at the end).
 */
static int
table_fields(const char *t, size_t s, size_t e, int *numeric)
{
	int comma = memchr(t + s, ',', e - s) != NULL;
	int tab = memchr(t + s, '\t', e - s) != NULL;
	int n = 0;
	size_t i = s;

	*numeric = 0;
	for (size_t k = s; k < e; k++)
		if (strchr("()[]{}=;", t[k]) != NULL)
			return -1;
	if (e > s && t[e - 1] == ':')
		return -1;
	while (i < e) {
		size_t fs, fe;
		int num = 1, digits = 0;

		while (i < e && t[i] == ' ')
			i++;
		fs = i;
		while (i < e && !(comma && t[i] == ',') &&
		       !(tab && t[i] == '\t') &&
		       !(!comma && !tab && t[i] == ' ' && i + 1 < e &&
			 t[i + 1] == ' '))
			i++;
		fe = i;
		while (fe > fs && t[fe - 1] == ' ')
			fe--;
		if (i < e && (t[i] == ',' || t[i] == '\t'))
			i++;
		if (fe == fs && !comma && !tab)
			continue;
		for (size_t k = fs; k < fe; k++) {
			if (IS(t[k], C_DIGIT))
				digits = 1;
			else if (!strchr("+-.eE%", t[k]))
				num = 0;
		}
		n++;
		*numeric += num && digits;
	}
	return n;
}

/*
 * A code block that is a table: a header and at least two rows with the
 * same number of fields (two or more), each row with a number in it, no
 * line that reads as code.  Sample rows, a CSV excerpt, a printed
 * DataFrame with text columns: the data, shown.
 */
static void
table_blocks(struct scan *sc, const struct text_doc *doc)
{
	for (size_t b = 0; b < doc->nblocks; b++) {
		const struct text_block *bl = &doc->blocks[b];
		size_t i = bl->start, rows = 0;
		int width = 0, ok = 1;

		if (bl->kind != TB_CODE || bl->end > sc->len)
			continue;
		while (ok && i < bl->end) {
			size_t e = i;
			int n, num;

			while (e < bl->end && sc->t[e] != '\n')
				e++;
			if (e > i) {
				n = table_fields(sc->t, i, e, &num);
				if (n < 2 || (width && n != width &&
					      n != width + 1 && n + 1 != width))
					ok = 0;
				else if (width == 0)
					width = n;	/* the header */
				else if (num == 0)
					ok = 0;
				else
					rows++;
			}
			i = e + 1;
		}
		if (ok && rows >= 2)
			ev(sc, CAT_DATA, bl->start, bl->end, 1.0f,
			   "sample rows");
	}
}

static void
set_framework(struct infocat_result *res, const struct scan *sc,
	      const char *title, const char *const *tags, size_t ntags)
{
	int tag_pt = 0, tag_tf = 0, tag_k = 0;
	size_t i;
	const char *fw = NULL;

	for (i = 0; i < ntags; i++) {
		if (!tags[i])
			continue;
		if (strstr(tags[i], "pytorch") || strstr(tags[i], "torch"))
			tag_pt = 1;
		if (strstr(tags[i], "keras"))
			tag_k = 1;
		else if (strstr(tags[i], "tensorflow"))
			tag_tf = 1;
	}
	(void)title;
	if (tag_pt && !tag_tf && !tag_k)
		fw = "pytorch";
	else if (tag_k && !tag_tf && !tag_pt)
		fw = "keras";
	else if (tag_tf && !tag_k && !tag_pt)
		fw = "tensorflow";
	else if (sc->fw[FW_TORCH] > sc->fw[FW_TF] + sc->fw[FW_KERAS])
		fw = "pytorch";
	else if (sc->fw[FW_KERAS] > 0 && !sc->tf_keras &&
		 sc->fw[FW_KERAS] >= sc->fw[FW_TF])
		fw = "keras";
	else if (sc->fw[FW_TF] > 0 || sc->fw[FW_KERAS] > 0)
		fw = "tensorflow";
	else if (tag_k)
		fw = tag_tf ? "tensorflow" : "keras";
	else if (tag_pt)
		fw = "pytorch";
	res->framework = fw ? xstrdup(fw) : NULL;
}

void
infocat_result_done(struct infocat_result *res)
{
	size_t c;

	if (!res)
		return;
	/* every category's spans and quotes share one block, which starts
	 * with the first category's spans */
	for (c = 0; c < INFO__COUNT; c++)
		if (res->r[c].spans) {
			free(res->r[c].spans);
			break;
		}
	free(res->framework);
	memset(res, 0, sizeof(*res));
}

/*
 * The mark vectors that outgrew their inline room, kept from one call to
 * the next (one scan at a time, as for text.c's parser) unless a huge
 * post grew them.
 */
static struct region *spare_v[INFO__COUNT];
static size_t spare_cap[INFO__COUNT];

/* most model.summary() tables a post is looked at for */
#define SUMM_MAX 8

/* Is the mark inside one of the n summary tables? */
static int
in_summary(const size_t summ[][2], size_t n, const struct region *mk)
{
	for (size_t k = 0; k < n; k++)
		if (mk->s >= summ[k][0] && mk->e <= summ[k][1])
			return 1;
	return 0;
}

int
infocat_detect(const struct text_doc *doc, const char *title,
	       const char *const *tags, size_t ntags,
	       struct infocat_result *out)
{
	struct scan sc;
	struct regvec logs, inlog, code_rv, *rv[INFO__COUNT];
	char *own = NULL;
	float score[INFO__COUNT] = { 0 }, mentioned = 0;
	size_t i, nsumm, summ[SUMM_MAX][2];
	int grown;
	int c;

	kw_init();
	memset(out, 0, sizeof(*out));
	/* not memset: the vectors' inline room need not be cleared */
	memset(sc.fw, 0, sizeof(sc.fw));
	sc.tf_keras = 0;
	sc.cs_e = SIZE_MAX;
	sc.cs_s = 0;
	sc.w_s = 0;
	sc.w_e = SIZE_MAX;
	for (c = 0; c < INFO__COUNT; c++) {
		reg_init(&sc.mk[c]);
		if (spare_v[c]) {
			sc.mk[c].v = spare_v[c];
			sc.mk[c].cap = spare_cap[c];
			spare_v[c] = NULL;
		}
	}
	reg_init(&logs);
	reg_init(&inlog);
	reg_init(&code_rv);
	sc.t = doc->text ? doc->text : "";
	sc.len = doc->text ? doc->len : 0;
	if (sc.t[sc.len] != '\0') {
		/* the scan relies on a terminating NUL */
		own = xstrndup(sc.t, sc.len);
		sc.t = own;
	}
	scan_text(&sc);
	end_inline_logs(&sc, doc);
	table_blocks(&sc, doc);
	if (title) {
		/* the title only helps name the framework */
		size_t p = 0, tlen = strlen(title);

		while (p < tlen) {
			if (IS(title[p], C_ALPHA)) {
				size_t we = p;
				const struct kw_entry *k;

				while (IS(title[we], C_WORD))
					we++;
				k = kw_find(title + p, we - p);
				if (k && k->fw)
					sc.fw[k->fw]++;
				p = we;
			} else
				p++;
		}
	}
	for (c = 0; c < INFO__COUNT; c++)
		sort_marks(&sc.mk[c]);
	build_log_regions(&sc, &logs);
	/*
	 * model.summary() tables, each from its "Layer (type)" header to its
	 * "Total params:" line: the shapes in them are the layers' outputs,
	 * the model's description, not the data's.  A post may show several
	 * (before and after a change); more than SUMM_MAX are not looked at.
	 */
	nsumm = 0;
	for (i = 0; i < sc.mk[CAT_MODEL].n && nsumm < SUMM_MAX; i++) {
		const struct region *mk = &sc.mk[CAT_MODEL].v[i];
		size_t from = mk->s > 16384 ? mk->s - 16384 : 0;
		const char *h;

		if (mk->why != why_summary)
			continue;
		/* not inside the table before */
		if (nsumm > 0 && from < summ[nsumm - 1][1])
			from = summ[nsumm - 1][1];
		if (from >= mk->s)
			continue;
		h = memmem(sc.t + from, mk->s - from, "Layer (type)", 12);
		if (h == NULL)
			continue;
		/* the last header before this total, if several */
		for (const char *n2; (n2 = memmem(h + 12, (size_t)(sc.t +
			mk->s - h - 12), "Layer (type)", 12)) != NULL;)
			h = n2;
		summ[nsumm][0] = (size_t)(h - sc.t);
		summ[nsumm][1] = mk->e;
		nsumm++;
	}
	/* each whole table is output, not code: its log region grows */
	grown = 0;
	for (size_t k = 0; k < nsumm; k++)
		for (i = 0; i < logs.n; i++)
			if (logs.v[i].why == why_summary &&
			    logs.v[i].s > summ[k][0] &&
			    logs.v[i].s < summ[k][1]) {
				logs.v[i].s = summ[k][0];
				grown = 1;
				break;
			}
	if (grown)
		qsort(logs.v, logs.n, sizeof(*logs.v), reg_cmp);
	merge_regions(&logs, &inlog);

	score[CAT_LOGS] = (float)logs.n;
	for (c = 0; c < INFO__COUNT; c++) {
		const struct regvec *mv = &sc.mk[c];
		size_t cur = 0;

		if (c == CAT_LOGS || c == CAT_CODE)
			continue;
		for (i = 0; i < mv->n; i++) {
			const struct region *mk = &mv->v[i];
			float w = mk->w;

			/* marks come sorted, the log regions sorted and
			 * disjoint: the last region starting at or before
			 * the mark is the only one that may hold it */
			while (cur < inlog.n && inlog.v[cur].s <= mk->s)
				cur++;
			/* a shape quoted by an error message says less
			 * about the data than one the reporter wrote */
			if (c != INFO_ENVIRONMENT && mk->why != why_summary &&
			    cur > 0 && mk->e <= inlog.v[cur - 1].e)
				w *= 0.25f;
			if (c == CAT_DATA && in_summary(summ, nsumm, mk))
				w = 0;
			/* "dataset", "csv" in prose: a hint, however
			 * often said */
			if (mk->why == why_mentioned) {
				if (mentioned >= 0.5f)
					w = 0;
				mentioned += w;
			}
			score[c] += w;
		}
	}
	score_code(&sc, doc, &inlog, &code_rv);
	score[CAT_CODE] = (float)code_rv.n;

	{
		/* every category's spans and quotes in one allocation, the
		 * first category's spans at its start (infocat_result_done) */
		size_t nsp[INFO__COUNT], all = 0, text = 0;
		struct info_span *spans;
		char *buf;

		for (c = 0; c < INFO__COUNT; c++)
			rv[c] = c == CAT_LOGS ? &logs :
				c == CAT_CODE ? &code_rv : &sc.mk[c];
		for (c = 0; c < INFO__COUNT; c++) {
			out->r[c].present = score[c] >= 1.0f;
			nsp[c] = out->r[c].present ?
				 merge_spans(&sc, rv[c], &text) : 0;
			all += nsp[c];
		}
		if (all) {
			/* 16 spare bytes for copy_quote */
			spans = xmalloc(all * sizeof(*spans) + text + 16);
			buf = (char *)(spans + all);
			for (c = 0; c < INFO__COUNT; c++) {
				if (!nsp[c])
					continue;
				fill_spans(&sc, rv[c], nsp[c], spans, &buf,
					   &out->r[c]);
				spans += nsp[c];
			}
		}
	}
	set_framework(out, &sc, title, tags, ntags);
	reg_done(&logs);
	reg_done(&inlog);
	reg_done(&code_rv);
	for (c = 0; c < INFO__COUNT; c++) {
		struct regvec *mv = &sc.mk[c];

		if (mv->v != mv->inl && mv->cap <= 65536 && !spare_v[c]) {
			spare_v[c] = mv->v;
			spare_cap[c] = mv->cap;
		} else
			reg_done(mv);
	}
	free(own);
	return DL_OK;
}

const char *
infocat_id(int idx)
{
	static const char *const ids[INFO__COUNT] = { "data", "model",
		"hyperparameters", "code", "logs", "environment" };

	return idx >= 0 && idx < INFO__COUNT ? ids[idx] : NULL;
}
