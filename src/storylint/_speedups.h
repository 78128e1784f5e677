/* storylint._speedups: the functions its source files share with the module definition. */
#ifndef STORYLINT_SPEEDUPS_H
#define STORYLINT_SPEEDUPS_H
#include <Python.h>

/* RE2's \w (ASCII letters, digits and underscore): what its \b tests. */
static inline int ascii_word(Py_UCS4 c) { return c < 128 && (Py_ISALNUM(c) || c == '_'); }

/* Bumped whenever a scanning function changes what it returns (checks.context reads it). */
#define TEXTSCAN_VERSION 1

/* _textscan.c: the confusable-word rules' word finder and clause reader. */
PyObject *find_words(PyObject *module, PyObject *args);
PyObject *clause_words(PyObject *module, PyObject *args);
extern const char find_words_doc[];
extern const char clause_words_doc[];

/* Bumped whenever compare_counts changes what it returns (storylint.wordmodel reads it). */
#define WORDMODEL_VERSION 1

/* _wordmodel.c: the confusable-word model's comparison of a word with its alternatives. */
PyObject *compare_counts(PyObject *module, PyObject *args);
extern const char compare_counts_doc[];

/* _features.c: the word facts of a promo-tail line (FEATURE_VERSION of _speedups.c). */
PyObject *line_facts(PyObject *module, PyObject *args);
extern const char line_facts_doc[];

/* Bumped whenever lower_inert changes what it returns (storylint.normalise reads it). */
#define NORMALISE_VERSION 1

/* _normalise.c: reader_lower's fast path for text of ASCII and inert characters. */
PyObject *lower_inert(PyObject *module, PyObject *args);
extern const char lower_inert_doc[];

/* Bumped whenever read_lines changes what it returns (storylint.story reads it). */
#define STORY_VERSION 1

/* _lines.c: the story parser's reading of each line. */
int lines_init(void);
int wordmodel_init(void);
PyObject *read_lines(PyObject *module, PyObject *args);
extern const char read_lines_doc[];
PyObject *location_date(PyObject *module, PyObject *args);
extern const char location_date_doc[];

/* _markers.c: the lines that open with one of the bundled boilerplate markers. */
PyObject *marker_lines(PyObject *module, PyObject *args);
extern const char marker_lines_doc[];

#endif
