/* storylint._speedups, this file: the lines that open with a boilerplate marker.
 *
 * `marker_lines(text, literals)` returns the 0-based indices of the lines of `text` that the
 * bundled pack's marker pattern (storylint.story.BUNDLED_MARKERS, compiled by RE2 ignoring
 * case) finds at their start, without running it: that pattern is, line by line, optional
 * horizontal space ([^\S\n]*: RE2's \s is [\t\n\f\r ]) then one of a list of literal words,
 * each followed either by an ASCII word boundary (RE2's \b) or by optional horizontal space
 * and a colon. `literals` is that list, story.MARKER_LITERALS: (lower-case ASCII literal, 0 for
 * a word boundary or 1 for a colon) pairs. No marker spans a line end, so the matches RE2
 * finds one after another are exactly the lines where one of the literals matches.
 *
 * Ignoring case, RE2 also matches k to KELVIN SIGN and s to LONG S (no other non-ASCII letter
 * folds to an ASCII one), and so does this scan. tests/test_marker_speedups.py compares the two
 * on generated text and on news stories.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>
#include "_speedups.h"

#define MAX_LITERALS 64

typedef struct {
    const char *text;  /* lower-case ASCII */
    Py_ssize_t size;
    int colon;         /* 1: [\t\f\r ]* then ':' must follow; 0: an ASCII word boundary */
} Literal;

static int horizontal_space(Py_UCS4 c) { return c == ' ' || c == '\t' || c == '\f' || c == '\r'; }

/* Read `literals` into `out`; their count, or -1 with an exception set. */
static Py_ssize_t read_literals(PyObject *literals, Literal *out)
{
    Py_ssize_t count = PyTuple_GET_SIZE(literals);
    if (count > MAX_LITERALS) {
        PyErr_SetString(PyExc_ValueError, "too many marker literals");
        return -1;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *item = PyTuple_GET_ITEM(literals, i), *word;
        int colon;
        if (!PyTuple_Check(item)) {
            PyErr_SetString(PyExc_TypeError, "marker literals must be (str, bool) pairs");
            return -1;
        }
        if (!PyArg_ParseTuple(item, "Up:marker literal", &word, &colon))
            return -1;
        if (!PyUnicode_IS_ASCII(word) || PyUnicode_GET_LENGTH(word) == 0) {
            PyErr_SetString(PyExc_ValueError, "marker literals must be non-empty ASCII");
            return -1;
        }
        out[i].text = (const char *)PyUnicode_1BYTE_DATA(word);
        out[i].size = PyUnicode_GET_LENGTH(word);
        out[i].colon = colon;
    }
    return count;
}

/* A character as the literals are written: ASCII capitals in lower case, and the two
 * non-ASCII letters RE2 folds to ASCII ones when ignoring case (KELVIN SIGN, LONG S) as those. */
static Py_UCS4 folded(Py_UCS4 c)
{
    if (c >= 'A' && c <= 'Z')
        return c + ('a' - 'A');
    return c == 0x212A ? 'k' : c == 0x017F ? 's' : c;
}

/* The scan, once per string kind (1, 2 or 4 bytes a character): adds to `found` the index of
 * each line where a literal matches after the line's horizontal space; 0, or -1 with an
 * exception set. */
#define DEFINE_SCAN(NAME, CHAR)                                                              \
static int literal_##NAME(const CHAR *s, Py_ssize_t size, Py_ssize_t at, const Literal *lit) \
{                                                                                            \
    if (size - at < lit->size)                                                               \
        return 0;                                                                            \
    for (Py_ssize_t i = 0; i < lit->size; i++)                                               \
        if (folded(s[at + i]) != (unsigned char)lit->text[i])                                \
            return 0;                                                                        \
    Py_ssize_t end = at + lit->size;                                                         \
    if (!lit->colon)                                                                         \
        return end == size || !ascii_word(s[end]);                                           \
    while (end < size && horizontal_space(s[end]))                                           \
        end++;                                                                               \
    return end < size && s[end] == ':';                                                      \
}                                                                                            \
                                                                                             \
static int NAME(const CHAR *s, Py_ssize_t size, const Literal *table, Py_ssize_t count,      \
                const unsigned char *first, PyObject *found)                                 \
{                                                                                            \
    Py_ssize_t at = 0, line = 0;                                                             \
    for (;;) {                                                                               \
        while (at < size && horizontal_space(s[at]))                                         \
            at++;                                                                            \
        Py_UCS4 c = at < size ? folded(s[at]) : 0;                                           \
        for (Py_ssize_t i = 0; c > 0 && c < 128 && first[c] && i < count; i++) {             \
            if (!literal_##NAME(s, size, at, &table[i]))                                     \
                continue;                                                                    \
            PyObject *index = PyLong_FromSsize_t(line);                                      \
            int failed = index == NULL || PySet_Add(found, index) < 0;                       \
            Py_XDECREF(index);                                                               \
            if (failed)                                                                      \
                return -1;                                                                   \
            break;                                                                           \
        }                                                                                    \
        while (at < size && s[at] != '\n')                                                   \
            at++;                                                                            \
        if (at >= size)                                                                      \
            return 0;                                                                        \
        at++;                                                                                \
        line++;                                                                              \
    }                                                                                        \
}

DEFINE_SCAN(scan_ucs1, Py_UCS1)
DEFINE_SCAN(scan_ucs2, Py_UCS2)
DEFINE_SCAN(scan_ucs4, Py_UCS4)

const char marker_lines_doc[] =
    "marker_lines(text, literals) -> set of int\n\n"
    "The 0-based indices of the lines of `text` where the bundled boilerplate-marker pattern\n"
    "matches, as storylint.story.StoryFormat.marker_lines gives them for that pattern\n"
    "(`literals`: story.MARKER_LITERALS).";

PyObject *marker_lines(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *text, *literals;
    Literal table[MAX_LITERALS];
    if (!PyArg_ParseTuple(args, "UO!:marker_lines", &text, &PyTuple_Type, &literals))
        return NULL;
    Py_ssize_t count = read_literals(literals, table);
    if (count < 0)
        return NULL;
    unsigned char first[128] = {0};  /* the literals' first characters */
    for (Py_ssize_t i = 0; i < count; i++)
        first[(unsigned char)table[i].text[0] & 127] = 1;
    PyObject *found = PySet_New(NULL);
    if (found == NULL)
        return NULL;
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t size = PyUnicode_GET_LENGTH(text);
    int failed;
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND:
        failed = scan_ucs1(data, size, table, count, first, found);
        break;
    case PyUnicode_2BYTE_KIND:
        failed = scan_ucs2(data, size, table, count, first, found);
        break;
    default:
        failed = scan_ucs4(data, size, table, count, first, found);
    }
    if (failed) {
        Py_DECREF(found);
        return NULL;
    }
    return found;
}
