/* storylint._speedups, this file: the word facts of one promo-tail line of ASCII text.
 *
 * `line_facts(low, original, first, second, not_content, max_content)` returns what
 * `storylint.features.python_line_facts` returns for the same arguments, or None when either
 * text is not ASCII (the Python definition then answers):
 *
 *   words    split_words(low): runs of ASCII letters and digits, each digit as "0", with
 *            every "%" a word "zzpct" of its own (features.split_words reads `low` after the
 *            "%" -> " zzpct " replacement, a translation of every other character to a space
 *            and str.split)
 *   content  the words longer than 3 characters, not in `not_content` and all letters, at most
 *            `max_content` of them
 *   first, second   how many words are in `first` / `second` (first- and second-person words)
 *   zzpct    how many words are "zzpct"
 *   bangs, questions   original.count("!"), original.count("?")
 *   shouted  len(re.findall(r"\b[A-Z]{3,}\b", original)): for ASCII text, the maximal runs of
 *            [A-Za-z0-9_] made only of capitals, three or more long
 *
 * Word strings are built once; sets are looked up with the str's cached hash.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>
#include "_speedups.h"

#define WORD_STACK 256

/* Append the word buf[0:size] to `words`; 0, or -1 with an exception set. */
static int add_word(PyObject *words, const char *buf, Py_ssize_t size)
{
    PyObject *word = PyUnicode_FromStringAndSize(buf, size);
    if (word == NULL)
        return -1;
    int failed = PyList_Append(words, word);
    Py_DECREF(word);
    return failed;
}

/* The words of ASCII `low` (see the file comment), as a new list; NULL with an exception. */
static PyObject *split_ascii(const char *text, Py_ssize_t length)
{
    PyObject *words = PyList_New(0);
    char stack[WORD_STACK];
    char *buf = length <= WORD_STACK ? stack : PyMem_Malloc((size_t)length);
    if (words == NULL || buf == NULL) {
        Py_XDECREF(words);
        return buf == NULL ? PyErr_NoMemory() : NULL;
    }
    Py_ssize_t size = 0;
    for (Py_ssize_t i = 0; i <= length; i++) {
        unsigned char c = i < length ? (unsigned char)text[i] : ' ';
        if (Py_ISALNUM(c)) {  /* ASCII alnum: what survives the translation */
            buf[size++] = Py_ISDIGIT(c) ? '0' : (char)c;
            continue;
        }
        if ((size > 0 && add_word(words, buf, size) < 0) ||
            (c == '%' && add_word(words, "zzpct", 5) < 0)) {
            Py_CLEAR(words);
            break;
        }
        size = 0;
    }
    if (buf != stack)
        PyMem_Free(buf);
    return words;
}

/* How many maximal [A-Za-z0-9_] runs of `text` are three or more capitals and nothing else. */
static Py_ssize_t shouted_words(const char *text, Py_ssize_t length)
{
    Py_ssize_t count = 0, run = 0;
    int capitals_only = 1;
    for (Py_ssize_t i = 0; i <= length; i++) {
        unsigned char c = i < length ? (unsigned char)text[i] : ' ';
        if (Py_ISALNUM(c) || c == '_') {
            run++;
            capitals_only &= Py_ISUPPER(c) != 0;
            continue;
        }
        count += (run >= 3 && capitals_only);
        run = 0;
        capitals_only = 1;
    }
    return count;
}

static Py_ssize_t count_char(const char *text, Py_ssize_t length, char wanted)
{
    Py_ssize_t count = 0;
    for (Py_ssize_t i = 0; i < length; i++)
        count += text[i] == wanted;
    return count;
}

/* 1 when every character of the ASCII word is a letter. */
static int all_letters(PyObject *word)
{
    const char *text = (const char *)PyUnicode_1BYTE_DATA(word);
    Py_ssize_t length = PyUnicode_GET_LENGTH(word);
    for (Py_ssize_t i = 0; i < length; i++)
        if (!Py_ISALPHA(text[i]))
            return 0;
    return length > 0;
}

/* Content words and the counts, from the words; -1 with an exception set on failure. */
static int word_counts(PyObject *words, PyObject *sets[3], Py_ssize_t max_content,
                       PyObject *content, Py_ssize_t counts[3])
{
    counts[0] = counts[1] = counts[2] = 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(words); i++) {
        PyObject *word = PyList_GET_ITEM(words, i);
        int in_first = PySet_Contains(sets[0], word), in_second = PySet_Contains(sets[1], word);
        if (in_first < 0 || in_second < 0)
            return -1;
        counts[0] += in_first;
        counts[1] += in_second;
        counts[2] += PyUnicode_GET_LENGTH(word) == 5 &&
                     memcmp(PyUnicode_1BYTE_DATA(word), "zzpct", 5) == 0;
        if (PyList_GET_SIZE(content) >= max_content || PyUnicode_GET_LENGTH(word) <= 3)
            continue;
        int excluded = PySet_Contains(sets[2], word);
        if (excluded < 0 || (!excluded && all_letters(word) && PyList_Append(content, word) < 0))
            return -1;
    }
    return 0;
}

const char line_facts_doc[] =
    "line_facts(low, original, first, second, not_content, max_content) -> tuple or None\n\n"
    "(words, content, first, second, zzpct, bangs, questions, shouted) of a promo-tail line,\n"
    "as storylint.features.python_line_facts gives them; None unless both texts are ASCII.";

PyObject *line_facts(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *low, *original, *sets[3];
    Py_ssize_t max_content;
    if (!PyArg_ParseTuple(args, "UUO!O!O!n:line_facts", &low, &original, &PyFrozenSet_Type,
                          &sets[0], &PyFrozenSet_Type, &sets[1], &PyFrozenSet_Type, &sets[2],
                          &max_content))
        return NULL;
    if (!PyUnicode_IS_ASCII(low) || !PyUnicode_IS_ASCII(original))
        Py_RETURN_NONE;
    const char *text = (const char *)PyUnicode_1BYTE_DATA(original);
    Py_ssize_t length = PyUnicode_GET_LENGTH(original), counts[3];
    PyObject *words = split_ascii((const char *)PyUnicode_1BYTE_DATA(low),
                                  PyUnicode_GET_LENGTH(low));
    PyObject *content = words ? PyList_New(0) : NULL, *result = NULL;
    PyObject *word_tuple = NULL, *content_tuple = NULL;
    if (content != NULL && word_counts(words, sets, max_content, content, counts) == 0 &&
        (word_tuple = PyList_AsTuple(words)) != NULL &&
        (content_tuple = PyList_AsTuple(content)) != NULL)
        result = Py_BuildValue("OOnnnnnn", word_tuple, content_tuple, counts[0], counts[1],
                               counts[2], count_char(text, length, '!'),
                               count_char(text, length, '?'), shouted_words(text, length));
    Py_XDECREF(word_tuple);
    Py_XDECREF(content_tuple);
    Py_XDECREF(words);
    Py_XDECREF(content);
    return result;
}
