"""Rules fail safe: an edit is picked up while serving; a bad edit is reported and the
last good rules keep serving."""

from __future__ import annotations

import shutil
import time

import pytest

from seller_support.domain.reloading import EngineHolder
from seller_support.rules import DEFAULT_RULES_DIR
from seller_support.rules.watch import watch_rules
from seller_support.web import create_app


def poll(condition, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


@pytest.fixture()
def watched(tmp_path):
    rules_dir = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, rules_dir)
    app = create_app(
        {"RULES_DIR": str(rules_dir), "WATCH_RULES": True, "CASES_DB": str(tmp_path / "c.db")}
    )
    return rules_dir, app.test_client()


def test_bad_edit_is_reported_and_last_good_rules_keep_serving(watched):
    rules_dir, client = watched
    good = client.get("/api/v1/health").json
    assert good["rules_error"] is None
    hours = rules_dir / "hours.yaml"
    hours.write_text(hours.read_text(encoding="utf-8").replace("America/New_York", "Mars/Base"))

    broken = poll(lambda: client.get("/api/v1/health").json["rules_error"])
    assert "hours.yaml" in broken and "Mars/Base" in broken
    assert client.get("/api/v1/health").json["status"] == "degraded"
    assert client.get("/api/v1/health").json["rules_version"] == good["rules_version"]
    us = client.get("/api/v1/hours?marketplace=US").json
    assert us["marketplace_timezone"] == "America/New_York"


def test_good_edit_is_served_without_restart(watched):
    rules_dir, client = watched
    before = client.get("/api/v1/health").json["rules_version"]
    categories = rules_dir / "categories.yaml"
    text = categories.read_text(encoding="utf-8")
    categories.write_text(text.replace("phrases: [广告, ", "phrases: [广告, 直通车, "), "utf-8")

    poll(lambda: client.get("/api/v1/health").json["rules_version"] != before)
    shown = client.post("/api/v1/classify", json={"text": "直通车预算"}).json["suggestions"]
    assert "直通车" in next(s["reasons"] for s in shown if s["category"] == "advertising")


def test_fixing_a_bad_edit_clears_the_error(watched):
    rules_dir, client = watched
    facts = rules_dir / "facts.yaml"
    original = facts.read_text(encoding="utf-8")
    facts.write_text("facts: [\n", encoding="utf-8")
    poll(lambda: client.get("/api/v1/health").json["rules_error"])
    facts.write_text(original, encoding="utf-8")
    poll(lambda: client.get("/api/v1/health").json["rules_error"] is None)
    assert client.get("/api/v1/health").json["status"] == "ok"


def test_a_rules_file_that_is_not_utf8_is_reported_not_fatal_to_the_watcher(watched):
    rules_dir, client = watched
    facts = rules_dir / "facts.yaml"
    original = facts.read_bytes()
    facts.write_bytes(b"facts: [\xff\xfe]\n")
    health = poll(lambda: (h := client.get("/api/v1/health").json)["rules_error"] and h)
    assert health["status"] == "degraded"
    assert "facts.yaml" in health["rules_error"] and "UTF-8" in health["rules_error"]
    facts.write_bytes(original)  # the watcher is still alive: the fix is picked up
    poll(lambda: client.get("/api/v1/health").json["status"] == "ok")


def test_any_exception_in_a_reload_becomes_rules_error(watched, monkeypatch):
    from seller_support.domain import reloading

    def broken(rules_dir):
        raise RuntimeError("disk on fire")

    rules_dir, client = watched
    monkeypatch.setattr(reloading, "build_engine", broken)
    (rules_dir / "facts.yaml").touch()
    health = poll(lambda: (h := client.get("/api/v1/health").json)["rules_error"] and h)
    assert health["status"] == "degraded" and "disk on fire" in health["rules_error"]
    monkeypatch.undo()
    (rules_dir / "facts.yaml").touch()
    poll(lambda: client.get("/api/v1/health").json["status"] == "ok")


def test_hours_of_the_same_minute_follow_a_reload(watched):
    # Reports are cached per minute; a reload must not leave the old hours in that cache.
    rules_dir, client = watched
    at = {"marketplace": "US", "at": "2026-07-01T12:00:00+08:00"}

    def us_phone_next_change():
        phone = client.get("/api/v1/hours", query_string=at).json["channels"][0]
        return phone["next_change_marketplace"]

    assert us_phone_next_change() == "2026-07-01T05:00:00-04:00"
    hours = rules_dir / "hours.yaml"
    text = hours.read_text(encoding="utf-8")
    hours.write_text(text.replace('open: "05:00", close: "20:00"', 'open: "06:00", close: "20:00"'))
    assert poll(lambda: us_phone_next_change() == "2026-07-01T06:00:00-04:00")


def test_an_edit_saved_before_the_watch_began_is_picked_up(tmp_path):
    # The watch starts in a thread of its own after the engine is built: an edit in between
    # is found by the version check, the observer never sees it.
    rules_dir = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, rules_dir)
    holder = EngineHolder(str(rules_dir))
    before = holder.version
    facts = rules_dir / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")

    watch_rules(holder).join(timeout=30)
    assert holder.version != before and holder.error is None
