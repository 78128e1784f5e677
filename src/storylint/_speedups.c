/* storylint._speedups: compiled inner loops, optional (pure Python gives the same results).
 *
 * This file: the module, and the promo-tail scorer's hashed part of a line's score.
 * _features.c: the word facts of a promo-tail line (its words, content words and counts).
 * _lines.c: the story parser's reading of each line (its kind and the value its match read).
 * _textscan.c: the confusable-word rules' word finder and clause reader.
 * _wordmodel.c: the confusable-word model's comparison of a word with its alternatives.
 *
 * `hashed_sum(words, weights, mask, cache)` returns exactly what the pure-Python
 * `storylint.model.LinearModel.python_hashed_sum` returns for the same words (same CRC-32
 * columns, same float32 weights, same order of double additions), so findings and probabilities
 * do not depend on whether this module was built. tests/test_speedups.py checks that equality
 * on generated words, ASCII and not. (Bit for bit on Python 3.11; from 3.12 on, the built-in
 * sum() that the Python loop uses compensates rounding, so the last bits may differ there.)
 *
 * Feature layout (storylint.features, FEATURE_VERSION 2):
 *   word   crc32(utf8(word), seed=crc32("w:")) & mask
 *   grams  crc32(utf8("<" word ">")[i:i+n], seed=crc32("c:")) & mask, n = 3, 4, 5
 *   pairs  crc32(utf8(first " " second), seed=crc32("b:")) & mask
 * The words' values are summed word by word, then the pairs' sum is added, as in Python.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#include "_speedups.h"

#define FEATURE_VERSION 2
#define STACK_BYTES 512

static uint32_t crc_table[256];
static uint32_t word_seed, char_seed, pair_seed;

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

/* zlib.crc32(data, crc): the running CRC-32 (IEEE 802.3) continued over `data`. */
static uint32_t crc_update(uint32_t crc, const unsigned char *data, Py_ssize_t size)
{
    crc = ~crc;
    while (size-- > 0)
        crc = crc_table[(crc ^ *data++) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}

/* Sum of the weights of one word: its `w:` column, then its 3-, 4- and 5-gram columns. */
static double word_value(const char *utf8, Py_ssize_t size, unsigned char *padded,
                         const float *weights, uint32_t mask)
{
    double value = 0.0;
    Py_ssize_t length = size + 2;
    padded[0] = '<';
    memcpy(padded + 1, utf8, (size_t)size);
    padded[size + 1] = '>';
    value += weights[crc_update(word_seed, padded + 1, size) & mask];
    for (Py_ssize_t n = 3; n <= 5; n++)
        for (Py_ssize_t i = 0; i + n <= length; i++)
            value += weights[crc_update(char_seed, padded + i, n) & mask];
    return value;
}

/* The UTF-8 of every word (borrowed from the str objects), or NULL with an exception set. */
static const char **word_bytes(PyObject *seq, Py_ssize_t count, Py_ssize_t *sizes,
                               Py_ssize_t *longest)
{
    const char **bytes = PyMem_Malloc(sizeof(char *) * (size_t)(count ? count : 1));
    if (bytes == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    *longest = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *word = PyTuple_GET_ITEM(seq, i);
        if (!PyUnicode_Check(word)) {
            PyErr_Format(PyExc_TypeError, "words must be str, not %.100s",
                         Py_TYPE(word)->tp_name);
            PyMem_Free(bytes);
            return NULL;
        }
        bytes[i] = PyUnicode_AsUTF8AndSize(word, &sizes[i]);
        if (bytes[i] == NULL) {
            PyMem_Free(bytes);
            return NULL;
        }
        if (sizes[i] > *longest)
            *longest = sizes[i];
    }
    return bytes;
}

/* The summed weights of every word (from `cache`, a dict word -> value, when it has them),
 * then of every adjacent pair; -1 with an exception set on failure. */
static int sum_columns(PyObject *seq, const char **bytes, const Py_ssize_t *sizes,
                       Py_ssize_t count, unsigned char *padded, const float *weights,
                       uint32_t mask, PyObject *cache, double *result)
{
    static const unsigned char space = ' ';
    double total = 0.0, pairs = 0.0;
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *word = PyTuple_GET_ITEM(seq, i);
        PyObject *known = cache ? PyDict_GetItemWithError(cache, word) : NULL;
        if (known != NULL && PyFloat_CheckExact(known)) {
            total += PyFloat_AS_DOUBLE(known);
            continue;
        }
        if (PyErr_Occurred())
            return -1;
        double value = word_value(bytes[i], sizes[i], padded, weights, mask);
        total += value;
        if (cache != NULL) {
            PyObject *boxed = PyFloat_FromDouble(value);
            if (boxed == NULL || PyDict_SetItem(cache, word, boxed) < 0) {
                Py_XDECREF(boxed);
                return -1;
            }
            Py_DECREF(boxed);
        }
    }
    for (Py_ssize_t i = 0; i + 1 < count; i++) {
        uint32_t crc = crc_update(pair_seed, (const unsigned char *)bytes[i], sizes[i]);
        crc = crc_update(crc, &space, 1);
        crc = crc_update(crc, (const unsigned char *)bytes[i + 1], sizes[i + 1]);
        pairs += weights[crc & mask];
    }
    *result = total + pairs;
    return 0;
}

/* Check the weights buffer: C-contiguous float32 with at least mask + 1 entries. */
static int weights_ok(const Py_buffer *view, unsigned long long mask)
{
    if (view->itemsize != 4 || view->format == NULL || strcmp(view->format, "f") != 0) {
        PyErr_SetString(PyExc_TypeError, "weights must be a float32 buffer (array('f'))");
        return 0;
    }
    if (mask > 0xFFFFFFFFull || (mask & (mask + 1)) != 0) {
        PyErr_SetString(PyExc_ValueError, "mask must be 2**bits - 1 with bits <= 32");
        return 0;
    }
    if ((unsigned long long)(view->len / 4) <= mask) {
        PyErr_SetString(PyExc_ValueError, "weights are shorter than the hashed block");
        return 0;
    }
    return 1;
}

PyDoc_STRVAR(hashed_sum_doc,
"hashed_sum(words, weights, mask, cache=None) -> float\n\n"
"Sum of the float32 weights of every hashed column the words produce: each word,\n"
"its character 3-5-grams and each pair of adjacent words (not yet scaled). `cache`, a\n"
"dict, keeps each word's value (a news vocabulary repeats; the weights are 1 MB).");

static PyObject *hashed_sum(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *words, *weights_obj, *seq, *cache = Py_None;
    unsigned long long mask;
    Py_buffer view;
    unsigned char stack[STACK_BYTES];
    if (!PyArg_ParseTuple(args, "OOK|O:hashed_sum", &words, &weights_obj, &mask, &cache))
        return NULL;
    if (cache == Py_None)
        cache = NULL;
    else if (!PyDict_CheckExact(cache)) {
        PyErr_SetString(PyExc_TypeError, "cache must be a dict or None");
        return NULL;
    }
    if (PyObject_GetBuffer(weights_obj, &view, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0)
        return NULL;
    if (!weights_ok(&view, mask) ||
        (seq = PySequence_Tuple(words)) == NULL) {  /* a tuple: nothing can change it meanwhile */
        PyBuffer_Release(&view);
        return NULL;
    }
    Py_ssize_t count = PyTuple_GET_SIZE(seq), longest = 0;
    Py_ssize_t *sizes = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(count ? count : 1));
    const char **bytes = sizes ? word_bytes(seq, count, sizes, &longest) : NULL;
    unsigned char *padded = stack;
    if (bytes != NULL && longest + 2 > STACK_BYTES)
        padded = PyMem_Malloc((size_t)longest + 2);
    PyObject *result = NULL;
    if (sizes == NULL || (bytes != NULL && padded == NULL))
        PyErr_NoMemory();
    else if (bytes != NULL) {
        double total;
        if (sum_columns(seq, bytes, sizes, count, padded, (const float *)view.buf,
                        (uint32_t)mask, cache, &total) == 0)
            result = PyFloat_FromDouble(total);
    }
    if (padded != stack)
        PyMem_Free(padded);
    PyMem_Free(bytes);
    PyMem_Free(sizes);
    Py_DECREF(seq);
    PyBuffer_Release(&view);
    return result;
}

static PyMethodDef methods[] = {
    {"hashed_sum", hashed_sum, METH_VARARGS, hashed_sum_doc},
    {"find_words", find_words, METH_VARARGS, find_words_doc},
    {"clause_words", clause_words, METH_VARARGS, clause_words_doc},
    {"compare_counts", compare_counts, METH_VARARGS, compare_counts_doc},
    {"line_facts", line_facts, METH_VARARGS, line_facts_doc},
    {"read_lines", read_lines, METH_VARARGS, read_lines_doc},
    {"location_date", location_date, METH_VARARGS, location_date_doc},
    {"marker_lines", marker_lines, METH_VARARGS, marker_lines_doc},
    {"lower_inert", lower_inert, METH_VARARGS, lower_inert_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "storylint._speedups",
    "Compiled inner loops of the promo-tail scorer and the confusable-word scan (optional; "
    "pure Python gives the same results).", -1, methods,
};

PyMODINIT_FUNC PyInit__speedups(void)
{
    crc_init();
    word_seed = crc_update(0, (const unsigned char *)"w:", 2);
    char_seed = crc_update(0, (const unsigned char *)"c:", 2);
    pair_seed = crc_update(0, (const unsigned char *)"b:", 2);
    if (lines_init() < 0 || wordmodel_init() < 0)
        return NULL;
    PyObject *module = PyModule_Create(&module_def);
    if (module != NULL && (PyModule_AddIntConstant(module, "FEATURE_VERSION", FEATURE_VERSION) ||
                           PyModule_AddIntConstant(module, "TEXTSCAN_VERSION", TEXTSCAN_VERSION) ||
                           PyModule_AddIntConstant(module, "WORDMODEL_VERSION", WORDMODEL_VERSION) ||
                           PyModule_AddIntConstant(module, "STORY_VERSION", STORY_VERSION) ||
                           PyModule_AddIntConstant(module, "NORMALISE_VERSION",
                                                   NORMALISE_VERSION))) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
