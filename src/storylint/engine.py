"""The engine: select rules, run them on stories, apply suppressions, sort. Checking never prints."""
from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence
from dataclasses import replace
from fnmatch import fnmatch
from pathlib import Path

from storylint.checks.base import MAX_FINDINGS_PER_RULE
from storylint.collector import COLLECTOR_PAUSE
from storylint.config import Config, ConfigError
from storylint.diagnostics import BUILTIN_RULES, MODEL_ERROR, diagnostic, loaded_errors
from storylint.finding import Finding
from storylint.fingerprint import content_fingerprints, quoted_lines
from storylint.results import FileReport, RunResult
from storylint.rulepack import Rule, RulePack, check_unique, load_pack
from storylint.source import StoryFile, read_story
from storylint.story import DEFAULT_FORMAT, Story, StoryFormat
from storylint.suppress import read_suppressions
from storylint.verdict import score_story


def bundled_pack_dirs() -> list[Path]:
    """The rule packs shipped with storylint (inside the wheel, or the repo's top-level rules/)."""
    from storylint.resources import data_dir

    root = data_dir("rules")
    return sorted(p for p in root.iterdir() if (p / "pack.yaml").is_file())


def load_rules(config: Config, extra_packs: Sequence[Path] = ()
               ) -> tuple[list[Rule], StoryFormat]:
    """Load every configured pack, check codes are unique, and return all rules plus the format."""
    from storylint.patterns import reviewed_patterns

    bundled = bundled_pack_dirs() if config.default_packs else []
    with reviewed_patterns():  # storylint's own packs may run on Python's re without google-re2
        packs: list[RulePack] = [load_pack(folder) for folder in bundled]
    packs += [load_pack(folder) for folder in [*config.packs, *extra_packs]]
    rules = list(BUILTIN_RULES) + sorted((r for p in packs for r in p.rules), key=lambda r: r.code)
    check_unique(rules)
    fmt = next((p.format for p in packs if p.format is not DEFAULT_FORMAT), DEFAULT_FORMAT)
    return rules, fmt


def select_rules(rules: Sequence[Rule], config: Config) -> list[Rule]:
    """Apply select/extend-select/ignore and severity overrides; unknown names are errors."""
    index = rule_index(rules)
    for key in (*(config.select or ()), *config.extend_select, *config.ignore, *config.severity):
        if not _lookup(index, key):
            raise ConfigError([f"{config.path or 'command line'}: unknown rule {key!r} "
                               "(see `storylint rules`)"])
    if config.select is None:
        chosen = [r for r in rules if r.enabled]
    else:
        wanted = {r.code for key in config.select for r in _lookup(index, key)}
        chosen = [r for r in rules if r.code in wanted or r.kind == "diagnostic"]
    extra = {r.code for key in config.extend_select for r in _lookup(index, key)}
    chosen += [r for r in rules if r.code in extra and r not in chosen]
    dropped = {r.code for key in config.ignore for r in _lookup(index, key)}
    overrides = {r.code: level for key, level in config.severity.items()
                 for r in _lookup(index, key)}
    return [replace(r, severity=overrides[r.code]) if r.code in overrides else r
            for r in chosen if r.code not in dropped]


def rule_index(rules: Sequence[Rule]) -> dict[str, Rule]:
    """Each rule under its code, its name and its former names."""
    index = {}
    for rule in rules:
        for key in (rule.code, rule.name, *rule.renamed_from):
            index[key] = rule
    return index


def _lookup(index: dict[str, Rule], key: str) -> list[Rule]:
    """A rule by code/name, or every rule whose code starts with a prefix such as `SL3`."""
    if key in index:
        return [index[key]]
    return [r for k, r in index.items() if k == r.code and k.startswith(key) and key[:2].isalpha()]


STDIN = "-"  # the path that means standard input
# Stories checked together by `check_texts`, rule by rule. callgrind's cache simulation (32 KB
# first-level caches, 512 KB second level, as on the EPYC machines here), 300 generated scripts,
# misses in the second-level cache per story: one story at a time 7,349; in batches of 4, 4,756;
# of 8, 3,881; of 16, 3,377; of 32, 3,090; of 64, 3,013 (the same instructions, and the same
# first-level misses). 16 takes most of the gain while holding few parsed stories at once.
BATCH_SIZE = 16


class Linter:
    """Runs a fixed set of rules over stories; build once, check many files."""

    def __init__(self, rules: Sequence[Rule], config: Config | None = None,
                 fmt: StoryFormat = DEFAULT_FORMAT, model_override: tuple | None = None):
        """`model_override`: the (model folder, allow version skew) the rules were given on the
        command line, kept so that report workers can build the same Linter."""
        self.config = config or Config()
        self.model_override = model_override
        self.stdin_name = "<stdin>"  # how a story read from standard input (`-`) is named
        self.rules = tuple(rules)
        self.checks = [r for r in rules if r.check is not None]
        self.builtin = {r.name: r for r in rules if r.kind == "diagnostic"}
        self.keys = {k: r.code for k, r in rule_index(rules).items()}
        self.format = fmt
        # Content fingerprints and quoted lines cost ~3% of a run; formats and options that never
        # read them (CONTEXT_FORMATS in storylint.report says which do) turn this off.
        self.keep_context = True
        self.internal_errors = 0
        self.weights = {r.code: r.weight for r in rules}
        for rule in self.checks:  # load models etc. now, so their errors stop the run (exit 2)
            prepare = getattr(rule.check, "prepare", None)
            if prepare is not None:
                prepare()

    def check_text(self, text: str, path: str = "<story>",
                   encoding: str | None = "utf-8") -> list[Finding]:
        """Findings for decoded story text, suppressions applied, in position order."""
        if not text.strip():
            return self._builtin("empty-story", path, "story file is empty")
        story = Story(text, path, encoding, self.format)
        findings = []
        for rule in self.checks:
            findings.extend(self._run(rule, story))
        return self._finish(story, findings)

    def check_texts(self, texts: Sequence[tuple[str, str, str | None]]) -> list[list[Finding]]:
        """`check_text` of each (text, path, encoding), the same findings, for many stories.

        Rule by rule rather than story by story: each rule then runs over the whole batch
        while its code and data are in the processor's caches, instead of every rule's being
        fetched again for every story (see BATCH_SIZE)."""
        results: list[list[Finding]] = []
        batch: list[tuple[Story, list[Finding]]] = []
        with COLLECTOR_PAUSE:  # see storylint.collector: no cycles, nothing to collect
            for text, path, encoding in texts:
                if text.strip():
                    batch.append((Story(text, path, encoding, self.format), []))
                    results.append(batch[-1][1])
                else:
                    results.append(self._builtin("empty-story", path, "story file is empty"))
            for rule in self.checks:
                for story, findings in batch:
                    findings.extend(self._run(rule, story))
            for story, findings in batch:
                findings[:] = self._finish(story, findings)
        return results

    def _finish(self, story: Story, findings: list[Finding]) -> list[Finding]:
        """A story's findings with its suppressions applied, in position order."""
        if story.of_kind("directive"):  # most stories have none: no need to read them
            suppressions, problems = read_suppressions(story, self.keys,
                                                       self.builtin.get("invalid-suppression"))
            if suppressions.whole_file or suppressions.by_line:
                findings = [f for f in findings if not suppressions.covers(f)]
            findings += [p for p in problems if "invalid-suppression" in self.builtin]
        return sorted(findings, key=Finding.sort_key)

    def check_file(self, path: str) -> FileReport:
        """Read, decode and check one file (`-`: standard input, named `stdin_name`); read
        problems become findings."""
        return self.check_source(self.read_source(path))

    def check_files(self, paths: Sequence[str]) -> list[FileReport]:
        """`check_file` of each path, the same reports, checked BATCH_SIZE stories at a time
        (`check_texts`): the way `check` and `report` run."""
        reports = []
        for start in range(0, len(paths), BATCH_SIZE):
            reports += self._check_batch(paths[start:start + BATCH_SIZE])
        return reports

    def _check_batch(self, paths: Sequence[str]) -> list[FileReport]:
        sources = [self.read_source(path) for path in paths]
        checked = iter(self.check_texts([(source.text, source.path, source.encoding)
                                         for source in sources if source.text is not None]))
        return [self.check_source(source, next(checked) if source.text is not None else None)
                for source in sources]

    def read_source(self, path: str) -> StoryFile:
        """One story file read and decoded under this run's settings (`-`: standard input)."""
        cfg = self.config
        if path == STDIN:
            from storylint.source import read_stream

            return read_stream(sys.stdin.buffer, self.stdin_name, cfg.max_file_size,
                               cfg.encoding_fallback)
        return read_story(path, cfg.max_file_size, cfg.encoding_fallback, cfg.follow_symlinks,
                          cfg.root)

    def check_source(self, source: StoryFile, text_findings: list[Finding] | None = None
                     ) -> FileReport:
        """Check a file already read by `source.read_story` (used by --fix, which keeps it).

        `text_findings`, when given, are `check_text` results for `source.text` computed earlier.
        """
        path = source.path
        restamped = [self._restamp(f) for f in source.findings]
        findings = [f for f in restamped if f is not None]
        if source.text is not None:
            findings += (self.check_text(source.text, path, source.encoding)
                         if text_findings is None else list(text_findings))
        findings.sort(key=Finding.sort_key)
        score, breakdown = score_story(findings, self.weights)
        if not self.keep_context:
            return FileReport(path, source.encoding, tuple(findings), score, breakdown)
        return FileReport(path, source.encoding, tuple(findings), score, breakdown,
                          content_fingerprints(findings, source.text),
                          quoted_lines(findings, source.text))

    def _run(self, rule: Rule, story: Story) -> list[Finding]:
        try:
            found = rule.check.run(story, rule)
            if type(found) is list and len(found) <= MAX_FINDINGS_PER_RULE:
                return found  # the usual answer, [] or a few: no copy
            return list(found)[:MAX_FINDINGS_PER_RULE]
        except Exception as exc:  # a bug in one rule must not stop the others
            if isinstance(exc, loaded_errors(MODEL_ERROR)):
                raise  # a broken model file is the install's problem: the run stops, exit 2
            self.internal_errors += 1
            where = traceback.extract_tb(exc.__traceback__)[-1]
            detail = (f"internal error in rule {rule.name} on {story.path}: "
                      f"{type(exc).__name__}: {exc} ({Path(where.filename).name}:{where.lineno}); "
                      "please report this with the story attached")
            return self._builtin("internal-error", story.path, detail)

    def _builtin(self, name: str, path: str, detail: str) -> list[Finding]:
        rule = self.builtin.get(name)
        return [diagnostic(name, path, detail, rule=rule)] if rule else []

    def _restamp(self, finding: Finding) -> Finding | None:
        rule = self.builtin.get(finding.name)
        if rule is None:
            return None
        return finding if rule.severity == finding.severity else replace(finding,
                                                                         severity=rule.severity)


def iter_story_paths(paths: list[str], config: Config):
    """Files named on the command line as given; directories walked for `include` patterns."""
    for given in paths:
        if given != STDIN and os.path.isdir(given) and not os.path.islink(given):
            yield from _walk(given, config)
        else:
            yield given


def _walk(top: str, config: Config):
    """Matching files in sorted order; a directory (or a link to one) named like a story is
    yielded too, so it is reported (RELIABILITY 41) rather than skipped, and still walked."""
    for folder, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _excluded(
            os.path.join(folder, d), config))
        for name in sorted(files + dirs):
            path = os.path.join(folder, name)
            if any(fnmatch(name, p) for p in config.include) and not _excluded(path, config):
                yield path


def _excluded(path: str, config: Config) -> bool:
    name = os.path.basename(path)
    return any(fnmatch(name, p) or fnmatch(path, p) for p in config.exclude)


def run_check(paths: list[str], linter: Linter) -> RunResult:
    """Check every story under `paths` and collect a RunResult."""
    reports = linter.check_files(list(iter_story_paths(paths, linter.config)))
    return RunResult(reports, linter.rules, linter.config.fail_level, linter.internal_errors)
