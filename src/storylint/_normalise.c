/* storylint._speedups, this file: the fast path of storylint.normalise.reader_lower.
 *
 * `lower_inert(text, inert)` returns what reader_lower returns for a text whose non-ASCII
 * characters are all "inert" (normalise.is_inert: left unchanged by the skeleton and by lower
 * case in any text of ASCII and such characters): the text with A-Z lower-cased and every
 * other character kept. `inert` is a bitmap over the Basic Multilingual Plane, one bit per
 * code point, that normalise builds from is_inert; a character outside it (or above U+FFFF)
 * makes the function return None, and the caller takes its general path.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "_speedups.h"

#define BMP_BITS 0x10000

const char lower_inert_doc[] =
"lower_inert(text, inert) -> str | None\n\n"
"text with A-Z lower-cased, when each of its non-ASCII characters has its bit set in `inert`\n"
"(8,192 bytes: one bit per BMP code point); else None.";

#define DEFINE_LOWER(NAME, CHAR)                                                            \
static int NAME(const CHAR *in, CHAR *out, Py_ssize_t size, const unsigned char *inert)   \
{                                                                                           \
    for (Py_ssize_t i = 0; i < size; i++) {                                                \
        Py_UCS4 c = in[i];                                                                  \
        if (c < 128)                                                                        \
            out[i] = (CHAR)(c >= 'A' && c <= 'Z' ? c + 32 : c);                           \
        else if (c < BMP_BITS && (inert[c >> 3] >> (c & 7)) & 1)                           \
            out[i] = (CHAR)c;                                                               \
        else                                                                                \
            return 0;                                                                       \
    }                                                                                       \
    return 1;                                                                               \
}

DEFINE_LOWER(lower_ucs1, Py_UCS1)
DEFINE_LOWER(lower_ucs2, Py_UCS2)

PyObject *lower_inert(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *text;
    Py_buffer inert;
    if (!PyArg_ParseTuple(args, "Uy*:lower_inert", &text, &inert))
        return NULL;
    PyObject *out = NULL;
    int kind = PyUnicode_KIND(text);
    if (inert.len != BMP_BITS / 8) {
        PyErr_SetString(PyExc_ValueError, "inert must be 8192 bytes, one bit per BMP character");
    } else if (kind == PyUnicode_4BYTE_KIND) {
        out = Py_NewRef(Py_None);  /* characters above the BMP are never inert */
    } else {
        Py_ssize_t size = PyUnicode_GET_LENGTH(text);
        out = PyUnicode_New(size, PyUnicode_MAX_CHAR_VALUE(text));
        int done = 0;
        if (out != NULL)
            done = kind == PyUnicode_1BYTE_KIND
                ? lower_ucs1(PyUnicode_1BYTE_DATA(text), PyUnicode_1BYTE_DATA(out), size,
                             inert.buf)
                : lower_ucs2(PyUnicode_2BYTE_DATA(text), PyUnicode_2BYTE_DATA(out), size,
                             inert.buf);
        if (out != NULL && !done)
            Py_SETREF(out, Py_NewRef(Py_None));
    }
    PyBuffer_Release(&inert);
    return out;
}
