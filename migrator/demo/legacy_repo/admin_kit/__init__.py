"""The team's Segment admin kit: a client with one request chokepoint and model classes over it."""
from .client import ConfigApi

__all__ = ["ConfigApi"]
