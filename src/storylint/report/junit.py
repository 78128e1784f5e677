"""JUnit XML for GitLab, Jenkins and other CI test-report viewers: one testcase per story file.

A file with findings at or above the fail level is a failed testcase whose <failure> lists them;
an internal error in storylint is an <error>; findings below the fail level are kept in
<system-out> of a passing testcase. Text that XML 1.0 cannot carry (control characters, lone
surrogates from odd file names) is written as \\uXXXX escapes, so the report always parses.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

from storylint.report.common import display_path, project_root, severity_counts, visible

SUITE_NAME = "storylint"


def render(result, stream) -> None:
    """Write the run as a <testsuites> document with one <testsuite>."""
    root = project_root()
    suite = ET.Element("testsuite", name=SUITE_NAME)
    failures = errors = 0
    for report in result.files:
        case, outcome = _testcase(report, result.fail_level, root)
        suite.append(case)
        failures += outcome == "failure"
        errors += outcome == "error"
    suite.attrib.update(tests=str(len(result.files)), failures=str(failures),
                        errors=str(errors), skipped="0")
    suites = ET.Element("testsuites", name=SUITE_NAME, tests=str(len(result.files)),
                        failures=str(failures), errors=str(errors))
    suites.append(suite)
    ET.indent(suites)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(suites, encoding="unicode"))
    stream.write("\n")


def _testcase(report, fail_level, root) -> tuple[ET.Element, str]:
    path = xml_text(display_path(report.path, root))
    case = ET.Element("testcase", name=path, classname=SUITE_NAME, file=path)
    internal = [f for f in report.findings if f.source == "internal"]
    failing = [f for f in report.findings if f.severity >= fail_level and f.source != "internal"]
    below = [f for f in report.findings if f.severity < fail_level]
    if internal:
        _child(case, "error", internal, path)
    if failing:
        _child(case, "failure", failing, path)
    if below:
        ET.SubElement(case, "system-out").text = "\n".join(_line(f, path) for f in below)
    return case, "error" if internal else "failure" if failing else "passed"


def _child(case: ET.Element, tag: str, findings, path: str) -> None:
    counts = ", ".join(f"{n} {level}" for level, n in severity_counts(findings).items() if n)
    first = findings[0]
    element = ET.SubElement(case, tag, message=xml_text(
        f"{len(findings)} problem(s) ({counts}); first: {first.code} {first.message}"),
        type=first.code)
    element.text = "\n".join(_line(f, path) for f in findings)


def _line(finding, path: str) -> str:
    return xml_text(f"{path}:{finding.line}:{finding.column}: {finding.code} {finding.severity} "
                    f"{finding.message} [{finding.name}]")


def xml_text(text: str) -> str:
    """Text XML 1.0 allows: control characters, bidi controls and surrogates as \\uXXXX."""
    return visible(text, keep="\n\t")
