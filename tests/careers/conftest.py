"""The careers tests read the portal's English source texts: the personas and the language come from
tests/english.py."""

from ..english import *  # noqa: F403 (the fixtures: _english, the personas preferring English)
