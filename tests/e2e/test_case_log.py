"""The case log in the extension: the background's case messages, recording a case when
the page's submit goes through, the duplicate warning, and the popup's open cases."""

from __future__ import annotations

from .helpers import backend_call, backend_json

SEND = "(msg) => chrome.runtime.sendMessage(msg)"


def new_case(base_url: str, **fields) -> dict:
    body = {
        "text": "My FBA shipment FBA17TEST001 is stuck in receiving.",
        "category": "logistics",
        "marketplace": "US",
        "contact_method": "case",
        **fields,
    }
    status, case = backend_call(base_url, "POST", "/api/v1/cases", body)
    assert status == 201, case
    return case


def test_background_case_messages_are_validated(page, ext, case_log):
    case = new_case(case_log)
    page.goto(ext.url("popup/popup.html"))

    listed = page.evaluate(SEND, {"type": "ssc:caseList", "status": "open"})
    assert listed["ok"] is True
    assert [c["id"] for c in listed["data"]["cases"]] == [case["id"]]

    updated = page.evaluate(SEND, {"type": "ssc:caseUpdate", "id": case["id"], "status": "replied"})
    assert updated["ok"] is True and updated["data"]["status"] == "replied"
    assert backend_json(case_log, f"/api/v1/cases/{case['id']}")["status"] == "replied"

    # Malformed messages never reach the backend.
    for bad in (
        {"type": "ssc:caseUpdate", "id": case["id"]},  # nothing to change
        {"type": "ssc:caseUpdate", "id": "1", "status": "resolved"},
        {"type": "ssc:caseUpdate", "id": case["id"], "status": "closed"},
        {"type": "ssc:caseUpdate", "id": case["id"], "case_id": "x/../../health"},
        {"type": "ssc:caseUpdate", "id": case["id"], "status": "resolved", "url": "http://x"},
        {"type": "ssc:caseList", "status": "gone"},
        {"type": "ssc:caseList", "marketplace": "XX"},
        {"type": "ssc:caseList", "limit": 10_000},
    ):
        reply = page.evaluate(SEND, bad)
        assert reply == {
            "ok": False,
            "error": {"code": "bad_message", "message": f"Malformed {bad['type']}"},
        }, bad
    assert backend_json(case_log, f"/api/v1/cases/{case['id']}")["status"] == "replied"

    # Only content scripts on Seller Central record cases; our pages cannot.
    reply = page.evaluate(
        SEND,
        {
            "type": "ssc:caseRecord",
            "text": "from the popup",
            "category": "other",
            "marketplace": "US",
            "contact_method": "case",
        },
    )
    assert reply["ok"] is False and reply["error"]["code"] == "unknown_type"
    assert backend_json(case_log, "/api/v1/cases")["total"] == 1


def test_background_case_list_with_backend_down(page, ext, case_log, closed_port):
    page.goto(ext.url("popup/popup.html"))
    ext.set_settings(backendUrl=f"http://127.0.0.1:{closed_port}")
    reply = page.evaluate(SEND, {"type": "ssc:caseList", "status": "open"})
    assert reply["ok"] is False and reply["error"]["code"] == "offline"
