"""The promo-tail model on disk: a weights-only format that can be read without running code.

A model is a folder with `manifest.json` (format, feature version, hash width, intercept,
threshold, the SHA-256 and size of each data file, training facts and metrics; `MODEL_CARD.md`
is rendered from it) and `weights.f32`, little-endian float32 weights (hashed columns, then the
dense features). Loading checks, in order: the folder and manifest exist; nothing is a pickle;
the manifest is valid JSON of the expected shape and a supported version; the weights file has
the SHA-256 and size the manifest names. Only then are the bytes read as numbers. Scoring is
plain Python: `check` never imports scikit-learn, scipy, joblib or numpy.
"""
from __future__ import annotations

import hashlib
import json
import math
import sys
import zlib
from array import array
from operator import mul
from pathlib import Path

from storylint import features as F
from storylint.modelfile import ModelError, read_verified
from storylint.speedups import compiled

FORMAT_NAME = "storylint-linear"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
WEIGHTS = "weights.f32"
MAX_MANIFEST_BYTES = 1 << 20
MAX_WEIGHTS_BYTES = 64 << 20
_PICKLE_SUFFIXES = (".pkl", ".pickle", ".joblib", ".sav", ".dill")
_CACHE_LIMIT = 200_000  # words: a news vocabulary levels off far below this
# Whole lines (~1.3 KB per entry with their analysis) keep arriving in an archive of unique
# stories: 200,000 of them would hold ~250 MB per worker process before a clear. Lines that
# repeat (boilerplate, stock shot lines) are back in the cache right after a clear.
_TEXT_CACHE_LIMIT = 10_000
_SIGHTED_BITS = 1 << 20  # a 128 KB bitmap of the lines analysed once (`_sighted_before`)
_new_tuple = tuple.__new__


# The C `hashed_sum` (storylint._speedups) if it was built for these features, else None: the
# pure-Python loop below gives the same numbers, slower.
COMPILED_HASHED_SUM = compiled("hashed_sum", "FEATURE_VERSION", F.FEATURE_VERSION)


class Manifest:
    """The validated manifest: what the weights mean and how they were made."""

    def __init__(self, path: Path, data: dict):
        self.path, self.data = path, data

    @property
    def hash_bits(self) -> int:
        """Width of the hashed feature block, as a power of two."""
        return self.data["hash_bits"]

    @property
    def threshold(self) -> float:
        """Probability at or above which a story line is reported."""
        return self.data["threshold"]


def resolve_model_dir(name_or_path: str, base: Path | None = None) -> Path:
    """A bundled model name (`promo-tail`) or a path (relative to `base`) to a model folder."""
    candidate = Path(name_or_path)
    if "/" not in name_or_path and "\\" not in name_or_path and not candidate.suffix:
        from storylint.resources import data_dir

        try:
            return data_dir("models") / name_or_path
        except FileNotFoundError:
            return Path("models") / name_or_path
    if not candidate.is_absolute() and base is not None:
        candidate = base / candidate
    return candidate


def load_model(folder: Path, allow_version_skew: bool = False, warn=None) -> LinearModel:
    """Verify and load a model folder; raise ModelError with a one-line reason otherwise."""
    folder = Path(folder)
    _refuse_pickle(folder)
    if not folder.is_dir():
        raise ModelError(f"model not found: {folder}; run `storylint train` to build it "
                         "(or reinstall storylint)")
    manifest = read_manifest(folder)
    _check_versions(manifest, allow_version_skew, warn)
    entry = manifest.data["files"][WEIGHTS]
    raw = _read_checked(folder / WEIGHTS, entry)
    weights = array("f")
    weights.frombytes(raw)
    if sys.byteorder == "big":
        weights.byteswap()
    return LinearModel(manifest, weights)


def _refuse_pickle(folder: Path) -> None:
    """Pickle and joblib files run code when loaded: never open them, whatever their name."""
    paths = [folder] if folder.is_file() else (sorted(folder.iterdir()) if folder.is_dir() else [])
    for path in paths:
        if path.name in (MANIFEST, WEIGHTS, "MODEL_CARD.md") or path.is_dir():
            continue
        if path.suffix.lower() in _PICKLE_SUFFIXES or _looks_pickled(path):
            raise ModelError(f"model format not allowed: {path} (pickle/joblib); expected a "
                             f"storylint weights model ({MANIFEST} + {WEIGHTS})")
    if folder.is_file():
        raise ModelError(f"model format not allowed: {folder}; expected a folder with "
                         f"{MANIFEST} and {WEIGHTS}")


def _looks_pickled(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(2)
    except OSError:
        return False
    return len(head) == 2 and head[0] == 0x80 and 2 <= head[1] <= 5


def read_manifest(folder: Path) -> Manifest:
    """Read and validate `manifest.json` (shape and types; not the checksums)."""
    path = folder / MANIFEST
    if not path.is_file():
        raise ModelError(f"model not found: {path} is missing; run `storylint train`")
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        raise ModelError(f"{path}: manifest too large (limit {MAX_MANIFEST_BYTES} bytes)")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ModelError(f"{path}: manifest is not valid JSON ({exc})") from None
    _validate_manifest(path, data)
    return Manifest(path, data)


_REQUIRED = {"format": str, "format_version": int, "feature_version": int, "hash_bits": int,
             "dense_features": list, "intercept": float, "threshold": float, "files": dict}


def _validate_manifest(path: Path, data) -> None:
    if not isinstance(data, dict):
        raise ModelError(f"{path}: manifest must be a JSON object")
    for key, kind in _REQUIRED.items():
        value = data.get(key)
        ok = isinstance(value, (int, float)) if kind is float else isinstance(value, kind)
        if value is None or not ok or isinstance(value, bool):
            raise ModelError(f"{path}: manifest field {key!r} is missing or not a "
                             f"{kind.__name__}")
    if data["format"] != FORMAT_NAME:
        raise ModelError(f"{path}: unknown model format {data['format']!r}; expected "
                         f"{FORMAT_NAME!r}")
    if not 8 <= data["hash_bits"] <= 24:
        raise ModelError(f"{path}: hash_bits {data['hash_bits']} out of range (8-24)")
    entry = data["files"].get(WEIGHTS)
    if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str) \
            or not isinstance(entry.get("bytes"), int):
        raise ModelError(f"{path}: manifest must list {WEIGHTS} with its sha256 and bytes")
    expected = 4 * ((1 << data["hash_bits"]) + len(data["dense_features"]))
    if entry["bytes"] != expected:
        raise ModelError(f"{path}: {WEIGHTS} is listed as {entry['bytes']} bytes but "
                         f"{1 << data['hash_bits']} hashed + {len(data['dense_features'])} "
                         f"dense float32 weights need {expected}")


def _check_versions(manifest: Manifest, allow_skew: bool, warn) -> None:
    data, path = manifest.data, manifest.path
    if data["format_version"] > FORMAT_VERSION:
        raise ModelError(f"{path}: model format version {data['format_version']} is newer than "
                         f"this storylint supports ({FORMAT_VERSION}); upgrade storylint or "
                         "retrain with `storylint train`")
    problems = []
    if data["feature_version"] != F.FEATURE_VERSION:
        problems.append(f"features version {data['feature_version']} (this storylint computes "
                        f"version {F.FEATURE_VERSION})")
    if list(data["dense_features"]) != list(F.DENSE_NAMES):
        problems.append("a different list of dense features")
    if not problems:
        return
    message = (f"{path}: model was built with {' and '.join(problems)}; retrain it with "
               "`storylint train` or install the storylint version that built it")
    if not allow_skew:
        raise ModelError(message + " (--allow-model-version-skew to use it anyway)")
    if len(data["dense_features"]) != len(F.DENSE_NAMES):
        raise ModelError(message + " (dense feature count differs; cannot be used at all)")
    if warn is not None:
        warn("warning: " + message)


def _read_checked(path: Path, entry: dict) -> bytes:
    return read_verified(path, entry["sha256"], MAX_WEIGHTS_BYTES, "run `storylint train`",
                         size=entry["bytes"])


class LinearModel:
    """Logistic regression over the shared features, scored in Python with caches (the hashed
    sum compiled where storylint._speedups is built: the same numbers)."""

    def __init__(self, manifest: Manifest, weights: array):
        self.manifest = manifest
        self.weights = weights
        self.mask = (1 << manifest.hash_bits) - 1
        self.dense_weights = list(weights[self.mask + 1:])
        self.intercept = float(manifest.data["intercept"])
        self.threshold = float(manifest.data["threshold"])
        self._words: dict[str, float] = {}
        # text -> (LineText's fields, hashed part) as plain tuples: the garbage collector stops
        # tracking those, but never a named tuple, so 10,000 cached LineTexts were traversed by
        # every full collection
        self._texts: dict[str, tuple[tuple, float]] = {}
        self._sighted = bytearray(_SIGHTED_BITS // 8)  # lines seen once, by hash (see text_part)
        self._sightings = 0
        self._boilerplate: dict[str, float] = {}

    def text_part(self, text: str) -> tuple[F.LineText, float]:
        """The line's text analysis and the hashed part of its score (cached by text from its
        second sighting on)."""
        cached = self._texts.get(text)
        if cached is not None:
            return _new_tuple(F.LineText, cached[0]), cached[1]
        analysed = F.analyse_text(text)
        hashed = self._hashed_sum(analysed.words) * analysed.scale
        if self._sighted_before(text):
            if len(self._texts) > _TEXT_CACHE_LIMIT:
                self._texts.clear()
            self._texts[text] = (_new_tuple(tuple, analysed), hashed)
        return analysed, hashed

    def _sighted_before(self, text: str) -> bool:
        """Whether a line with this text's hash bits was analysed before, noting this one.

        Most story lines occur once in an archive (1 in 29 text lookups hit over 10,000
        generated scripts), and caching each of them kept ~1.3 KB of tuples per line alive
        until the cache was cleared, which the garbage collector traversed and the processor's
        caches had to hold. Lines that recur (promotional tails, stock shot lines) are cached
        from their second sighting. A shared bit only makes a line cached one sighting early."""
        bit = hash(text) & (_SIGHTED_BITS - 1)
        byte, mask = bit >> 3, 1 << (bit & 7)
        if self._sighted[byte] & mask:
            return True
        self._sightings += 1
        if self._sightings > _SIGHTED_BITS // 4:  # a quarter full: start afresh
            self._sighted = bytearray(_SIGHTED_BITS // 8)
            self._sightings = 1
        self._sighted[byte] |= mask
        return False

    def _hashed_sum(self, words: tuple[str, ...]) -> float:
        """Sum of the weights of the words' hashed columns (compiled when available)."""
        if COMPILED_HASHED_SUM is None:
            total = self.python_hashed_sum(words)
        else:
            total = COMPILED_HASHED_SUM(words, self.weights, self.mask, self._words)
        if len(self._words) > _CACHE_LIMIT:  # both fill the same per-word cache
            self._words.clear()
        return total

    def python_hashed_sum(self, words: tuple[str, ...]) -> float:
        """`_hashed_sum` in plain Python, with a per-word cache (the reference the C matches)."""
        total = 0.0
        word_cache, weights, mask = self._words, self.weights, self.mask
        weight_of = weights.__getitem__
        for word in words:
            value = word_cache.get(word)
            if value is None:
                value = word_cache[word] = sum(map(weight_of, F.word_indices(word, mask)))
            total += value
        if F.WORD_PAIRS:  # pairs rarely repeat: hashing them is cheaper than caching them
            crc, seed = zlib.crc32, F.PAIR_CRC  # inlined F.pair_index (same columns)
            total += sum([weights[crc(f"{a} {b}".encode("utf-8"), seed) & mask]
                          for a, b in zip(words, words[1:])])
        return total

    def probability(self, ctx: F.StoryContext, segment: F.Segment) -> float:
        """P(segment is appended promotional or off-topic text)."""
        key = None
        if segment.kind == "boilerplate":  # context is constant for these: cache by text
            cached = self._boilerplate.get(segment.text)
            if cached is not None:
                return cached
            key = F.zero_digits(segment.text)  # features read every digit as 0, so the
            cached = self._boilerplate.get(key)  # licence line with its story id hits too
            if cached is not None:
                return cached
        text, hashed = self.text_part(segment.text)
        dense = text.dense + F.context_values(ctx, segment, text)
        p = _sigmoid(self.intercept + hashed + sum(map(mul, self.dense_weights, dense)))
        if key is not None:
            if len(self._boilerplate) > _TEXT_CACHE_LIMIT:
                self._boilerplate.clear()
            self._boilerplate[key] = self._boilerplate[segment.text] = p
        return p


def _sigmoid(margin: float) -> float:
    if margin >= 0:
        return 1.0 / (1.0 + math.exp(-margin))
    z = math.exp(margin)
    return z / (1.0 + z)


def write_model(folder: Path, coef, intercept: float, threshold: float, hash_bits: int,
                extra: dict) -> Manifest:
    """Export fitted weights (hashed block + dense block) and the manifest, atomically."""
    from storylint.atomic import write_bytes_atomic

    values = array("f", (float(x) for x in coef))
    if not all(math.isfinite(x) for x in values):
        raise ModelError("refusing to export a model with NaN or infinite weights")
    if sys.byteorder == "big":
        values.byteswap()
    raw = values.tobytes()
    folder.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(folder / WEIGHTS, raw, 0o644)
    data = {"format": FORMAT_NAME, "format_version": FORMAT_VERSION,
            "feature_version": F.FEATURE_VERSION, "hash_bits": hash_bits,
            "dense_features": list(F.DENSE_NAMES), "intercept": float(intercept),
            "threshold": float(threshold),
            "files": {WEIGHTS: {"sha256": hashlib.sha256(raw).hexdigest(), "bytes": len(raw),
                                "dtype": "float32 little-endian"}}}
    data.update(extra)
    write_manifest(folder, data)
    return Manifest(folder / MANIFEST, data)


def write_manifest(folder: Path, data: dict) -> None:
    """Write manifest.json atomically (sorted keys: stable diffs)."""
    from storylint.atomic import write_bytes_atomic

    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    write_bytes_atomic(folder / MANIFEST, text.encode("utf-8"), 0o644)
