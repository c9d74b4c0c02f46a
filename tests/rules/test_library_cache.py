"""The holidays library's country codes, kept between starts: the same answer as the
library's, read from the cache while the library's registry file stays as it is, so that
a start with the cache imports no holidays module at all."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from holidays.registry import EntityLoader

from seller_support.rules.library_cache import holiday_country_codes
from seller_support.rules.parse_cache import cache_dir


@pytest.fixture()
def entry(tmp_path, monkeypatch):
    monkeypatch.setenv("SSC_CACHE_DIR", str(tmp_path / "cache"))
    return cache_dir() / "holiday-countries.json"


def test_the_codes_are_the_librarys(entry):
    assert holiday_country_codes() == sorted(EntityLoader.get_country_codes())
    assert {"US", "GB", "DE", "JP", "CN", "UK", "USA"} <= set(holiday_country_codes())
    assert entry.is_file()


def test_the_cache_answers_while_the_registry_file_is_unchanged(entry):
    holiday_country_codes()
    kept = json.loads(entry.read_text(encoding="utf-8"))
    entry.write_text(json.dumps({**kept, "codes": ["XX"]}), encoding="utf-8")
    assert holiday_country_codes() == ["XX"]  # read from the cache, not asked again
    # Another registry file (the library upgraded): asked again, and kept again.
    entry.write_text(json.dumps({**kept, "key": [*kept["key"][:2], 0], "codes": ["XX"]}))
    assert holiday_country_codes() == sorted(EntityLoader.get_country_codes())
    entry.write_text("{damaged", encoding="utf-8")
    assert holiday_country_codes() == sorted(EntityLoader.get_country_codes())


def test_a_start_with_the_cache_imports_no_holidays_module(tmp_path):
    script = (
        "import sys; from seller_support.web import create_app; "
        "create_app({'CASES_DB': sys.argv[1]}); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'holidays'))"
    )
    env = {**os.environ, "SSC_CACHE_DIR": str(tmp_path / "cache")}

    def start() -> str:
        return subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / "cases.sqlite3")],
            capture_output=True, text=True, check=True, env=env,
        ).stdout.strip()  # fmt: skip

    assert start() != "[]"  # the first start asks the library
    assert start() == "[]"
