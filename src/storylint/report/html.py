"""A self-contained HTML report: one file, no script, no network, safe to open from anyone.

Jinja2 renders it with autoescaping switched on explicitly (not by file extension, which skipped
a `report.j2` in our tests) and StrictUndefined, so a typo in the template is an error rather
than an empty cell. Story text is also passed through `visible` first, so bidi overrides and
invisible characters show as \\uXXXX. A Content-Security-Policy meta tag allows nothing but the
report's own stylesheet (by hash) and data: images: even an escaping bug could not run a script
or load a tracker.
"""
from __future__ import annotations

import base64
import hashlib
from importlib.resources import files

from storylint import __version__
from storylint.report import charts
from storylint.report.common import project_root, visible
from storylint.report.summary import summarize

TEMPLATE = "report.html.j2"
STYLESHEET = "report.css"


def render(result, stream) -> None:
    """Write the whole report page."""
    stream.write(render_page(result))


class StreamWriter:
    """For `report` on a large archive: the page is drawn at the end from an ArchiveTally,
    which keeps the counts and only the worst stories' details (never the whole archive)."""

    def __init__(self, stream):
        self.stream = stream

    def add(self, report) -> None:
        """Nothing to write per story: the tally keeps what the page shows."""

    def finish(self, tally, fail_score: float | None = None) -> None:
        """Write the whole page."""
        self.stream.write(page_from_data(tally.summary_data(project_root())))


def render_page(result, root=None) -> str:
    """The report page as a string."""
    return page_from_data(summarize(result, root or project_root()))


def page_from_data(data: dict) -> str:
    """The page for the plain data of `summary.summarize` (or `ArchiveTally.summary_data`)."""
    from markupsafe import Markup

    css = _resource(STYLESHEET)
    page = _environment().get_template(TEMPLATE).render(
        version=__version__, css=Markup(css), csp=content_security_policy(css), **data,
        rule_chart=charts.horizontal_bars([(f"{r['code']} {r['name']}", r["findings"])
                                           for r in data["rules"]]),
        promo_chart=charts.columns(data["promo_histogram"]),
        score_chart=charts.columns(data["score_histogram"]),
    )
    return page


def content_security_policy(css: str) -> str:
    """Nothing allowed except this exact stylesheet and inline data: images."""
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; style-src 'sha256-{digest}'; img-src data:; "
            "base-uri 'none'; form-action 'none'")


def _environment():
    from jinja2 import Environment, FunctionLoader, StrictUndefined

    env = Environment(loader=FunctionLoader(_resource), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["visible"] = visible
    env.filters["score"] = lambda value: "" if value is None else f"{value:.2f}"
    return env


def _resource(name: str) -> str:
    return (files("storylint.report") / "templates" / name).read_text(encoding="utf-8")
