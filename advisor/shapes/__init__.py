"""Answer shapes, one per question act: the lead (the direct answer) and only the sections that act needs."""

from .acts import compose

__all__ = ["compose"]
