"""`make bench` cannot rot: its quick mode runs end to end (real server, real browser)
and saves JSON of the expected shape. No timing is asserted here."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

from . import heavy_page
from .server import ENDPOINTS
from .stats import Target, percentile, summary

REPO = Path(__file__).resolve().parents[2]
STATS = {"n", "mean", "p50", "p95", "p99", "max"}


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


def _stats(block: dict, n: int) -> None:
    assert STATS <= set(block)
    assert block["n"] == n
    assert all(_is_number(block[k]) for k in STATS)


def test_percentile_and_targets():
    assert percentile([3, 1, 2, 4], 50) == 2.5
    assert percentile([5], 99) == 5
    assert summary([])["p50"] is None
    assert Target("x", 1.5, 1.5, "<=").ok is True
    assert Target("x", 1, 0, "==").ok is False
    assert Target("x", None, 0, "==").ok is None
    assert Target("x", 0.99, 0.98, ">=").ok is True
    assert Target("x", None, 50, "<=", absent="no hint").ok is False


class _Elements(HTMLParser):
    """Elements in <body> (itself excluded), bench hosts and iframes."""

    def __init__(self) -> None:
        super().__init__()
        self.in_body = False
        self.body = self.hosts = self.iframes = 0

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.in_body = True
        elif self.in_body:
            self.body += 1
            self.hosts += any(name == "data-bench-host" for name, _ in attrs)
            self.iframes += tag == "iframe"


def test_heavy_page_has_the_advertised_elements():
    for n in (5000, 20000):
        for form in (True, False):
            parsed = _Elements()
            parsed.feed(heavy_page.page_html(n, form))
            assert (parsed.body, parsed.hosts, parsed.iframes) == (n, heavy_page.HOSTS, form)
    frame = heavy_page.FRAME_HTML
    assert 'class="meld-text-area"' in frame and 'id="meld-default-continue"' in frame
    assert heavy_page.url(5000, True).startswith("https://sellercentral.amazon.com/")


def test_quick_bench_runs_and_saves_json(tmp_path):
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, "-m", "tests.bench", "--quick", "--json", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Targets (reported, not enforced)" in result.stdout
    data = json.loads(out.read_text(encoding="utf-8"))

    assert datetime.fromisoformat(data["timestamp"]).tzinfo is not None
    assert re.fullmatch(r"[0-9a-f]{40}", data["git"]["commit"])
    assert isinstance(data["git"]["dirty"], bool)
    assert data["mode"] == "quick"
    size = data["sizes"]

    backend = data["backend"]
    for mode, n in (
        ("sequential", size["latency_rounds"]),
        ("concurrent", size["concurrent_rounds"] * size["clients"]),
    ):
        for endpoint in ENDPOINTS:
            _stats(backend[mode][endpoint], n)
            assert _is_number(backend[mode][endpoint]["p50_ratio_to_health"])
    assert backend["concurrent"]["clients"] == 8
    assert backend["sequential"]["health"]["p50_ratio_to_health"] == 1.0

    classifier = data["classifier"]
    _stats(classifier["per_call"], size["classifier_calls"])
    assert [row["chars"] for row in classifier["scaling"]] == [100, 1000, 10000]
    assert all(_is_number(row["ns_per_char"]) for row in classifier["scaling"])
    for language in ("zh", "en"):
        short = classifier["short"][language]
        assert short["chars"] == 300
        _stats(short["per_call"], size["short_texts"])
        assert set(short["steps_us_p50"]) == {
            "normalize",
            "phrase_rules",
            "features",
            "model_and_ranking",
        }
        assert all(_is_number(v) for v in short["steps_us_p50"].values())
    linear = classifier["linearity"]
    assert linear["lengths"] == [1000, 10000] and linear["factor"] == 10
    assert linear["cells"]["10x"]["rules"] > 9 * linear["cells"]["1x"]["rules"]
    for name in ("1x", "10x"):
        for n in ("1000", "10000"):
            cell = linear["cells"][name][n]
            assert _is_number(cell["phrase_rules_us"]) and _is_number(cell["analyse_us"])
            assert cell["max_per_category"] > 0
        assert all(_is_number(v) for v in linear["per_char_ratio"][name].values())
    # ten times the phrases, all found in the corpus: many more matches to weigh
    assert (
        linear["cells"]["10x"]["10000"]["max_per_category"]
        > 3 * linear["cells"]["1x"]["10000"]["max_per_category"]
    )
    assert all(
        _is_number(v) for n in ("1000", "10000") for v in linear["per_rule_ratio"][n].values()
    )

    startup = data["startup"]
    for step in ("imports", "build_engine", "first_classify"):
        _stats(startup["engine"][step], size["startup_rounds"])
    for step in ("imports", "create_app", "first_classify", "ready"):
        _stats(startup["app"][step], size["startup_rounds"])
    assert startup["memory"]["model_file_kib"] > 0 and startup["memory"]["features"] > 0
    first = startup["first_answer"]
    for side, steps in (
        ("backend", ("health_ms", "cpu_ms", "rss_mib", "classify_ms")),
        ("hello", ("health_ms", "cpu_ms", "rss_mib")),
    ):
        for step in steps:
            _stats(first[side][step], size["first_answer_rounds"])
    assert all(_is_number(first[r]) for r in ("health_ratio", "cpu_ratio", "rss_ratio"))
    assert set(first["floors"]) == {"hello + pydantic", "hello + the backend's imports"}
    for floor in first["floors"].values():
        for step in ("health_ms", "cpu_ms", "rss_mib"):
            _stats(floor[step], size["first_answer_rounds"])
        assert _is_number(floor["health_ratio"]) and _is_number(floor["cpu_ratio"])
    install = startup["install"]
    assert install["model_file_bytes"] > 0
    assert install["training_only_in_runtime"] == []  # the model needs no numpy at run time
    assert install["training_modules_loaded_when_serving"] == []
    assert "Start-up, fresh interpreters" in result.stdout

    browser = data["browser"]
    assert browser["debounce_ms"] > 0
    _stats(browser["keystroke_to_hint_minus_debounce"], size["hints"])
    _stats(browser["click_to_precheck_panel"], size["submits"])
    for side in ("with", "without", "noop"):
        _stats(browser["page"][side]["form_rendered_ms"], size["loads"])
        _stats(browser["page"][side]["load_event_ms"], size["loads"])
        assert isinstance(browser["page"][side]["longtasks_total"], int)
    for ratio in (
        "form_rendered_ratio",
        "load_event_ratio",
        "load_event_ratio_noop",
        "load_event_ratio_to_noop",
    ):
        assert _is_number(browser["page"][ratio])
    assert isinstance(browser["page"]["with"]["longtasks_at_content_script_load"], int)

    heavy = data["heavy"]
    assert [(c["n"], c["form"]) for c in heavy["cases"]] == [(5000, True), (5000, False)]
    for case in heavy["cases"]:
        # Counted in the browser, after the KAT components and the shadow fill-in ran.
        assert case["counts"] == {
            "body_elements": 5000,
            "hosts": heavy_page.HOSTS,
            "shadow_roots": heavy_page.HOSTS,
            "shadow_elements": heavy_page.SHADOW_ELEMENTS,
            "iframes": int(case["form"]),
        }
        for side in ("with", "without"):
            for key in ("script_ms_per_s", "task_ms_per_s", "longtasks_per_10s", "changes_per_s"):
                _stats(case[side][key], size["heavy_rounds"])
            assert case[side]["changes_per_s"]["p50"] > 0
        assert all(case["with"]["overlay_shown"])
        for key in ("extra_script_ms_per_s", "extra_task_ms_per_s", "extra_longtasks_per_10s"):
            assert isinstance(case[key], int | float)
        assert _is_number(case["change_rate_ratio"])
    assert set(heavy["hint"]) == {"5000"}
    hint = heavy["hint"]["5000"]
    assert isinstance(hint["hint"], bool) and hint["missed"] >= 0
    if hint["hint"]:
        _stats(hint["minus_debounce"], size["heavy_hints"] - hint["missed"])
    assert "Heavy page (200 DOM changes/s" in result.stdout

    memory = data["memory"]
    assert data["rss_after_start_kib"] > 0
    steps = [point["requests"] for point in memory["series"]]
    assert steps == list(range(0, size["memory_requests"] + 1, size["memory_step"]))
    assert all(point["rss_kib"] > 0 for point in memory["series"])

    caselog = data["caselog"]
    assert caselog["cases"] == size["caselog_cases"]
    for side in ("empty", "big"):
        _stats(caselog["precheck"][side], size["caselog_prechecks"])
    for key in ("followups", "cases_list"):
        assert caselog[key]["items"] > 0 and caselog[key]["largest_page_bytes"] > 0
    assert caselog["cases_list"]["items"] == size["caselog_cases"]
    assert set(caselog["memory_kib"]) == {
        "after_start",
        "after_prechecks",
        "after_followups",
        "after_case_pages",
        "peak",
    }
    assert "Case log at scale" in result.stdout

    # the heavy page: 3 per page, 1 hint; the case log at scale: 2; the classifier's 300-char
    # texts: 2, its linearity: 4; start-up: 2 (the first answer's ratio, imports + create_app)
    assert len(data["targets"]) == 11 + 3 * 2 + 1 + 2 + 2 + 4 + 2
    for target in data["targets"]:
        assert set(target) == {"name", "value", "limit", "op", "unit", "absent", "ok"}
        assert target["ok"] in (True, False, None)
