"""selectors.yaml: the anchors the extension looks up by name, the evidence behind every
selector, and the data for today's Help Center case flow."""

from __future__ import annotations

import re

import pytest

from seller_support.rules import load_rules

RULES = load_rules()
SELECTORS = RULES.selectors

# The extension's content scripts look these up by name.
ANCHORS = {
    "description",
    "steps_taken",
    "reference_numbers",
    "order_id_input",
    "asin_input",
    "sku_input",
    "file_upload",
    "continue",
    "submit",
    "chat_now",
    "reply",
    "reopen",
    "contact_tabs",
    "no_agents",
    "case_id",
    "marketplace_switcher",
    "store_name",
}
# The source tags of shared/reference/seller-central-pages.md.
EVIDENCE = re.compile(r"\b(VIV|CAB|BAA|CLAIM|BR)\b")
V1_FALLBACK = "v1 guess, kept as fallback for the classic /cu/contact-us page and the Help Hub"


def test_every_anchor_the_extension_uses_is_defined():
    assert ANCHORS <= set(SELECTORS.anchors)


def _selectors():
    for name, anchor in SELECTORS.anchors.items():
        for entry in anchor.selectors:
            yield pytest.param(entry, id=f"{name}:{entry.selector}")


@pytest.mark.parametrize("entry", list(_selectors()))
def test_every_selector_names_its_evidence(entry):
    comment = entry.comment
    assert EVIDENCE.search(comment) or comment == V1_FALLBACK or "guess" in comment.lower(), (
        f"{entry.selector}: say where it was seen (VIV, CAB, BAA, CLAIM, BR) or that it is a guess"
    )


def test_anchors_with_texts_only_are_found_by_label():
    for name in ("steps_taken", "reference_numbers", "chat_now", "reply", "reopen", "no_agents"):
        anchor = SELECTORS.anchors[name]
        assert anchor.texts.en, name


def test_todays_case_flow_comes_first():
    anchors = SELECTORS.anchors
    assert anchors["description"].selectors[0].selector == "kat-textarea.meld-text-area"
    assert anchors["description"].texts.en[0] == "What do you need help with?"
    assert [s.selector for s in anchors["submit"].selectors[:2]] == [
        "kat-button#send-email-button",
        "kat-button[label='Send']",
    ]
    assert anchors["continue"].selectors[0].selector == "kat-button#meld-default-continue"
    assert anchors["case_id"].selectors[0].selector == "a[href*='caseID=']"
    assert anchors["marketplace_switcher"].selectors[0].selector == (
        "#navbar .dropdown-account-switcher-header-label-regional"
    )
    assert anchors["contact_tabs"].selectors[0].selector == "kat-tabs"


def test_anchor_paths_limit_where_an_anchor_appears():
    anchors = SELECTORS.anchors
    assert anchors["reply"].paths == ["/cu/case-dashboard/view-case"]
    assert anchors["reopen"].paths == ["/cu/case-dashboard/view-case"]
    assert {"/hill/website/chat", "/help/center", "/cu/case-dashboard/view-case"} <= set(
        anchors["case_id"].paths
    )
    assert anchors["description"].paths is None  # every support page


def test_support_pages_and_links_follow_the_reference():
    paths = {page.path for page in SELECTORS.support_pages}
    assert {"/help/center", "/hill/website/chat", "/cu/case-lobby", "/cu/case-dashboard"} <= paths
    assert SELECTORS.case_links.case_log.path == "/cu/case-lobby"
    assert "caseID={case_id}" in SELECTORS.case_links.case.path


def test_page_categories_map_amazons_chips_to_our_categories():
    mapped = {
        text: entry.category for entry in SELECTORS.page_categories for text in entry.texts.en
    }
    assert mapped["FBA related"] == "logistics"
    assert mapped["A-to-z Claims"] == "a_to_z_claim"
    assert mapped["Other account issues"] in RULES.category_by_id
    assert all("our mapping" in entry.comment for entry in SELECTORS.page_categories)


def test_marketplace_param_names_the_selected_marketplace_id():
    param = SELECTORS.marketplace_param
    assert param.name == "mons_sel_mkid"
    assert param.prefixes == ["amzn1.mp.o."]
