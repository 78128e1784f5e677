"""storylint: a content-quality linter and promotional-tail filter for news story scripts."""

__version__ = "0.1.0"
