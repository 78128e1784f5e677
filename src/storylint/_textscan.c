/* Compiled scanning for the confusable-word rules (SL301, SL302): part of storylint._speedups.
 *
 * `find_words` finds the candidate words of a story; `clause_words` reads the words of a
 * clause next to a hit. Each returns exactly what its pure-Python definition in
 * storylint.checks.context returns (tests/test_speedups.py compares them on generated text and
 * on news stories), so findings do not depend on whether this module was built.
 *
 * Character classes are Python's own (the C API's Py_UNICODE_IS* macros are what `re` and
 * str methods use): \w is ISALNUM or '_', \d is ISDECIMAL, \s is ISSPACE.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include "_speedups.h"

#define MAX_WORD 32          /* longest candidate word the prefilter table covers */
#define SLOT_BYTES (MAX_WORD * 26 * 26)
#define HASH_BITS 16
#define TABLE_BYTES (SLOT_BYTES + (1 << HASH_BITS) / 8)

static int ascii_letter(Py_UCS4 c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static int apostrophe(Py_UCS4 c) { return c == '\'' || c == 0x2019; }
/* \w, with the common ASCII case answered without the Unicode database. */
static int unicode_word(Py_UCS4 c)
{
    return c < 128 ? Py_ISALNUM(c) || c == '_' : Py_UNICODE_ISALNUM(c);
}

/* \d: a decimal digit in any script. */
static int decimal(Py_UCS4 c)
{
    return c < 128 ? c >= '0' && c <= '9' : Py_UNICODE_ISDECIMAL(c);
}

/* The prefilter slot of a candidate: its length, first and last letter. */
static Py_ssize_t slot(Py_ssize_t length, Py_UCS4 first, Py_UCS4 last)
{
    return ((length - 1) * 26 + ((first | 0x20) - 'a')) * 26 + ((last | 0x20) - 'a');
}

/* Whether the prefilter lets text[start:end] through: a listed word has its length, first and
 * last letter, and the low HASH_BITS of its 32-bit FNV-1a hash (of the lower-case ASCII). */
#define DEFINE_PREFILTER(NAME, CHAR)                                                         \
static int NAME(const CHAR *s, Py_ssize_t start, Py_ssize_t end, const unsigned char *table) \
{                                                                                            \
    if (!table[slot(end - start, s[start], s[end - 1])])                                     \
        return 0;                                                                            \
    uint32_t hash = 2166136261u;                                                             \
    for (Py_ssize_t i = start; i < end; i++)                                                 \
        hash = (hash ^ (apostrophe(s[i]) ? '\'' : (s[i] | 0x20))) * 16777619u;              \
    hash &= (1u << HASH_BITS) - 1;                                                           \
    return (table[SLOT_BYTES + hash / 8] >> (hash % 8)) & 1;                                 \
}

DEFINE_PREFILTER(passes_ucs1, Py_UCS1)
DEFINE_PREFILTER(passes_ucs2, Py_UCS2)
DEFINE_PREFILTER(passes_ucs4, Py_UCS4)

/* 1 if text[start:end] (ASCII letters and apostrophes), lower-cased with typographic
 * apostrophes made plain, is in `words`; 0 if not; -1 with an exception set. */
static int listed(PyObject *text, Py_ssize_t start, Py_ssize_t end, PyObject *words)
{
    PyObject *key = PyUnicode_New(end - start, 127);
    if (key == NULL)
        return -1;
    Py_UCS1 *out = PyUnicode_1BYTE_DATA(key);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    for (Py_ssize_t i = start; i < end; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        out[i - start] = (Py_UCS1)(apostrophe(c) ? '\'' : (c | 0x20));
    }
    int found = PySet_Contains(words, key);
    Py_DECREF(key);
    return found;
}

/* Append (start, end) to `spans`; -1 with an exception set on failure. */
static int add_span(PyObject *spans, Py_ssize_t start, Py_ssize_t end)
{
    PyObject *span = Py_BuildValue("(nn)", start, end);
    int failed = span == NULL || PyList_Append(spans, span) < 0;
    Py_XDECREF(span);
    return failed ? -1 : 0;
}

/* The scan, once per string kind (1, 2 or 4 bytes a character): 0 when done, 1 when the text
 * holds a KELVIN SIGN or LONG S, -1 with an exception set.
 *
 * RE2's alternation with ASCII \b, as `python_find_words` runs it: a match starts at an ASCII
 * letter not preceded by an ASCII word character, is the longest listed word there that ends
 * before a non-word character, and is consumed (the scan goes on after it) even when the
 * Unicode whole-word test then rejects it. */
#define DEFINE_SCAN(NAME, CHAR, PASSES)                                                            \
static int NAME(PyObject *text, const CHAR *s, Py_ssize_t size, PyObject *words,            \
                const unsigned char *table, Py_ssize_t longest, PyObject *spans)            \
{                                                                                            \
    Py_ssize_t i = 0;                                                                        \
    while (i < size) {                                                                       \
        Py_UCS4 c = s[i];                                                                    \
        if (!ascii_letter(c)) {                                                              \
            if (c == 0x212A || c == 0x017F)                                                  \
                return 1;                                                                    \
            i++;                                                                             \
            continue;                                                                        \
        }                                                                                    \
        Py_ssize_t found = 0, letters = i + 1;                                               \
        while (letters < size && ascii_letter(s[letters]))                                   \
            letters++;                                                                       \
        if (i == 0 || !ascii_word(s[i - 1])) {                                               \
            /* candidate ends: after each part of letters joined by single apostrophes */   \
            Py_ssize_t ends[MAX_WORD], count = 0, end = letters;                            \
            for (;;) {                                                                       \
                if (end - i > longest)                                                       \
                    break;                                                                   \
                ends[count++] = end;                                                         \
                if (!(end + 1 < size && apostrophe(s[end]) && ascii_letter(s[end + 1])))     \
                    break;                                                                   \
                for (end += 2; end < size && ascii_letter(s[end]); end++)                    \
                    ;                                                                        \
            }                                                                                \
            while (count > 0 && !found) {                                                    \
                end = ends[--count];                                                         \
                if ((end < size && ascii_word(s[end])) || !PASSES(s, i, end, table))         \
                    continue;                                                                \
                int listed_here = listed(text, i, end, words);                               \
                if (listed_here < 0)                                                         \
                    return -1;                                                               \
                found = listed_here ? end : 0;                                               \
            }                                                                                \
        }                                                                                    \
        if (!found) {                                                                        \
            i = letters;  /* no match starts inside a run of letters */                      \
            continue;                                                                        \
        }                                                                                    \
        int whole = (i == 0 || !unicode_word(s[i - 1])) &&                                  \
                    (found == size || !(unicode_word(s[found]) || apostrophe(s[found])));    \
        if (whole && add_span(spans, i, found) < 0)                                          \
            return -1;                                                                       \
        i = found;                                                                           \
    }                                                                                        \
    return 0;                                                                                \
}

DEFINE_SCAN(scan_ucs1, Py_UCS1, passes_ucs1)
DEFINE_SCAN(scan_ucs2, Py_UCS2, passes_ucs2)
DEFINE_SCAN(scan_ucs4, Py_UCS4, passes_ucs4)

const char find_words_doc[] =
"find_words(text, words, table, longest) -> list of (start, end) | None\n\n"
"The spans storylint.checks.context.find_words gives for a finder of `words` (a set of\n"
"lower-case ASCII words, letters joined by single apostrophes; `table`, bytes, marks the\n"
"(length, first letter, last letter) slots they fill, then the low 16 bits of their FNV-1a\n"
"hashes; `longest`, their longest length).\n"
"None when the text holds a KELVIN SIGN or LONG S, which RE2 folds to ASCII letters in\n"
"ways this scan does not copy: the caller then scans with RE2.";

PyObject *find_words(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *text, *words;
    Py_buffer table;
    Py_ssize_t longest;
    if (!PyArg_ParseTuple(args, "UO!y*n:find_words", &text, &PyFrozenSet_Type, &words, &table,
                          &longest))
        return NULL;
    PyObject *spans = NULL;
    if (table.len != TABLE_BYTES || longest < 1 || longest > MAX_WORD) {
        PyErr_SetString(PyExc_ValueError, "table must be the prefilter of words of 1-32 letters");
        PyBuffer_Release(&table);
        return NULL;
    }
    if ((spans = PyList_New(0)) != NULL) {
        Py_ssize_t size = PyUnicode_GET_LENGTH(text);
        const void *data = PyUnicode_DATA(text);
        int status;
        switch (PyUnicode_KIND(text)) {
        case PyUnicode_1BYTE_KIND:
            status = scan_ucs1(text, data, size, words, table.buf, longest, spans);
            break;
        case PyUnicode_2BYTE_KIND:
            status = scan_ucs2(text, data, size, words, table.buf, longest, spans);
            break;
        default:
            status = scan_ucs4(text, data, size, words, table.buf, longest, spans);
        }
        if (status != 0)
            Py_SETREF(spans, status > 0 ? Py_NewRef(Py_None) : NULL);
    }
    PyBuffer_Release(&table);
    return spans;
}

/* Token classes of storylint.checks.context._TOKEN. */
/* [^\W\d_]: a word character that is neither a decimal digit nor the underscore. */
static int letter(Py_UCS4 c)
{
    return c < 128 ? Py_ISALPHA(c) : Py_UNICODE_ISALNUM(c) && !Py_UNICODE_ISDECIMAL(c);
}
static int joiner(Py_UCS4 c) { return apostrophe(c) || c == '-'; }
static int number_joiner(Py_UCS4 c) { return c == '.' || c == ',' || c == ':'; }

/* The end of a run of `part` characters from `j` on, through any single `joiner` followed by
 * more of them (the `X+(?:[joiner]X+)*` of _TOKEN). */
static Py_ssize_t joined_run(int kind, const void *data, Py_ssize_t size, Py_ssize_t j,
                             int (*part)(Py_UCS4), int (*joins)(Py_UCS4))
{
    for (;;) {
        while (j < size && part(PyUnicode_READ(kind, data, j)))
            j++;
        if (!(j + 1 < size && joins(PyUnicode_READ(kind, data, j)) &&
              part(PyUnicode_READ(kind, data, j + 1))))
            return j;
        j += 2;
    }
}

/* The end of the _TOKEN match at `i`, or `i` when none starts there. */
static Py_ssize_t token_end(int kind, const void *data, Py_ssize_t size, Py_ssize_t i)
{
#define AT(k) PyUnicode_READ(kind, data, (k))
    Py_UCS4 c = AT(i);
    Py_ssize_t j = i + 1;
    if (letter(c))                         /* [^\W\d_]+(?:['’-][^\W\d_]+)* */
        return joined_run(kind, data, size, j, letter, joiner);
    if (decimal(c)) {                      /* \d+(?:[.,:]\d+)*%? */
        j = joined_run(kind, data, size, j, decimal, number_joiner);
        return j < size && AT(j) == '%' ? j + 1 : j;
    }
    if (!unicode_word(c) && !Py_UNICODE_ISSPACE(c) && !joiner(c))
        return j;                          /* [^\w\s'’-] */
    if (c == '-' && (i == 0 || !unicode_word(AT(i - 1)))) {   /* (?<!\w)-+(?!\w) */
        while (j < size && AT(j) == '-')
            j++;
        if (j == size || !unicode_word(AT(j)))
            return j;
        return j - i >= 2 ? j - 1 : i;     /* backtrack: the last dash is followed by a word */
    }
    return i;
#undef AT
}

static const char CLAUSE_BREAKS[] = ".,;:!?()[]{}\"/";

/* Whether a token ends the clause (checks.context.CLAUSE_BREAKS, or a free-standing dash). */
static int clause_break(int kind, const void *data, Py_ssize_t start, Py_ssize_t end)
{
    Py_UCS4 c = PyUnicode_READ(kind, data, start);
    if (c == '-')
        return 1;
    if (end - start != 1)
        return 0;
    return (c < 128 && c && strchr(CLAUSE_BREAKS, (int)c) != NULL) || c == 0x201C ||
           c == 0x201D || c == 0x2026 || c == 0x2014 || c == 0x2013;
}

/* (words, mark): the tokens of text[start:end) up to the first clause break. */
static PyObject *clause_result(PyObject *text, Py_ssize_t *spans, Py_ssize_t count,
                               Py_ssize_t mark)
{
    PyObject *words = PyTuple_New(count);
    if (words == NULL)
        return NULL;
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *word = PyUnicode_Substring(text, spans[2 * k], spans[2 * k + 1]);
        if (word == NULL) {
            Py_DECREF(words);
            return NULL;
        }
        PyTuple_SET_ITEM(words, k, word);
    }
    PyObject *edge = mark < 0 ? Py_NewRef(Py_None) : PyUnicode_Substring(text, mark, mark + 1);
    if (edge == NULL) {
        Py_DECREF(words);
        return NULL;
    }
    return Py_BuildValue("(NN)", words, edge);
}

const char clause_words_doc[] =
"clause_words(text, leftwards, cut) -> (words, mark)\n\n"
"The words of `text` (a normalised window beside a hit) as far as the first clause break,\n"
"nearest first, and the break's first character (None: the window ran out first). With\n"
"`leftwards` the hit is at the end of the text; with `cut` the first token is left out (a\n"
"word cut in two by the window's edge). What checks.context._left_clause/_right_clause\n"
"return for text.split().";

PyObject *clause_words(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *text;
    int leftwards, cut;
    if (!PyArg_ParseTuple(args, "Upp:clause_words", &text, &leftwards, &cut))
        return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t size = PyUnicode_GET_LENGTH(text), count = 0, mark = -1;
    Py_ssize_t *spans = PyMem_Malloc(sizeof(Py_ssize_t) * 2 * (size_t)(size + 1));
    if (spans == NULL)
        return PyErr_NoMemory();
    /* With `cut`, the first token is dropped if it lies in the first chunk (text.split()[0]):
     * the word the window's edge cut in two. */
    Py_ssize_t chunk_end = 0;
    while (chunk_end < size && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, chunk_end)))
        chunk_end++;
    while (chunk_end < size && !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, chunk_end)))
        chunk_end++;
    int dropped = !cut;
    for (Py_ssize_t i = 0; i < size;) {
        Py_ssize_t end = token_end(kind, data, size, i);
        if (end == i) {
            i++;
            continue;
        }
        if (!dropped && i < chunk_end) {
            dropped = 1;
        } else if (leftwards && clause_break(kind, data, i, end)) {
            count = 0;  /* only the words after the last break are in the clause */
            mark = i;
        } else if (!leftwards && clause_break(kind, data, i, end)) {
            mark = i;
            break;
        } else {
            spans[2 * count] = i;
            spans[2 * count + 1] = end;
            count++;
        }
        i = end;
    }
    if (leftwards)  /* nearest first */
        for (Py_ssize_t a = 0, b = count - 1; a < b; a++, b--) {
            Py_ssize_t s = spans[2 * a], e = spans[2 * a + 1];
            spans[2 * a] = spans[2 * b];
            spans[2 * a + 1] = spans[2 * b + 1];
            spans[2 * b] = s;
            spans[2 * b + 1] = e;
        }
    PyObject *result = clause_result(text, spans, count, mark);
    PyMem_Free(spans);
    return result;
}
