/* storylint._speedups, this file: the story parser's reading of each line.
 *
 * `read_lines(lines, markers, directive, shot, header, date_line, location_date)` returns
 * (kinds, values): for each line what `storylint.story.read_line(line, index in markers)`
 * returns, the kind in one list and the value in the other, as `story.python_read_lines` does.
 * The gates are read_line's, in its order, with the same Unicode tests (str.strip's
 * whitespace, str.isdigit, str.islower, str.isalpha are Py_UNICODE_ISSPACE, _ISDIGIT,
 * _ISLOWER, _ISALPHA per character); the regular expressions are the story module's own
 * compiled patterns and its `_location_date_part`, called through Python, so a pattern edited
 * there stays the one in use.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "_speedups.h"

enum { BLANK, DIRECTIVE, SHOT, HEADER, DATE, BOILERPLATE, LOCATION, NOTE, TEXT, KINDS };
static const char *kind_names[KINDS] = {
    "blank", "directive", "shot", "header", "date", "boilerplate", "location", "note", "text",
};
static PyObject *kind_objects[KINDS];
static PyObject *match_name, *group_name, *strip_name;  /* method names, interned */

/* The interned kind and method names; 0, or -1 with an exception set. */
int lines_init(void)
{
    for (int kind = 0; kind < KINDS; kind++)
        if ((kind_objects[kind] = PyUnicode_InternFromString(kind_names[kind])) == NULL)
            return -1;
    match_name = PyUnicode_InternFromString("match");
    group_name = PyUnicode_InternFromString("group");
    strip_name = PyUnicode_InternFromString("strip");
    return match_name && group_name && strip_name ? 0 : -1;
}

typedef struct {
    PyObject *directive, *shot, *header, *date_line, *location_date;
    int known_shot;  /* `shot` is story._SHOT as read_shot reads it */
} Patterns;

/* pattern.match(line): a new reference (a match or None), NULL with an exception set. */
static PyObject *match(PyObject *pattern, PyObject *line)
{
    return PyObject_CallMethodOneArg(pattern, match_name, line);
}

/* match.group(index) passed through `convert` (NULL: as it is); a new reference or NULL. */
static PyObject *group(PyObject *found, int index, PyObject *(*convert)(PyObject *))
{
    PyObject *number = PyLong_FromLong(index);
    PyObject *text = number ? PyObject_CallMethodOneArg(found, group_name, number) : NULL;
    Py_XDECREF(number);
    if (text == NULL || convert == NULL)
        return text;
    PyObject *value = convert(text);
    Py_DECREF(text);
    return value;
}

static int any_char(PyObject *line, Py_ssize_t start, Py_ssize_t end, int (*test)(Py_UCS4))
{
    int kind = PyUnicode_KIND(line);
    const void *data = PyUnicode_DATA(line);
    for (Py_ssize_t i = start; i < end; i++)
        if (test(PyUnicode_READ(kind, data, i)))
            return 1;
    return 0;
}

static int is_digit(Py_UCS4 ch) { return Py_UNICODE_ISDIGIT(ch); }
static int is_lower(Py_UCS4 ch) { return Py_UNICODE_ISLOWER(ch); }
static int is_dash(Py_UCS4 ch) { return ch == '-' || ch == 0x2013 || ch == 0x2014; }

static Py_ssize_t count_alpha(PyObject *line)
{
    int kind = PyUnicode_KIND(line);
    const void *data = PyUnicode_DATA(line);
    Py_ssize_t count = 0;
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(line); i++)
        count += Py_UNICODE_ISALPHA(PyUnicode_READ(kind, data, i)) != 0;
    return count;
}

static PyObject *strip(PyObject *text) { return PyObject_CallMethodNoArgs(text, strip_name); }

/* Try `pattern` on the line; on a match set *value (group `index` converted, or None for
 * index 0) and return 1; 0 when it does not match; -1 with an exception set. */
static int matched(PyObject *pattern, PyObject *line, int index,
                   PyObject *(*convert)(PyObject *), PyObject **value)
{
    PyObject *found = match(pattern, line);
    if (found == NULL)
        return -1;
    if (found == Py_None) {
        Py_DECREF(found);
        return 0;
    }
    *value = index ? group(found, index, convert) : Py_NewRef(Py_None);
    Py_DECREF(found);
    return *value == NULL ? -1 : 1;
}

/* The shot pattern this file reads without calling it, when `shot` is still exactly this
 * (story._SHOT); any other pattern is called as it is. */
static const char shot_source[] = "\\s*(\\d{1,3})\\s*[.)]\\s*(?=[^\\d\\s.,)])";

/* Whether `pattern` (a compiled re pattern) has the source above; -1 with an exception set. */
static int is_known_shot(PyObject *pattern)
{
    PyObject *source = PyObject_GetAttrString(pattern, "pattern");
    if (source == NULL)
        return -1;
    int same = PyUnicode_Check(source) && PyUnicode_CompareWithASCIIString(source,
                                                                           shot_source) == 0;
    Py_DECREF(source);
    return same;
}

/* story._SHOT.match(line) and int(match.group(1)), read directly: spaces, one to three decimal
 * digits (a longer run cannot match), spaces, `.` or `)`, spaces, then a character that is not
 * a digit, space, `.`, `,` or `)`. Every quantifier is settled by the next character, so no
 * backtracking can find another match. 1 and *value set, 0 for no match, -1 with an
 * exception set. */
static int read_shot(PyObject *line, PyObject **value)
{
    int kind = PyUnicode_KIND(line);
    const void *data = PyUnicode_DATA(line);
    Py_ssize_t size = PyUnicode_GET_LENGTH(line), i = 0, digits, at;
    while (i < size && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i)))
        i++;
    for (digits = i; digits < size && Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, digits));)
        digits++;
    if (digits == i || digits - i > 3)
        return 0;
    for (at = digits; at < size && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, at));)
        at++;
    if (at == size || (PyUnicode_READ(kind, data, at) != '.' &&
                       PyUnicode_READ(kind, data, at) != ')'))
        return 0;
    for (at++; at < size && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, at));)
        at++;
    if (at == size)
        return 0;
    Py_UCS4 next = PyUnicode_READ(kind, data, at);
    if (Py_UNICODE_ISDECIMAL(next) || next == '.' || next == ',' || next == ')')
        return 0;
    PyObject *number = PyUnicode_Substring(line, i, digits);
    *value = number ? PyLong_FromUnicodeObject(number, 10) : NULL;
    Py_XDECREF(number);
    return *value == NULL ? -1 : 1;
}

/* read_line's gates before the marker test; the kind, or -1 for "none of these", or -2 with
 * an exception set. */
static int structural(const Patterns *p, PyObject *line, Py_UCS4 first, Py_ssize_t stripped,
                      PyObject **value)
{
    int found;
    if (first == '[' && (found = matched(p->directive, line, 0, NULL, value)) != 0)
        return found < 0 ? -2 : DIRECTIVE;
    if (Py_UNICODE_ISDIGIT(first) &&
        (found = p->known_shot ? read_shot(line, value)
                               : matched(p->shot, line, 1, PyNumber_Long, value)) != 0)
        return found < 0 ? -2 : SHOT;
    if (stripped <= 12 && (found = matched(p->header, line, 0, NULL, value)) != 0)
        return found < 0 ? -2 : HEADER;
    if (first == '(' && any_char(line, 0, PyUnicode_GET_LENGTH(line), is_digit) &&
        (found = matched(p->date_line, line, 1, NULL, value)) != 0)
        return found < 0 ? -2 : DATE;
    return -1;
}

/* The kind of one line and its value (a new reference); -1 with an exception set. */
static int read_one(const Patterns *p, PyObject *line, int is_marker, PyObject **value)
{
    Py_ssize_t length = PyUnicode_GET_LENGTH(line), start = 0, end = length;
    int kind = PyUnicode_KIND(line);
    const void *data = PyUnicode_DATA(line);
    while (start < end && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, start)))
        start++;
    while (end > start && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, end - 1)))
        end--;
    *value = NULL;
    if (start == end)
        return BLANK;
    int found = structural(p, line, PyUnicode_READ(kind, data, start), end - start, value);
    if (found != -1)
        return found == -2 ? -1 : found;
    if (is_marker)
        return BOILERPLATE;
    if (length <= 160 && any_char(line, start, end, is_dash)) {
        PyObject *date = PyObject_CallOneArg(p->location_date, line);
        if (date == NULL)
            return -1;
        if (date != Py_None) {
            *value = strip(date);
            Py_DECREF(date);
            return *value == NULL ? -1 : LOCATION;
        }
        Py_DECREF(date);
    }
    if (length <= 100 && !any_char(line, 0, length, is_lower) && count_alpha(line) >= 3)
        return NOTE;
    return TEXT;
}

const char read_lines_doc[] =
    "read_lines(lines, markers, directive, shot, header, date_line, location_date)\n"
    "-> (kinds, values)\n\n"
    "Each line's kind and value as storylint.story.read_line gives them (`markers`: the\n"
    "indices of the boilerplate marker lines; the patterns and function: the story module's).";

/* Append each line's kind to `kinds` and value to `values`; 0, or -1 with an exception set. */
static int read_all(const Patterns *p, PyObject *lines, PyObject *markers, PyObject *kinds,
                    PyObject *values)
{
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(lines); i++) {
        PyObject *line = PyList_GET_ITEM(lines, i), *value = NULL, *index;
        if (!PyUnicode_Check(line)) {
            PyErr_Format(PyExc_TypeError, "lines must be str, not %.100s",
                         Py_TYPE(line)->tp_name);
            return -1;
        }
        int is_marker = 0;
        if (PyUnicode_GET_LENGTH(line) > 0) {
            if ((index = PyLong_FromSsize_t(i)) == NULL)
                return -1;
            is_marker = PySequence_Contains(markers, index);
            Py_DECREF(index);
            if (is_marker < 0)
                return -1;
        }
        int kind = read_one(p, line, is_marker, &value);
        if (kind < 0)
            return -1;
        int failed = PyList_Append(kinds, kind_objects[kind]) < 0 ||
                     PyList_Append(values, value ? value : Py_None) < 0;
        Py_XDECREF(value);
        if (failed)
            return -1;
    }
    return 0;
}

PyObject *read_lines(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *lines, *markers;
    Patterns p;
    if (!PyArg_ParseTuple(args, "O!OOOOOO:read_lines", &PyList_Type, &lines, &markers,
                          &p.directive, &p.shot, &p.header, &p.date_line, &p.location_date))
        return NULL;
    if ((p.known_shot = is_known_shot(p.shot)) < 0)
        return NULL;
    /* A copy: the patterns run Python code, which must not change the list being read. */
    PyObject *copy = PyList_GetSlice(lines, 0, PyList_GET_SIZE(lines));
    PyObject *kinds = PyList_New(0), *values = PyList_New(0), *result = NULL;
    if (copy != NULL && kinds != NULL && values != NULL &&
        read_all(&p, copy, markers, kinds, values) == 0)
        result = PyTuple_Pack(2, kinds, values);
    Py_XDECREF(kinds);
    Py_XDECREF(values);
    Py_XDECREF(copy);
    return result;
}

/* story._LOCATION, read directly (the pattern is
 *     \s*(?:FILE\s*[:-]\s*)?(?P<place>[^\s.!?][^.!?]{0,120}?)\s+[-\u2013\u2014]+\s+
 *     (?P<date>[^-\u2013\u2014]{3,40}?)\s*\Z
 * matched at the start of the line). The backtracking is followed in the engine's order: the
 * FILE prefix tried first, then none; for each, the place's end from shortest on; at each end
 * the separator's spaces and dashes are settled by their next character (a run given back
 * leaves a space or dash where a dash or space must follow), and only the spaces before the
 * date can be given back, from the most on. \s is Py_UNICODE_ISSPACE, as `re` reads it. */
#define MAX_PLACE_TAIL 120
#define MIN_DATE 3
#define MAX_DATE 40

typedef struct {
    PyObject *text;
    int kind;
    const void *data;
    Py_ssize_t size, last;  /* `last`: the end of the text without its trailing spaces */
} Line;

static Py_UCS4 at(const Line *l, Py_ssize_t i) { return PyUnicode_READ(l->kind, l->data, i); }
static int space_at(const Line *l, Py_ssize_t i) { return Py_UNICODE_ISSPACE(at(l, i)); }
static int stop(Py_UCS4 c) { return c == '.' || c == '!' || c == '?'; }

static Py_ssize_t skip_spaces(const Line *l, Py_ssize_t i)
{
    while (i < l->size && space_at(l, i))
        i++;
    return i;
}

/* The date group when the separator starts at `k` (the place's end), as [*start, *end). */
static int date_after(const Line *l, Py_ssize_t k, Py_ssize_t *start, Py_ssize_t *end)
{
    Py_ssize_t dashes = skip_spaces(l, k), after;
    if (dashes == k)
        return 0;
    for (after = dashes; after < l->size && is_dash(at(l, after)); after++)
        ;
    if (after == dashes || after == l->size || !space_at(l, after))
        return 0;
    for (Py_ssize_t s = skip_spaces(l, after); s > after; s--) {  /* \s+ gives back */
        if (l->last - s > MAX_DATE)
            return 0;  /* the date would reach the end's spaces only longer from here on */
        Py_ssize_t t = s + MIN_DATE > l->last ? s + MIN_DATE : l->last;
        if (t > l->size || t - s > MAX_DATE || any_char(l->text, s, t, is_dash))
            continue;
        *start = s;
        *end = t;
        return 1;
    }
    return 0;
}

/* The date group with the place starting at `place`; 1 and the span, or 0. */
static int date_from_place(const Line *l, Py_ssize_t place, Py_ssize_t *start, Py_ssize_t *end)
{
    if (place >= l->size || space_at(l, place) || stop(at(l, place)))
        return 0;
    for (Py_ssize_t k = place + 1; k < l->size && k - place - 1 <= MAX_PLACE_TAIL; k++) {
        if (date_after(l, k, start, end))
            return 1;
        if (stop(at(l, k)))  /* the place cannot take this character */
            return 0;
    }
    return 0;
}

const char location_date_doc[] =
    "location_date(line) -> str | None\n\n"
    "The `date` group of storylint.story._LOCATION.match(line), or None when it does not match.";

PyObject *location_date(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *text;
    if (!PyArg_ParseTuple(args, "U:location_date", &text))
        return NULL;
    Line l = {text, PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text), 0};
    for (l.last = l.size; l.last > 0 && space_at(&l, l.last - 1);)
        l.last--;
    Py_ssize_t first = skip_spaces(&l, 0), start, end, file = -1;
    if (l.size - first >= 4 && at(&l, first) == 'F' && at(&l, first + 1) == 'I' &&
        at(&l, first + 2) == 'L' && at(&l, first + 3) == 'E') {
        Py_ssize_t colon = skip_spaces(&l, first + 4);
        if (colon < l.size && (at(&l, colon) == ':' || at(&l, colon) == '-'))
            file = skip_spaces(&l, colon + 1);
    }
    if ((file >= 0 && date_from_place(&l, file, &start, &end)) ||
        date_from_place(&l, first, &start, &end))
        return PyUnicode_Substring(text, start, end);
    Py_RETURN_NONE;
}
