"""Small helpers for walking large collections in bounded chunks."""

from collections.abc import Iterable
from itertools import islice


def batched(items: Iterable, size: int):
    """itertools.batched (Python 3.12+) for Python 3.11."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
