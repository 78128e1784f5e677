/* Compiled scoring for the confusable-word model (SL302): part of storylint._speedups.
 *
 * `compare_counts` returns what storylint.wordmodel.Counts.python_compare returns: the same
 * dictionary lookups, the same double arithmetic in the same order (Python's math.log is C's
 * log for a positive finite number; an int count is converted as float() converts it), so a
 * finding never depends on whether this module was built. tests/test_speedups.py compares the
 * two on the shipped model.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include "_speedups.h"

#define WEIGHTS 11

/* The side names as interned str, made once (wordmodel_init): looking a side up in the lift
 * tables then hashes nothing. */
enum { PRIOR = -1, LEFT, RIGHT, LEFT2, RIGHT2, SIDES };
static const char *side_names[SIDES] = {"left", "right", "left2", "right2"};
static PyObject *side_objects[SIDES];

int wordmodel_init(void)
{
    for (int side = 0; side < SIDES; side++)
        if ((side_objects[side] = PyUnicode_InternFromString(side_names[side])) == NULL)
            return -1;
    return 0;
}

/* f"{first} {second}" as one new str, without parsing a format. */
static PyObject *joined(PyObject *first, PyObject *second)
{
    Py_ssize_t a = PyUnicode_GET_LENGTH(first), b = PyUnicode_GET_LENGTH(second);
    PyObject *out = PyUnicode_New(a + 1 + b, Py_MAX(PyUnicode_MAX_CHAR_VALUE(first),
                                                    PyUnicode_MAX_CHAR_VALUE(second)));
    if (out == NULL)
        return NULL;
    if (PyUnicode_CopyCharacters(out, 0, first, 0, a) < 0 ||
        PyUnicode_CopyCharacters(out, a + 1, second, 0, b) < 0) {
        Py_DECREF(out);
        return NULL;
    }
    PyUnicode_WRITE(PyUnicode_KIND(out), PyUnicode_DATA(out), a, ' ');
    return out;
}

/* The model's tables, unpacked from the state tuple Counts.compare builds. */
typedef struct {
    PyObject *unigrams, *bigrams, *lifts, *classes;
    double weights[WEIGHTS], default_unigram, scale, total, floor;
} Model;

/* The model's number for `key` in `table` as Python reads it (an int converted as float()
 * converts it); `item` gets the number object (borrowed), NULL when the key is not there (and
 * `value` is then left alone); -1 with an exception set. */
static int lookup(PyObject *table, PyObject *key, double *value, PyObject **item)
{
    *item = PyDict_GetItemWithError(table, key);
    if (*item == NULL)
        return PyErr_Occurred() ? -1 : 0;
    *value = PyFloat_AsDouble(*item);
    return *value == -1.0 && PyErr_Occurred() ? -1 : 0;
}

/* Counts.unigram: the word's count, else the default; `item` is the count object (NULL for
 * the default), for the exact integer product in `pair`. */
static int unigram(const Model *m, PyObject *word, double *value, PyObject **item)
{
    *value = m->default_unigram;
    return lookup(m->unigrams, word, value, item);
}

/* word_class, or the learned class from `classes` when it has one: a new reference. */
static PyObject *token_class(const Model *m, PyObject *token)
{
    PyObject *learned = PyDict_GetItemWithError(m->classes, token);
    if (learned != NULL && PyObject_IsTrue(learned) == 1)
        return Py_NewRef(learned);
    if (PyErr_Occurred())
        return NULL;
    Py_ssize_t size = PyUnicode_GET_LENGTH(token);
    if (size <= 4 || PyUnicode_READ_CHAR(token, 0) == '<')
        return Py_NewRef(token);
    if (PyUnicode_FindChar(token, '-', 0, size, 1) >= 0)
        return PyUnicode_FromString("<hyphen>");
    return PyUnicode_Substring(token, size - 3, size);
}

/* coarse_class: the token itself for an edge token, else "~" and its last letter. */
static PyObject *coarse_class(PyObject *token)
{
    if (PyUnicode_READ_CHAR(token, 0) == '<')
        return Py_NewRef(token);
    Py_UCS4 last = PyUnicode_READ_CHAR(token, PyUnicode_GET_LENGTH(token) - 1);
    PyObject *out = PyUnicode_New(2, Py_MAX(last, '~'));  /* "~" + last */
    if (out != NULL) {
        PyUnicode_WRITE(PyUnicode_KIND(out), PyUnicode_DATA(out), 0, '~');
        PyUnicode_WRITE(PyUnicode_KIND(out), PyUnicode_DATA(out), 1, last);
    }
    return out;
}

/* lifts.get(class) or lifts.get(coarse_class, 1.0) for the neighbour `token` of a member
 * whose lift table is `lifts` (a dict, non-empty); -1 with an exception set. */
static int class_lift(const Model *m, PyObject *lifts, PyObject *token, double *lift)
{
    PyObject *cls = token_class(m, token);
    if (cls == NULL)
        return -1;
    PyObject *item = PyDict_GetItemWithError(lifts, cls);
    Py_DECREF(cls);
    int truth = item == NULL ? 0 : PyObject_IsTrue(item);
    if (truth < 0 || (item == NULL && PyErr_Occurred()))
        return -1;
    if (!truth) {
        PyObject *coarse = coarse_class(token);
        if (coarse == NULL)
            return -1;
        item = PyDict_GetItemWithError(lifts, coarse);
        Py_DECREF(coarse);
        if (item == NULL) {
            if (PyErr_Occurred())
                return -1;
            *lift = 1.0;
            return 0;
        }
    }
    *lift = PyFloat_AsDouble(item);
    return *lift == -1.0 && PyErr_Occurred() ? -1 : 0;
}

/* The lift table of `member` next to it on `side`, borrowed; NULL (no error) when it has none
 * or it is empty. */
static PyObject *member_lifts(const Model *m, int side, PyObject *member)
{
    PyObject *by_member = PyDict_GetItemWithError(m->lifts, side_objects[side]);
    if (by_member == NULL || !PyDict_Check(by_member))
        return NULL;
    PyObject *lifts = PyDict_GetItemWithError(by_member, member);
    return lifts != NULL && PyDict_Check(lifts) && PyDict_GET_SIZE(lifts) > 0 ? lifts : NULL;
}

/* Counts.pair for the neighbour `neighbour` of `member` (left: "neighbour member"): the count
 * and whether it was counted; -1 with an exception set. */
static int pair(const Model *m, PyObject *first, PyObject *second, PyObject *member,
                PyObject *neighbour, int side, double *count, int *seen)
{
    PyObject *key = joined(first, second);
    if (key == NULL)
        return -1;
    PyObject *counted;
    int failed = lookup(m->bigrams, key, count, &counted);
    Py_DECREF(key);
    *seen = counted != NULL;
    if (failed || *seen)
        return failed;
    double lift = 1.0, a, b;
    PyObject *lifts = member_lifts(m, side, member), *item_a, *item_b;
    if ((lifts != NULL && class_lift(m, lifts, neighbour, &lift) < 0) ||
        unigram(m, first, &a, &item_a) < 0 || unigram(m, second, &b, &item_b) < 0)
        return -1;
    double product = a * b;  /* int * int is exact in Python: convert the exact product */
    if (item_a != NULL && item_b != NULL && PyLong_CheckExact(item_a) &&
        PyLong_CheckExact(item_b)) {
        PyObject *exact = PyNumber_Multiply(item_a, item_b);
        product = exact ? PyLong_AsDouble(exact) : -1.0;
        Py_XDECREF(exact);
        if (product == -1.0 && PyErr_Occurred())
            return -1;
    }
    double guess = product * m->scale / m->total * lift;
    *count = guess < m->floor / 2 ? guess : m->floor / 2;
    return 0;
}

/* Counts._side: log prior of `cand` (side PRIOR), or log P(neighbour | cand) + const and
 * whether the pair was counted; -1 with an exception set. */
static int side_part(const Model *m, PyObject *cand, PyObject *neighbour, int side,
                     double *part, int *seen)
{
    double count;
    PyObject *item;
    if (unigram(m, cand, &count, &item) < 0)
        return -1;
    double prior = log(count * m->scale);
    *seen = 0;
    if (side == PRIOR) {
        *part = prior;
        return 0;
    }
    int left = side == LEFT;
    if (pair(m, left ? neighbour : cand, left ? cand : neighbour, cand, neighbour, side,
             &count, seen) < 0)
        return -1;
    *part = log(count) - prior;
    return 0;
}

/* Counts._far: log lift of the class of the token two places from `cand` (0: no evidence). */
static int far_part(const Model *m, PyObject *cand, PyObject *token, int side,
                    double *part)
{
    PyObject *lifts = member_lifts(m, side, cand);
    double lift;
    *part = 0.0;
    if (lifts == NULL)
        return PyErr_Occurred() ? -1 : 0;
    if (class_lift(m, lifts, token, &lift) < 0)
        return -1;
    *part = log(lift);
    return 0;
}

static int unpack_model(PyObject *state, Model *m)
{
    PyObject *weights;
    if (!PyArg_ParseTuple(state, "O!O!O!O!O!dddd:model state", &PyDict_Type, &m->unigrams,
                          &PyDict_Type, &m->bigrams, &PyDict_Type, &m->lifts, &PyDict_Type,
                          &m->classes, &PyTuple_Type, &weights, &m->default_unigram, &m->scale,
                          &m->total, &m->floor))
        return -1;
    if (PyTuple_GET_SIZE(weights) != WEIGHTS) {
        PyErr_SetString(PyExc_ValueError, "the model state needs 11 weights");
        return -1;
    }
    for (int i = 0; i < WEIGHTS; i++) {
        m->weights[i] = PyFloat_AsDouble(PyTuple_GET_ITEM(weights, i));
        if (m->weights[i] == -1.0 && PyErr_Occurred())
            return -1;
    }
    return 0;
}

/* A context token: None, or a non-empty str (model tokens never are empty). */
static int token_ok(PyObject *token)
{
    if (token == Py_None || (PyUnicode_Check(token) && PyUnicode_GET_LENGTH(token) > 0))
        return 1;
    PyErr_SetString(PyExc_ValueError, "context tokens must be None or non-empty str");
    return 0;
}

/* The parts of one candidate: prior, left and right (log, seen), far left and far right. */
typedef struct {
    double prior, left, right, far_left, far_right;
    int left_seen, right_seen;
} Parts;

static int candidate_parts(const Model *m, PyObject *cand, PyObject *const tokens[4],
                           Parts *p)
{
    int unused;
    p->left = p->right = p->far_left = p->far_right = 0.0;
    p->left_seen = p->right_seen = 0;
    return side_part(m, cand, NULL, PRIOR, &p->prior, &unused) < 0 ||
           (tokens[0] != Py_None && side_part(m, cand, tokens[0], LEFT, &p->left,
                                              &p->left_seen) < 0) ||
           (tokens[1] != Py_None && side_part(m, cand, tokens[1], RIGHT, &p->right,
                                              &p->right_seen) < 0) ||
           (tokens[2] != Py_None && far_part(m, cand, tokens[2], LEFT2, &p->far_left) < 0) ||
           (tokens[3] != Py_None && far_part(m, cand, tokens[3], RIGHT2, &p->far_right) < 0)
           ? -1 : 0;
}

/* The FEATURES slot of a left-side pair by which of the two pairs were counted (the right
 * side's is 4 further on). */
static int evidence_slot(int alternative_seen, int word_seen)
{
    return alternative_seen && word_seen ? 2 : (alternative_seen || word_seen ? 3 : 4);
}

const char compare_counts_doc[] =
"compare_counts(state, word, alternatives, left, right, far_left, far_right)\n"
"    -> (alternative, log_ratio, support)\n\n"
"What storylint.wordmodel.Counts.python_compare finds: the best alternative to `word` in\n"
"this context, how much likelier (log), and the part of that the context gives. `state` is\n"
"the tuple Counts.compare builds once: the tables, the weights and the constants.";

/* The best of `alternatives` (a sequence from PySequence_Fast) against the written word's
 * `mine`: the first with the highest score wins, as in Python; -1 with an exception set. */
static int best_alternative(const Model *m, const Parts *mine, PyObject *const tokens[4],
                            PyObject *alternatives, PyObject **best, double *best_score,
                            double *best_support)
{
    const double *w = m->weights;
    Parts theirs;
    *best = NULL;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(alternatives); i++) {
        PyObject *alt = PySequence_Fast_GET_ITEM(alternatives, i);
        if (!PyUnicode_Check(alt)) {
            PyErr_SetString(PyExc_TypeError, "alternatives must be str");
            return -1;
        }
        if (candidate_parts(m, alt, tokens, &theirs) < 0)
            return -1;
        double prior = w[0] * (theirs.prior - mine->prior), score = prior;
        if (tokens[0] != Py_None) {
            int at = PyUnicode_READ_CHAR(tokens[0], 0) == '<' ? 1
                     : evidence_slot(theirs.left_seen, mine->left_seen);
            score += w[at] * (theirs.left - mine->left);
        }
        if (tokens[1] != Py_None) {
            int at = PyUnicode_READ_CHAR(tokens[1], 0) == '<' ? 5
                     : 4 + evidence_slot(theirs.right_seen, mine->right_seen);
            score += w[at] * (theirs.right - mine->right);
        }
        if (tokens[2] != Py_None)
            score += w[9] * (theirs.far_left - mine->far_left);
        if (tokens[3] != Py_None)
            score += w[10] * (theirs.far_right - mine->far_right);
        if (*best == NULL || score > *best_score) {
            *best = alt;
            *best_score = score;
            *best_support = score - prior;
        }
    }
    if (*best == NULL) {
        PyErr_SetString(PyExc_ValueError, "no alternatives to compare");
        return -1;
    }
    return 0;
}

PyObject *compare_counts(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *state, *word, *sequence, *tokens[4], *best, *result = NULL;
    Model m;
    Parts mine;
    double score = 0.0, support = 0.0;
    if (!PyArg_ParseTuple(args, "O!UOOOOO:compare_counts", &PyTuple_Type, &state, &word,
                          &sequence, &tokens[0], &tokens[1], &tokens[2], &tokens[3]) ||
        unpack_model(state, &m) < 0)
        return NULL;
    for (int i = 0; i < 4; i++)
        if (!token_ok(tokens[i]))
            return NULL;
    PyObject *alternatives = PySequence_Fast(sequence, "alternatives must be a sequence");
    if (alternatives == NULL)
        return NULL;
    if (candidate_parts(&m, word, tokens, &mine) == 0 &&
        best_alternative(&m, &mine, tokens, alternatives, &best, &score, &support) == 0)
        result = Py_BuildValue("(Odd)", best, score, support);
    Py_DECREF(alternatives);  /* after building the result: `best` is borrowed from it */
    return result;
}
