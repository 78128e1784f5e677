"""Why a line scored as it did: the words, word pairs and features that moved its probability.

The model is linear, so a line's log-odds is the intercept plus one term per feature; each
word's term gathers the word itself and its character n-grams. Terms are recomputed from the
line's own words, so hashed columns never need reversing. Plain Python, like `check`.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from storylint import features as F


@dataclass(frozen=True)
class Term:
    """One feature's contribution to a line's log-odds."""

    label: str
    contribution: float


def explain_line(model, ctx: F.StoryContext, segment: F.Segment) -> list[Term]:
    """Every contribution to the line's log-odds, largest absolute value first."""
    text = F.analyse_text(segment.text)
    weights, mask, scale = model.weights, model.mask, text.scale
    terms = []
    for word, count in Counter(text.words).items():
        total = sum(weights[i] for i in F.word_indices(word, mask))
        terms.append(Term(f"word {word!r}", total * scale * count))
    for pair, count in Counter(zip(text.words, text.words[1:])).items():
        weight = weights[F.pair_index(pair[0], pair[1], mask)]
        terms.append(Term(f"words {pair[0] + ' ' + pair[1]!r}", weight * scale * count))
    values = text.dense + F.context_values(ctx, segment, text)
    for name, weight, value in zip(F.DENSE_NAMES, model.dense_weights, values):
        if value:
            terms.append(Term(f"{name} = {value:.2f}", weight * value))
    terms.append(Term("intercept", model.intercept))
    return sorted(terms, key=lambda t: -abs(t.contribution))


def top_terms(terms: list[Term], count: int) -> tuple[list[Term], list[Term]]:
    """The strongest terms for (toward promotional) and against (toward legitimate)."""
    toward = [t for t in terms if t.contribution > 0 and t.label != "intercept"]
    against = [t for t in terms if t.contribution < 0 and t.label != "intercept"]
    return toward[:count], against[:count]


def run_explain(args, linter, stream) -> int:
    """`storylint explain`: each flagged tail of each story with the terms behind its score."""
    import json

    from storylint.source import read_story

    checks = [r.check for r in linter.checks if r.kind == "classifier"]
    if not checks:
        stream.write("no classifier rule is selected (promo-tail is ignored or disabled)\n")
        return 2
    found, documents = False, []
    for path in args.paths:
        source = read_story(path, linter.config.max_file_size, linter.config.encoding_fallback)
        if source.text is None:
            stream.write(f"{path}: not checked ({source.findings[0].message})\n")
            continue
        for check in checks:
            document = explain_story(check, source.text, path, args.top)
            found = found or bool(document["tails"])
            documents.append(document)
            if args.format == "text":
                stream.write(render_text(document))
    if args.format == "json":
        stream.write(json.dumps(documents, indent=2, ensure_ascii=False) + "\n")
    return 1 if found else 0


def explain_story(check, text: str, path: str, count: int) -> dict:
    """The tails of one story, each line with its probability and strongest terms."""
    from storylint.story import Story

    story = Story(text, path)
    scores = check.scores(story)
    ctx = F.StoryContext(story)
    by_line = {s.line: s for s in F.story_segments(story)}
    tails = []
    for tail in check.tails(story):
        lines = []
        for line, probability in tail.lines:
            terms = explain_line(check.model, ctx, by_line[line])
            toward, against = top_terms(terms, count)
            lines.append({"line": line, "probability": round(probability, 4),
                          "text": by_line[line].text[:120],
                          "toward_promotional": [_term(t) for t in toward],
                          "toward_legitimate": [_term(t) for t in against]})
        tails.append({"first_line": tail.first, "last_line": tail.last,
                      "probability": round(tail.probability, 4), "lines": lines})
    top = max(scores, key=scores.get) if scores else None
    return {"path": path, "threshold": check.threshold,
            "trailing_threshold": check.trailing_threshold, "tails": tails,
            "highest_line": top, "highest_probability": round(scores[top], 4) if top else None}


def _term(term: Term) -> dict:
    return {"feature": term.label, "log_odds": round(term.contribution, 3)}


def render_text(document: dict) -> str:
    """A readable explanation for a terminal."""
    from storylint.report.text import printable

    path = printable(document["path"])
    limits = (f"thresholds {document['threshold']} for story lines, "
              f"{document['trailing_threshold']} after the boilerplate")
    if not document["tails"]:
        return (f"{path}: no promotional tail (highest line {document['highest_line']}, "
                f"p={document['highest_probability']}; {limits})\n")
    out = []
    for tail in document["tails"]:
        out.append(f"{path}:{tail['first_line']}: promotional tail, lines {tail['first_line']}-"
                   f"{tail['last_line']}, p={tail['probability']} ({limits})")
        for line in tail["lines"]:
            out.append(f"  line {line['line']} p={line['probability']}: "
                       f"{printable(line['text'])!r}")
            for term in line["toward_promotional"]:
                out.append(f"    +{term['log_odds']:.3f}  {printable(term['feature'])}")
            for term in line["toward_legitimate"]:
                out.append(f"    {term['log_odds']:.3f}  {printable(term['feature'])}")
    return "\n".join(out) + "\n"
