"""Options page, "Page anchors" (extension/options/options.html): the description box a seller
pointed at on a page our anchors do not know is listed with its selector and can be cleared;
the anchor report lists the support paths visited with the anchors found and missing there,
and never any case text; Copy says whether it copied."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import GET_SUPPORT, UNANCHORED
from .helpers import (
    HINT,
    OVERLAY,
    POINTED_KEY,
    assert_no_errors,
    forget_pointed,
    point_at_description,
    stored_local,
    wait_for,
)
from .test_point_description import BOX, TEXT

DESCRIBE_PATH = "/help/hub/support/describe"
REPORTS_KEY = "anchorReports"
# One line per path: "<path> (<ISO time>): found a, b; missing c, d" ("-" for none).
REPORT_LINE = re.compile(
    r"(/[\w/.-]*) \(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\): "
    r"found ([a-z_, -]+); missing ([a-z_, -]+)"
)
COPY_STATUS = re.compile(r"Copied\.|Could not copy; select the text above and copy it\.")


@pytest.fixture()
def nothing_pointed(ext):
    """No box pointed at before or after the test (storage.local is the session's)."""
    forget_pointed(ext)
    yield
    forget_pointed(ext)


def reported(ext, path: str, anchor: str) -> bool:
    """Has the anchor report of `path` been written with `anchor` found?"""
    report = (stored_local(ext, REPORTS_KEY) or {}).get(path) or {}
    return bool(report.get("found", {}).get(anchor))


def report_lines(text: str) -> dict[str, tuple[set[str], set[str]]]:
    """The options page's anchor report, read back: {path: (found, missing)}; every line
    must have the report's shape (so nothing else, such as case text, is in it)."""
    header, *lines = text.splitlines()
    assert re.fullmatch(r"Seller Support Companion [\d.]+ anchor report", header), header
    out = {}
    for line in lines:
        m = REPORT_LINE.fullmatch(line)
        assert m, line
        out[m[1]] = tuple(set(m[i].split(", ")) - {"-"} for i in (2, 3))
    return out


def test_pointed_box_is_listed_reported_without_case_text_and_cleared(
    page, ext, extension_context, nothing_pointed
):
    page.goto(GET_SUPPORT)  # a support page whose form our anchors find
    wait_for(lambda: reported(ext, "/help/hub/support", "description"), what="its report")
    page.goto(UNANCHORED)
    point_at_description(page, BOX).fill(TEXT)
    expect(page.locator(HINT)).to_have_attribute("data-ssc-category", "a_to_z_claim")
    selector = wait_for(
        lambda: (stored_local(ext, POINTED_KEY) or {}).get(DESCRIBE_PATH, {}).get("anchors"),
        what="the pointed selector",
    )["description"]
    expect(page.locator(selector)).to_have_count(1)  # it finds the box again
    wait_for(lambda: reported(ext, DESCRIBE_PATH, "description"), what="the path's report")

    options = extension_context.new_page()
    errors: list[str] = []
    options.on("pageerror", lambda e: errors.append(str(e)))
    try:
        options.goto(ext.url("options/options.html"))
        expect(options.locator("body[data-ssc-ready='true']")).to_have_count(1)
        item = options.locator(f'[data-ssc-pointed-path="{DESCRIBE_PATH}"]')
        expect(item.locator("code")).to_have_text([DESCRIBE_PATH, selector])
        expect(options.locator("#pointed-empty")).to_be_hidden()

        text = options.locator("[data-ssc-anchor-report]").text_content()
        reports = report_lines(text)
        found, missing = reports[DESCRIBE_PATH]
        assert "description" in found and "submit" in missing, reports[DESCRIBE_PATH]
        assert "description" in reports["/help/hub/support"][0]
        for case_text in (TEXT, "112-1234567-1234567", "A-to-z", "buyer"):
            assert case_text.lower() not in text.lower()

        options.locator('[data-ssc-action="copy-anchor-report"]').click()
        expect(options.locator("#report-copied")).to_be_visible()
        expect(options.locator("#report-copied")).to_have_text(COPY_STATUS)

        item.locator('[data-ssc-action="clear-pointed"]').click()
        expect(item).to_have_count(0)
        expect(options.locator("#pointed-empty")).to_be_visible()
        assert DESCRIBE_PATH not in (stored_local(ext, POINTED_KEY) or {})
        assert errors == []
    finally:
        options.close()

    # The next visit (same tab) does not know the box any more: the notice is back.
    page.goto(UNANCHORED)
    expect(page.locator(f"{OVERLAY} [data-ssc-anchor-notice]")).to_be_visible()
    assert_no_errors(page)
