"""memory.Kept, the preview's one way of keeping values between builds: a value is reused only while its
key is given what it was made from, and everything goes when the context changes."""
from __future__ import annotations

import operator

from slmsurvey.memory import Kept


def test_a_value_is_made_again_when_its_key_is_given_something_else():
    kept, made = Kept(), []

    def make(value):
        return lambda: made.append(value) or value * 2

    assert kept.made("a", 1, make(1)) == 2
    assert kept.made("a", 1, make(1)) == 2
    assert kept.made("a", 5, make(5)) == 10
    assert made == [1, 5]


def test_a_given_of_none_is_never_kept():
    kept = Kept()
    assert kept.made("page", None, lambda: "one") == "one"
    assert kept.made("page", None, lambda: "two") == "two"
    assert not kept.holds("page", None)


def test_a_changed_context_forgets_everything():
    kept = Kept()
    assert kept.depends_on(("taxonomy", 1)) is True
    kept.made("a", 1, lambda: "x")
    assert kept.depends_on(("taxonomy", 1)) is False and kept.holds("a", 1)
    assert kept.depends_on(("taxonomy", 2)) is True and not kept.holds("a", 1)


def test_each_reuses_what_it_can_makes_the_rest_and_forgets_keys_no_longer_asked_for():
    kept, made = Kept(), []

    def make(item):
        made.append(item)
        return item[1].upper()

    assert kept.each([("a", "x"), ("b", "y")], operator.itemgetter(0), operator.itemgetter(1), make) == ["X", "Y"]
    assert kept.each([("b", "y"), ("c", "z")], operator.itemgetter(0), operator.itemgetter(1), make) == ["Y", "Z"]
    assert made == [("a", "x"), ("b", "y"), ("c", "z")] and kept.reused == 1
    assert kept.keys() == {"b", "c"}


def test_sameness_by_identity_when_asked():
    kept = Kept(same=operator.is_)
    first, equal_copy = ["document"], ["document"]
    kept.made("file", first, lambda: "verdict")
    assert kept.holds("file", first) and not kept.holds("file", equal_copy)
