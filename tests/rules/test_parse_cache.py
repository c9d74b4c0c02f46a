"""The parsed-rules cache gives exactly what parsing gives, and never stands in the way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seller_support.rules import DEFAULT_RULES_DIR, load_rules
from seller_support.rules.loader import _parse_yaml
from seller_support.rules.parse_cache import cache_dir, parse_cached


@pytest.fixture()
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SSC_CACHE_DIR", str(tmp_path / "cache"))
    return cache_dir()


def _counting(calls: list[str]):
    def parse(text: str):
        calls.append(text)
        return _parse_yaml(text)

    return parse


def test_the_second_read_of_the_same_text_comes_from_the_cache(cache, tmp_path):
    path, calls = tmp_path / "checks.yaml", []
    text = "checks:\n  - code: a\n    weight: 1.5\n"
    first = parse_cached(path, text, _counting(calls))
    second = parse_cached(path, text, _counting(calls))
    assert first == second == {"checks": [{"code": "a", "weight": 1.5}]}
    assert len(calls) == 1
    assert (cache / "checks.yaml.json").is_file()


def test_an_edited_file_is_parsed_again_and_replaces_its_entry(cache, tmp_path):
    path, calls = tmp_path / "hours.yaml", []
    parse_cached(path, "a: 1\n", _counting(calls))
    assert parse_cached(path, "a: 2\n", _counting(calls)) == {"a": 2}
    assert parse_cached(path, "a: 2\n", _counting(calls)) == {"a": 2}
    assert calls == ["a: 1\n", "a: 2\n"]
    assert [p.name for p in cache.iterdir()] == ["hours.yaml.json"]


@pytest.mark.parametrize(
    "text",
    [
        "day: 2026-11-26\n",  # YAML dates: JSON would give text back
        "1: one\n",  # number keys: JSON would give "1"
    ],
)
def test_what_json_would_change_is_parsed_every_time(cache, tmp_path, text):
    calls = []
    for _ in range(2):
        assert parse_cached(tmp_path / "x.yaml", text, _counting(calls)) == _parse_yaml(text)
    assert len(calls) == 2
    assert not (cache / "x.yaml.json").exists()


def test_a_damaged_entry_is_parsed_again(cache, tmp_path):
    path, calls = tmp_path / "facts.yaml", []
    parse_cached(path, "a: 1\n", _counting(calls))
    (cache / "facts.yaml.json").write_text("{not json", encoding="utf-8")
    assert parse_cached(path, "a: 1\n", _counting(calls)) == {"a": 1}
    assert len(calls) == 2
    assert json.loads((cache / "facts.yaml.json").read_text(encoding="utf-8"))["data"] == {"a": 1}


def test_a_cache_in_a_file_s_place_only_means_parsing(cache, tmp_path):
    cache.parent.mkdir(parents=True)
    cache.write_text("a file where the folder would be", encoding="utf-8")
    calls = []
    for _ in range(2):
        assert parse_cached(tmp_path / "a.yaml", "a: 1\n", _counting(calls)) == {"a": 1}
    assert len(calls) == 2


def test_rules_loaded_through_the_cache_equal_rules_parsed_afresh(cache):
    fresh = load_rules(DEFAULT_RULES_DIR)
    assert sorted(p.name for p in cache.glob("*.yaml.json")) == sorted(
        f"{p.name}.json" for p in Path(DEFAULT_RULES_DIR).glob("*.yaml")
    )
    cached = load_rules(DEFAULT_RULES_DIR)
    assert cached == fresh
