"""Access to the optional compiled module `storylint._speedups` (see src/build_speedups.py).

Every function in it has a pure-Python definition that gives the same results; callers use the
compiled one when it is built for the definitions they hold, and their own code otherwise.
"""
from __future__ import annotations

import os


def compiled(name: str, version_name: str, version: int):
    """The compiled function `name`, or None: the module was not built, was built for another
    `version` of the definitions (its constant `version_name` differs), or the environment says
    STORYLINT_SPEEDUPS=off."""
    if os.environ.get("STORYLINT_SPEEDUPS", "").strip().lower() == "off":
        return None
    try:
        from storylint import _speedups
    except ImportError:
        return None
    if getattr(_speedups, version_name, None) != version:
        return None
    return getattr(_speedups, name, None)
