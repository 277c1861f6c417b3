"""The answer cache is bounded by entries and by bytes, least recently used first."""

from __future__ import annotations

from legalgraph.endpoint.cache import AnswerCache, normalize


def test_least_recently_used_entry_goes_first() -> None:
    cache: AnswerCache[bytes] = AnswerCache(entries=2)
    cache.put(("a",), b"1", 1)
    cache.put(("b",), b"2", 1)
    assert cache.get(("a",)) == b"1"
    cache.put(("c",), b"3", 1)
    assert cache.get(("b",)) is None
    assert cache.get(("a",)) == b"1"
    assert cache.get(("c",)) == b"3"
    assert len(cache) == 2


def test_bytes_are_bounded() -> None:
    cache: AnswerCache[bytes] = AnswerCache(entries=100, max_bytes=10, total_bytes=25)
    cache.put(("big",), b"x" * 11, 11)
    assert cache.get(("big",)) is None
    for name in "abc":
        cache.put((name,), b"x" * 10, 10)
    assert cache.get(("a",)) is None
    assert cache.size == 20
    cache.put(("b",), b"y" * 5, 5)
    assert cache.size == 15
    assert cache.get(("b",)) == b"y" * 5


def test_zero_entries_turns_it_off() -> None:
    cache: AnswerCache[bytes] = AnswerCache(entries=0)
    cache.put(("a",), b"1", 1)
    assert cache.get(("a",)) is None


def test_normalize_keeps_quoted_text_and_comments() -> None:
    assert normalize("  SELECT *\n  WHERE { ?s ?p ?o }\n") == "SELECT * WHERE { ?s ?p ?o }"
    assert normalize('SELECT * WHERE { ?s ?p "a  b" }') == 'SELECT * WHERE { ?s ?p "a  b" }'
    assert normalize("SELECT * # x\nWHERE {}") == "SELECT * # x\nWHERE {}"
