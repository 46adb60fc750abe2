"""core.fragments: a stored fragment is served until one of its generations moves; a generation moves at once and
again after the commit; a lost generation token starts a new one instead of matching old fragments."""

from django.core.cache import cache

from core import fragments


def test_a_fragment_is_served_until_its_generation_moves(db):
    value, generations = fragments.fetch("k", ["a", "b"])
    assert value is None
    fragments.store("k", generations, "html", 60)
    assert fragments.fetch("k", ["a", "b"])[0] == "html"
    fragments.forget("b")
    assert fragments.fetch("k", ["a", "b"])[0] is None
    assert fragments.fetch("k", ["a"])[0] is None  # stored with other generations: never matches


def test_forget_moves_the_generation_again_after_the_commit(db, django_capture_on_commit_callbacks):
    _value, generations = fragments.fetch("k", ["a"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        fragments.forget("a")
        # Built from the data before the commit, under the generation moved at once:
        _value, during = fragments.fetch("k", ["a"])
        fragments.store("k", during, "old", 60)
    assert fragments.fetch("k", ["a"])[0] == "old"
    for callback in callbacks:
        callback()
    assert fragments.fetch("k", ["a"])[0] is None


def test_an_evicted_generation_does_not_revive_old_fragments(db):
    _value, generations = fragments.fetch("k", ["a"])
    fragments.store("k", generations, "html", 60)
    cache.delete("fragment:generation:a")
    assert fragments.fetch("k", ["a"])[0] is None
