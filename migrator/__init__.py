"""segment-migrator: move code and data from Segment's Config API to its Public API."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("segment-migrator")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
