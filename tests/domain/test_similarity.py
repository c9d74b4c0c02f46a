"""The duplicate_case precheck warning: near-identical text (Chinese and English, light
rewording) or the same category and order id / ASIN, in the same marketplace, open, filed
within 14 days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from seller_support.domain import similarity as similarity_module
from seller_support.domain.similarity import similarity
from seller_support.store.base import SCAN_FACTOR
from seller_support.web.extensions import engine_holder

AT = "2026-07-01T12:00:00-04:00"  # 16:00 UTC
RECENT = "2026-06-28T16:00:00+00:00"  # 3 days earlier


def _earlier(client, text, category="logistics", marketplace="US", filed_at=RECENT, **extra):
    case = {"text": text, "category": category, "marketplace": marketplace, "filed_at": filed_at}
    response = client.post("/api/v1/cases/import", json={"cases": [{**case, **extra}]})
    assert response.status_code == 200, response.json
    return response.json["cases"][0]


def _duplicate(client, text, category="logistics", marketplace="US") -> dict | None:
    body = {"text": text, "category": category, "marketplace": marketplace, "at": AT}
    response = client.post("/api/v1/precheck", json=body)
    assert response.status_code == 200, response.json
    found = [f for f in response.json["findings"] if f["code"] == "duplicate_case"]
    return found[0] if found else None


SHIPMENT_EN = "My FBA inbound shipment FBA17ABCDEF has been stuck in receiving for two weeks."
SHIPMENT_ZH = "FBA 入库货件 FBA17ABCDEF 一直处于正在接收状态，已经两周了。"
ACCOUNT_ZH = "我的账户因为订单缺陷率过高被停用了，请帮忙恢复。"


@pytest.mark.parametrize(
    ("earlier", "new", "category"),
    [
        (SHIPMENT_EN, SHIPMENT_EN, "logistics"),
        (
            SHIPMENT_EN,
            "my fba inbound shipment FBA17ABCDEF has been stuck in receiving for two weeks",
            "logistics",
        ),
        (
            SHIPMENT_EN,
            "My FBA inbound shipment FBA17ABCDEF is stuck in receiving for 2 weeks now, help.",
            "logistics",
        ),
        (
            SHIPMENT_EN,
            "Stuck in receiving for two weeks: my FBA inbound shipment FBA17ABCDEF.",
            "logistics",
        ),
        (SHIPMENT_ZH, SHIPMENT_ZH, "logistics"),
        (
            SHIPMENT_ZH,
            "FBA入库货件FBA17ABCDEF一直处于正在接收状态,已经两周了,请尽快处理",
            "logistics",
        ),
        (ACCOUNT_ZH, "账户因订单缺陷率过高被停用，请帮忙恢复", "account_deactivation"),
        (ACCOUNT_ZH, "我的账户因为订单缺陷率过高被停用了！请帮忙恢复！！", "account_deactivation"),
    ],
)
def test_fires_on_near_identical_text(client, cases, earlier, new, category):
    _earlier(client, earlier, category=category)
    finding = _duplicate(client, new, category=category)
    assert finding is not None
    assert finding["severity"] == "warning"
    assert finding["data"]["match"] == "text"


@pytest.mark.parametrize(
    ("earlier", "new", "category"),
    [
        (SHIPMENT_EN, "My Sponsored Products campaign stopped spending yesterday.", "logistics"),
        (SHIPMENT_EN, "My inbound shipment was lost by the carrier.", "logistics"),
        (
            "My account was deactivated for a high order defect rate.",
            "My listing was removed for a policy violation yesterday.",
            "listing_removed",
        ),
        (SHIPMENT_ZH, "广告活动昨天突然停止花费，请帮忙查看。", "logistics"),
        (ACCOUNT_ZH, "我的商品因为政策违规被移除了，请帮忙恢复。", "account_deactivation"),
        (
            "Hello, I have a question.",
            "Hello, I have a question about my disbursement schedule.",
            "other",
        ),
    ],
)
def test_silent_on_different_problems(client, cases, earlier, new, category):
    _earlier(client, earlier, category=category)
    assert _duplicate(client, new, category=category) is None


def test_names_the_earlier_case_and_its_age(client, cases):
    earlier = _earlier(client, ACCOUNT_ZH, category="account_deactivation", case_id="12345678901")
    finding = _duplicate(client, ACCOUNT_ZH, category="account_deactivation")
    # Amazon's case id, never our log's row number (which a seller could mistake for it).
    assert "12345678901" in finding["message"]["zh"] and "12345678901" in finding["message"]["en"]
    assert f"#{earlier['id']}" not in finding["message"]["en"]
    assert "3 days ago" in finding["message"]["en"] and "3 天前" in finding["message"]["zh"]
    # The date is given once, by the line the overlay puts under the message (from data).
    assert "2026-06-29" not in finding["message"]["en"]
    assert finding["source"]["quote"] == "切勿创建多个相同工单，否则系统将自动合并并重置处理队列。"
    assert finding["data"] == {
        "case_pk": str(earlier["id"]),
        "case_id": "12345678901",
        "filed_at": RECENT,
        "age_hours": "72",
        "match": "text",
        "similarity": "100",
        "filed_by": "",  # the seller's own case (a team member's name on a team server)
        "store_name": "",
    }
    assert finding["message"]["en"].startswith("You filed")


def test_age_in_hours_for_a_case_filed_today(client, cases):
    _earlier(client, SHIPMENT_EN, filed_at="2026-07-01T15:00:00+00:00")
    finding = _duplicate(client, SHIPMENT_EN)
    assert "1 hour ago" in finding["message"]["en"] and "#" not in finding["message"]["en"]


def test_window_is_14_days(client, cases):
    _earlier(client, SHIPMENT_EN, filed_at="2026-06-16T16:00:00+00:00")  # 15 days
    assert _duplicate(client, SHIPMENT_EN) is None
    _earlier(client, SHIPMENT_EN, filed_at="2026-06-17T16:00:00+00:00")  # exactly 14 days
    assert _duplicate(client, SHIPMENT_EN) is not None


def test_other_marketplace_or_closed_cases_do_not_count(client, cases):
    _earlier(client, SHIPMENT_EN, marketplace="UK")
    _earlier(client, SHIPMENT_EN, filed_at="2026-06-29T16:00:00+00:00", status="resolved")
    _earlier(client, SHIPMENT_EN, filed_at="2026-06-30T16:00:00+00:00", status="replied")
    assert _duplicate(client, SHIPMENT_EN) is None
    assert _duplicate(client, SHIPMENT_EN, marketplace="UK") is not None


def test_a_case_filed_after_the_precheck_moment_does_not_count(client, cases):
    _earlier(client, SHIPMENT_EN, filed_at="2026-07-02T16:00:00+00:00")
    assert _duplicate(client, SHIPMENT_EN) is None


def test_same_category_and_order_id_fires_with_different_wording(client, cases):
    earlier = _earlier(
        client,
        "A-to-z claim on order 114-1111111-2222222, buyer says it never arrived.",
        category="a_to_z_claim",
    )
    finding = _duplicate(
        client,
        "买家就订单 114-1111111-2222222 发起了亚马逊商城交易保障索赔，说商品损坏。",
        "a_to_z_claim",
    )
    assert finding["data"]["match"] == "order_id"
    assert finding["data"]["case_pk"] == str(earlier["id"])
    assert "114-1111111-2222222" in finding["message"]["en"]
    assert "订单编号" in finding["message"]["zh"]


def test_same_category_and_asin_fires(client, cases):
    _earlier(client, "Listing B0ABCD1234 was removed for a policy violation.", "listing_removed")
    finding = _duplicate(client, "商品 b0abcd1234 被下架了，请帮忙恢复。", "listing_removed")
    assert finding["data"]["match"] == "asin" and "B0ABCD1234" in finding["message"]["en"]


def test_same_id_in_another_category_or_another_id_does_not_fire(client, cases):
    _earlier(client, "Order 114-1111111-2222222: the buyer wants a refund.", "a_to_z_claim")
    assert (
        _duplicate(client, "Order 114-1111111-2222222 was never shipped by FBA.", "logistics")
        is None
    )
    assert (
        _duplicate(
            client, "A-to-z claim on 114-9999999-2222222, item arrived broken.", "a_to_z_claim"
        )
        is None
    )


def test_similarity_is_symmetric_and_bounded():
    assert similarity("abc", "", 0.6) == 0
    assert similarity(SHIPMENT_EN, SHIPMENT_EN, 0.6) == 100
    pair = (ACCOUNT_ZH, "账户因订单缺陷率过高被停用，请帮忙恢复")
    assert similarity(*pair, 0.6) == similarity(*reversed(pair), 0.6)


# --- bounded cost -------------------------------------------------------------------------


def _bound(client) -> int:
    from seller_support.web.extensions import current_engine

    with client.application.app_context():
        rules = current_engine().rules
    return int(
        next(c for c in rules.checks.checks if c.code == "duplicate_case").params["max_candidates"]
    )


def _unrelated(n: int, category: str, start: int = 0) -> list[dict]:
    """`n` open US cases filed 1 to n minutes before AT, no two alike and none like ours."""
    return [
        {
            "text": f"Unrelated matter {start + i}: "
            + " ".join(f"w{(start + i) * 7 + j}" for j in range(12)),
            "category": category,
            "marketplace": "US",
            "contact_method": "case",
            "filed_at": datetime(2026, 7, 1, 16, 0, tzinfo=UTC) - timedelta(minutes=start + i + 1),
            "status": "open",
        }
        for i in range(n)
    ]


def test_the_check_reads_a_bounded_candidate_set_through_indexes(client, cases, monkeypatch):
    bound = _bound(client)
    cases.add_many(_unrelated(3 * bound, "logistics") + _unrelated(3 * bound, "other", 10_000))
    read: list[int] = []
    original = cases.duplicate_candidates

    def spy(*args, **kwargs):
        found = original(*args, **kwargs)
        read.append(len(found))
        return found

    monkeypatch.setattr(cases, "duplicate_candidates", spy)
    statements: list[str] = []
    conn = cases._conn()
    conn.set_trace_callback(statements.append)
    assert _duplicate(client, SHIPMENT_EN) is None
    conn.set_trace_callback(None)
    # Of 6 × bound open cases in the window: the newest of its category, none of the
    # others (none alike, none with its ids), from a bounded scan.
    assert read == [bound]
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT") and "cases" in s]
    assert selects and all("LIMIT" in s for s in selects)
    for statement in selects:
        plan = " ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {statement}"))
        # The seller's corrections are read newest first from their own partial index,
        # which holds nothing but corrections, up to a bound.
        if plan == "SCAN cases USING INDEX cases_corrections":
            assert "LIMIT" in statement, statement
            continue
        assert "USING" in plan and "INDEX" in plan and "SCAN cases" not in plan, plan


def test_stored_texts_are_not_normalised_again_on_a_precheck(client, cases, monkeypatch):
    from seller_support.domain import similarity

    cases.add_many(_unrelated(50, "logistics"))
    calls: list[str] = []
    original = similarity.words_only
    monkeypatch.setattr(similarity, "words_only", lambda t: calls.append(t) or original(t))
    assert _duplicate(client, SHIPMENT_EN) is None
    assert len(calls) == 1  # the draft's, once; the 50 stored cases' words come from the log


def test_an_alike_case_older_than_the_newest_of_its_category_is_still_found(client, cases):
    bound = _bound(client)
    _earlier(client, SHIPMENT_EN, filed_at="2026-06-20T16:00:00+00:00")
    cases.add_many(_unrelated(bound, "logistics"))  # `bound` newer cases of its category
    assert _duplicate(client, SHIPMENT_EN) is not None  # found by its words
    # A personal log scans a bounded number of the window's newest cases for alike ones.
    cases.add_many(_unrelated(SCAN_FACTOR * bound, "logistics", start=5_000))
    assert _duplicate(client, SHIPMENT_EN) is None


def test_near_identical_text_in_another_category_counts(client, cases):
    _earlier(client, SHIPMENT_EN, category="other")
    finding = _duplicate(client, SHIPMENT_EN.lower(), category="logistics")
    assert finding is not None and finding["data"]["match"] == "text"


def test_the_lexicon_keeps_what_it_read_of_the_texts_used_last(app, monkeypatch):
    """Bounded, and the least recently used text goes first: the newest stored cases,
    read on every precheck, stay while older ones make room."""
    monkeypatch.setattr(similarity_module, "_CACHE_SIZE", 2)
    with app.app_context():
        rules = engine_holder().engine.rules.checks.duplicates
    lexicon = similarity_module.Lexicon(rules)
    calls = []
    for text in ("often", "once", "often", "another"):
        lexicon._kept(("read", text), lambda text=text: calls.append(text) or text)
    assert calls == ["often", "once", "another"]  # "often" came from the cache
    assert list(lexicon._cache) == [("read", "often"), ("read", "another")]  # "once" went
