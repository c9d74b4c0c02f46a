"""The duplicate_case warning on the labelled pair sets and on small cases of each kind:
a reworded description, the other language with a shared id, the other language with
the same concepts, and the same sentence about another id, marketplace or name.

Every case runs the real check path: the earlier case is recorded in the case log (same
marketplace, open, filed three days before), then the draft is prechecked through the
Flask test client."""

from __future__ import annotations

import pytest

from .duplicate_pairs import DEV, FILED_AT, HELDOUT, Pair, Result, duplicate_finding, evaluate

# The targets.
TARGETS = {"precision": 0.95, "recall": 0.8}
# Just under what was measured (duplicates_heldout.tsv is frozen: measured once at the
# end, never tuned on), so that a change that loses ground fails here.
MEASURED_FLOORS = {
    DEV.name: {"precision": 0.98, "recall": 0.975},  # measured 1.000 (79/79), 0.988 (79/80)
    # measured 0.949 / 0.700, then 0.952 / 0.750 once more after concepts were added from
    # corpus/train/ (not from these pairs)
    HELDOUT.name: {"precision": 0.94, "recall": 0.73},
}
_RESULTS: dict[str, Result] = {}


def _result(client, path) -> Result:
    """Each file is run once per session: the check is deterministic."""
    if path.name not in _RESULTS:
        _RESULTS[path.name] = evaluate(client, path)
    return _RESULTS[path.name]


def _check(result: Result, floors: dict[str, float]) -> None:
    wrong = "\n".join(
        f"  {'false alarm' if finding else 'missed'} (line {pair.line}): "
        f"{pair.text_a!r} -> {pair.text_b!r}"
        for pair, finding in result.wrong
    )
    assert result.precision >= floors["precision"], f"precision {result.precision:.3f}\n{wrong}"
    assert result.recall >= floors["recall"], f"recall {result.recall:.3f}\n{wrong}"


def test_the_targets_on_the_dev_pairs(client, cases):
    """The issue's targets hold on the pairs the check was tuned on. On the frozen held-out
    pairs they do not yet (precision 0.952, recall 0.750 when last measured; README): the floors
    below keep that from getting worse."""
    _check(_result(client, DEV), TARGETS)


@pytest.mark.parametrize("path", [DEV, HELDOUT], ids=lambda p: p.name)
def test_no_worse_than_measured_on_the_labelled_pairs(client, cases, path):
    _check(_result(client, path), MEASURED_FLOORS[path.name])


def _finding(client, earlier, draft, category="account_deactivation", category_b=None, **kw):
    pair = Pair(0, True, category, earlier, category_b or category, draft)
    return duplicate_finding(client, pair, **kw)


def _recorded(client, text, category, case_id=None) -> dict:
    case = {"text": text, "category": category, "marketplace": "US", "filed_at": FILED_AT}
    if case_id:
        case["case_id"] = case_id
    response = client.post("/api/v1/cases/import", json={"cases": [case]})
    assert response.status_code == 200, response.json
    return response.json["cases"][0]


def _precheck(client, text, category) -> dict | None:
    body = {"text": text, "category": category, "marketplace": "US", "at": "2026-07-01T12:00"}
    response = client.post("/api/v1/precheck", json=body)
    assert response.status_code == 200, response.json
    found = [f for f in response.json["findings"] if f["code"] == "duplicate_case"]
    return found[0] if found else None


# --- a duplicate ------------------------------------------------------------------------


def test_a_reworded_description_of_the_same_problem(client, cases):
    finding = _finding(
        client,
        "我的店铺被封了，要写POA申诉，不知道第一段该写什么",
        "店铺被封了怎么办，POA怎么写？想尽快恢复销售权限",
    )
    assert finding is not None
    assert finding["data"]["match"] == "concepts"
    assert finding["data"]["concepts"].split(", ")[0] == "poa"  # the specific one first
    assert "POA" in finding["message"]["zh"] and "POA" in finding["message"]["en"]
    assert "same category and the same specifics: POA" in finding["message"]["en"]


def test_the_other_language_with_a_shared_shipment_id(client, cases):
    finding = _finding(
        client,
        "货件 FBA15R8QW3TN 打印不了UPS合作承运人标签，确认运费时报错",
        "Cannot print partnered carrier UPS labels for FBA15R8QW3TN, error when I accept it",
        category="logistics",
    )
    assert finding["data"]["match"] == "fba_shipment_id"
    assert finding["data"]["ids"] == "FBA15R8QW3TN"
    assert "FBA shipment ID (FBA15R8QW3TN)" in finding["message"]["en"]
    assert "FBA 货件编号相同（FBA15R8QW3TN）" in finding["message"]["zh"]
    assert "partnered carrier" in finding["message"]["en"]  # what it is about, by name
    assert "合作承运人" in finding["message"]["zh"]


def test_the_other_language_with_the_earlier_cases_amazon_case_id(client, cases):
    """The draft names the earlier case by Amazon's case id, which the text of the earlier
    case does not carry but its record does."""
    earlier = _recorded(
        client, "账户停用后提交了申诉，两周没有回复", "account_deactivation", "14583920716"
    )
    finding = _precheck(
        client,
        "Case 14583920716 - appeal for my deactivated account submitted two weeks ago",
        "account_deactivation",
    )
    assert finding["data"]["match"] == "amazon_case_id"
    assert finding["data"]["case_pk"] == str(earlier["id"])
    assert "Amazon case ID (14583920716)" in finding["message"]["en"]


@pytest.mark.parametrize(
    ("earlier", "draft", "category", "named"),
    [
        (
            "二审视频验证失败了，说我的护照看不清",
            "video call identity verification failed, the agent said my passport was not clear",
            "account_verification",
            ("视频验证", "video verification"),
        ),
        (
            "收到操纵评论的警告，账户状况显示有风险",
            "got a warning for review manipulation, account health shows at risk",
            "account_deactivation",
            ("操纵评论", "review manipulation"),
        ),
        (
            "Sponsored Brands video ad rejected because the video shows a price",
            "品牌推广视频广告被拒，理由是视频里出现了价格",
            "advertising",
            ("广告被拒", "ad rejected"),
        ),
        (
            "仓储容量限制太低，旺季的补货发不进去",
            "FBA capacity limit is too low, I cannot send replenishment inventory for peak season",
            "logistics",
            ("库容", "capacity limit"),
        ),
    ],
)
def test_the_other_language_with_the_same_concepts(client, cases, earlier, draft, category, named):
    finding = _finding(client, earlier, draft, category=category)
    assert finding is not None and finding["data"]["match"] == "concepts"
    zh, en = named
    assert zh in finding["message"]["zh"] and en in finding["message"]["en"]


def test_a_number_like_a_case_id_does_not_part_a_follow_up_from_its_case(client, cases):
    """Any 8–14 digits read as an Amazon case id: a phone number in the follow-up, beside
    the case id Amazon gave the earlier case, must not make them two problems."""
    text = "货件 FBA15R8QW3TN 打印不了UPS合作承运人标签，确认运费时报错"
    _recorded(client, text, "logistics", "14583920716")
    finding = _precheck(client, text + "，有问题请打我电话 13812345678", "logistics")
    assert finding is not None


def test_a_follow_up_with_details_of_a_short_earlier_case(client, cases):
    finding = _finding(
        client,
        "买家提了拒付",
        "拒付的事情补充一下：买家9月2日签收，9月20日向银行申请拒付，我已经上传了签收证明",
        category="a_to_z_claim",
    )
    assert finding is not None and finding["data"]["match"] == "concepts"


# --- not a duplicate ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("earlier", "draft", "category"),
    [
        (  # two ASINs
            "Listing B0D7H3J9KL is inactive because battery information is missing",
            "Listing B0D7H3J9LK is inactive because battery information is missing",
            "listing_removed",
        ),
        (  # two shipments
            "Shipment FBA17Q2W3E4R is missing 30 units after receiving closed",
            "Shipment FBA17Q2W3E9T is missing 30 units after receiving closed",
            "logistics",
        ),
        (  # two orders, and the other language
            "A-to-z claim on order 112-3340918-7782251, buyer says not received",
            "订单 112-3340918-7782215 买家提了A-to-Z索赔，说没收到货",
            "a_to_z_claim",
        ),
        (  # the same shipment, another problem
            "FBA14HX6Q2WS: the carrier says the box labels cannot be scanned",
            "FBA14HX6Q2WS: 20 units were received as damaged, I want reimbursement",
            "logistics",
        ),
    ],
)
def test_different_ids_or_the_same_id_for_another_problem(client, cases, earlier, draft, category):
    assert _finding(client, earlier, draft, category=category) is None


@pytest.mark.parametrize(
    ("earlier", "draft", "category"),
    [
        (  # two marketplaces
            "Sponsored Products in the Germany marketplace overspent the daily budget",
            "Sponsored Products in the France marketplace overspent the daily budget",
            "advertising",
        ),
        (  # two IP rights
            "I got an IP complaint: trademark, the complainant says our logo looks like theirs.",
            "I got an IP complaint: copyright, the complainant says we used our product photos.",
            "ip_complaint",
        ),
        (  # two causes of a removal
            "您好，我的产品今天被下架了，通知里说原因是缺少电池信息，请问需要提交什么？",
            "您好，我的产品今天被下架了，通知里说原因是被认定为农药类产品，请问需要提交什么？",
            "listing_removed",
        ),
        (  # a name in the same sentence
            "收到商标投诉，投诉方是 Anker，说我们标题里用了他们的品牌",
            "收到商标投诉，投诉方是 Ugreen，说我们标题里用了他们的品牌",
            "ip_complaint",
        ),
        (  # amounts and dates in the same sentence
            "The disbursement of $4,210 from the May 1 settlement failed",
            "The disbursement of $1,870 from the May 15 settlement failed",
            "payment_anomaly",
        ),
        (  # the earlier problem is over, this is a new one
            "案例 17349205816：付款被暂缓了",
            "案例 17349205816 里的付款暂缓已经解除了，但是这个月信用卡又多了一笔不明扣费89美元",
            "payment_anomaly",
        ),
        (  # another problem of the same category
            "二审视频验证的时候网络断了，被判失败",
            "上传的水电费账单被拒，说地址和营业执照上的不一致",
            "account_verification",
        ),
    ],
)
def test_another_problem_in_the_same_category(client, cases, earlier, draft, category):
    assert _finding(client, earlier, draft, category=category) is None


def test_alike_texts_in_another_category_are_not_a_duplicate(client, cases):
    assert (
        _finding(
            client,
            "urgent help needed, money missing from my last statement",
            "urgent help needed, inventory missing from my last shipment",
            category="payment_anomaly",
            category_b="logistics",
        )
        is None
    )
    # The same concepts, but filed as another sort of problem: not compared by concepts.
    assert (
        _finding(
            client,
            "我的店铺被封了，要写POA申诉",
            "店铺被封了怎么办，POA怎么写？",
            category="account_deactivation",
            category_b="other",
        )
        is None
    )
