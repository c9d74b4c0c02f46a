"""The duplicate_case warning on the labelled pair sets and on small cases of each kind:
a reworded description, the other language with a shared id, the other language with
the same concepts, and the same sentence about another id, marketplace or name.

Every case runs the real check path: the earlier case is recorded in the case log (same
marketplace, open, filed three days before), then the draft is prechecked through the
Flask test client."""

from __future__ import annotations

import pytest

from .duplicate_pairs import (
    DEV,
    DEV2,
    FILED_AT,
    HELDOUT,
    HELDOUT2,
    HELDOUT3,
    HELDOUT4,
    HELDOUT5,
    HELDOUT6,
    HELDOUT7,
    PAIRS_DIR,
    SECOND_READING,
    Pair,
    Result,
    duplicate_finding,
    evaluate,
    load_pairs,
    load_second_reading,
)

# The targets.
TARGETS = {"precision": 0.95, "recall": 0.8}
# What was last measured, rounded down, so that a change that loses ground fails here. All
# these files are dev material: each was measured, then its errors were read and tuned on
# (corpus/README.md has every run), so these figures say nothing about unseen pairs.
MEASURED_FLOORS = {
    DEV.name: {"precision": 0.98, "recall": 0.98},  # 1.000 (79/79), 0.988 (79/80)
    DEV2.name: {"precision": 0.98, "recall": 0.98},  # 1.000 (62/62), 1.000 (62/62)
    # before tuning on it: 0.949 / 0.700, 0.952 / 0.750, 0.952 / 0.750; now 1.000 (76/76) /
    # 0.950 (76/80)
    HELDOUT.name: {"precision": 0.98, "recall": 0.95},
    # first run 0.891 (49/55) / 0.754 (49/65); now 0.954 (62/65) / 0.954 (62/65)
    HELDOUT2.name: {"precision": 0.95, "recall": 0.95},
    # first (blind) runs 0.853 (58/68) / 0.682 (58/85) and 0.822 (37/45) / 0.468 (37/79);
    # read for the figures, the settled story and ids across categories: now 0.920 (69/75)
    # / 0.812 (69/85) and 0.911 (51/56) / 0.646 (51/79)
    HELDOUT3.name: {"precision": 0.91, "recall": 0.81},
    HELDOUT4.name: {"precision": 0.91, "recall": 0.64},
    # first (blind) runs 0.779 (67/86) / 0.728 (67/92) and 0.807 (71/88) / 0.747 (71/95);
    # read 2026-12-03 for another id beside the earlier one and the settled spellings: now
    # 0.779 (67/86) / 0.728 (67/92) and 0.922 (71/77) / 0.747 (71/95)
    HELDOUT5.name: {"precision": 0.77, "recall": 0.72},
    HELDOUT6.name: {"precision": 0.92, "recall": 0.74},
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


@pytest.mark.parametrize("path", [DEV, DEV2, HELDOUT, HELDOUT2], ids=lambda p: p.name)
def test_the_targets_on_the_dev_pairs(client, cases, path):
    """The issue's targets hold on the pairs the check was tuned on: all four files, the
    two former held-out files included (corpus/README.md). Whether they hold on pairs the
    check has not seen only a new blind set can tell."""
    _check(_result(client, path), TARGETS)


@pytest.mark.parametrize(
    "path", [PAIRS_DIR / name for name in MEASURED_FLOORS], ids=lambda p: p.name
)
def test_no_worse_than_measured_on_the_labelled_pairs(client, cases, path):
    _check(_result(client, path), MEASURED_FLOORS[path.name])


# The blind set not yet read: heldout7 (a fifth blind author), first run 2026-12-03 07:10
# UTC: 0.805 (70/87) / 0.729 (70/96), and the same after the review's fixes (07:22 UTC);
# the check before the reading of heldout5 and heldout6 had 0.778 (70/90) / 0.729 there.
BLIND_FLOORS = {HELDOUT7.name: {"pairs": 200, "precision": 0.80, "recall": 0.72}}


@pytest.mark.parametrize("path", [HELDOUT7], ids=lambda p: p.name)
def test_no_worse_than_measured_on_the_blind_held_out_pairs(client, cases, path):
    """Only the figures are reported, never the pairs: seeing which fail would make the set
    one more tuning set."""
    floors = BLIND_FLOORS[path.name]
    result = _result(client, path)
    assert result.pairs == floors["pairs"]
    figures = f"precision {result.precision:.3f}, recall {result.recall:.3f}"
    assert result.precision >= floors["precision"], figures
    assert result.recall >= floors["recall"], figures


@pytest.mark.parametrize("path", [HELDOUT5, HELDOUT6], ids=lambda p: p.name)
def test_a_second_reader_labels_the_blind_pairs_as_their_author_did(path):
    """The blind sets' labels are not a matter of taste: another reader, given the pairs
    shuffled and unlabelled with the label definitions, labelled every pair of both sets as
    its author had (400 of 400, corpus/README.md). So what the check misses there, a
    careful reader does not."""
    second = load_second_reading(SECOND_READING / path.name)
    pairs = load_pairs(path)
    assert sorted(second) == [pair.line for pair in pairs]
    disagreements = [pair.line for pair in pairs if second[pair.line] != pair.dup]
    assert disagreements == []


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


@pytest.mark.parametrize(
    ("earlier", "draft", "category"),
    [
        (  # the follow-up names the ad type and match type the earlier case did not
            "广告一直没有曝光",
            "广告没有曝光的问题：SP手动广告，出价1.5，预算50，关键词都是精准匹配，连续一周0曝光",
            "advertising",
        ),
        (  # one specific concept and most of the rest alike; the follow-up adds an escalation
            "申诉提交了三次都被拒，都是同一个模板回复，说没有解决根本原因，关联封号",
            "3rd appeal for related account deactivation rejected again with the same template: "
            "root cause not addressed. Is it time to escalate?",
            "account_deactivation",
        ),
    ],
)
def test_a_follow_up_that_adds_a_detail(client, cases, earlier, draft, category):
    finding = _finding(client, earlier, draft, category=category)
    assert finding is not None and finding["data"]["match"] == "concepts"


@pytest.mark.parametrize(
    ("earlier", "draft", "category"),
    [
        (
            "My account was suspended",
            "Writing again about the suspension: suspended on Feb 2 for suspected inauthentic "
            "items, my POA with supplier invoices was rejected twice",
            "account_deactivation",
        ),
        (
            "账户状况有风险",
            "账户状况还是有风险：上个月迟发率5.2%，这个月改用海外仓发货，还是没降下来",
            "account_deactivation",
        ),
        (
            "收到了专利投诉",
            "再跟进一下专利投诉：律师说对方已经撤回了，但是链接还是下架状态",
            "ip_complaint",
        ),
    ],
)
def test_a_draft_that_says_it_follows_up_a_short_case(client, cases, earlier, draft, category):
    """The seller says it is the same case (再跟进, writing again, still): the draft may add
    the reason the short earlier case did not give, of any sort."""
    finding = _finding(client, earlier, draft, category=category)
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
        (  # the same shipment and labels, but each text names its own logistics problem
            "FBA16TB8W6LQ: pallets refused at the dock for missing pallet labels",
            "FBA16TB8W6LQ: I was charged an unplanned service fee for labeling",
            "logistics",
        ),
        (  # the same shipment, and problems of two sorts: nothing but the cartons in common
            "FBA19TW2R5HX: 5 cartons stuck in checked-in status for a week",
            "FBA19TW2R5HX: the carrier charge was applied twice for the same boxes",
            "logistics",
        ),
        (  # the same case, "by the way" another question
            "Case 13384729106: brand registry application pending",
            "Case 13384729106 - by the way, how do I add a user to my account?",
            "brand_registry",
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
        (  # 二审 is the second round of verification, not always the video call
            "二审视频验证失败，说网络不稳定",
            "二审要求提交法人的信用卡对账单，我们的卡是公司卡",
            "account_verification",
        ),
        (  # two FBA fees
            "FBA配送费多收了，尺寸测量错误",
            "仓储费多收了，体积测量错误，导致月度仓储费翻倍",
            "payment_anomaly",
        ),
        (  # a removal and a disposal
            "移除订单两个月了还没发货",
            "弃置订单两个月了还没处理，库存还在收仓储费",
            "logistics",
        ),
        (  # two persons of one role
            "验证要求提供法人的护照",
            "验证要求提供受益人的护照",
            "account_verification",
        ),
        (  # too high, too low
            "SP广告花费太高，acos 60%",
            "SP广告花费太低，每天只能花出去2美元",
            "advertising",
        ),
        (  # waiting, then done
            "Removal order for 300 units stuck as pending",
            "Disposal order for 300 units was completed but I meant to create a removal",
            "logistics",
        ),
        (  # how to set it up, then a problem once it is set up
            "怎么设置秒杀，找不到入口",
            "秒杀设置好了但是没有显示，状态一直是待审核",
            "other",
        ),
        (  # the shorter text names a sort of problem the longer does not (pickup / cost)
            "UPS合作承运人的运费太贵",
            "UPS合作承运人取件一直没来，货件在仓库放了一周",
            "logistics",
        ),
        (  # a long shared story, then another ending
            "说来话长，我们去年被封过一次，是因为商品真实性，当时写了POA提交了发票，两周后恢复"
            "了。这次又收到了通知",
            "说来话长，我们去年被封过一次，是因为商品真实性，当时写了POA提交了发票，两周后恢复"
            "了。这次是因为ODR超标又被封了，主要是差评太多",
            "account_deactivation",
        ),
        (  # a follow-up marker, but the earlier problem (disabled) is not in the draft
            "My ads were disabled",
            "Ads still running but ACOS went up to 70% after I raised bids",
            "advertising",
        ),
        (  # the same sort of problem on another store
            "Related account suspension, appeal rejected, root cause not addressed",
            "Related account suspension on our second store (different legal entity) - appeal "
            "rejected, root cause not addressed. This is the other store, not the one from last "
            "month",
            "account_deactivation",
        ),
    ],
)
def test_another_problem_in_the_same_category(client, cases, earlier, draft, category):
    assert _finding(client, earlier, draft, category=category) is None


def test_the_same_problem_filed_under_another_category_with_a_shared_id(client, cases):
    finding = _finding(
        client,
        "我们收到了 Nike 的商标投诉 B0D0ZQ4X3N，标题只写了 'for Nike Air Force 1'",
        "Shoelaces listing B0D0ZQ4X3N removed. Nike trademark complaint because title says "
        "'for Nike Air Force 1'. How to relist?",
        category="ip_complaint",
        category_b="listing_removed",
    )
    assert finding is not None and finding["data"]["match"] == "asin"


def test_a_translation_tied_by_its_amounts(client, cases):
    """No id, concepts that differ in details, but the same amounts and a concept."""
    finding = _finding(
        client,
        "SP 广告活动一天花了 $480，我设置的预算是每天 $50，怎么会超这么多？",
        "My campaign spent $480 in one day while the daily budget is $50. Please refund.",
        category="advertising",
    )
    assert finding is not None and finding["data"]["match"] == "concepts"


@pytest.mark.parametrize(
    ("earlier", "draft", "category"),
    [
        (  # two SKUs (codes), the same sentence otherwise
            "SKU HK-LAMP-02 deactivated for potential pricing error, I typed 4.99",
            "SKU HK-LAMP-07 was deactivated as potential pricing error, but the price is right",
            "listing_removed",
        ),
        (  # two counts of units
            "后台有 230 件滞留库存，原因显示 listing 不存在",
            "有 150 件变成了滞留库存，原因是价格高于最高价被抑制了",
            "logistics",
        ),
        (  # the earlier problem settled, then a new one (without the settled sentence the
            # two would be one problem: the same order and claim)
            "A-to-z claim on order 113-0092287-6618457, buyer says the item never arrived.",
            "The A-to-z claim on order 113-0092287-6618457 was withdrawn by the buyer, thanks. "
            "Now the buyer says the item never arrived and wants a refund from us directly.",
            "a_to_z_claim",
        ),
        (  # the same, in Chinese: the earlier complaint retracted, a new one from the same owner
            "B0C1T6X9QP 被投诉商标侵权，投诉方 Kozi，要求撤诉",
            "B0C1T6X9QP 上次 Kozi 的商标投诉已经撤诉了。这次 Kozi 又投诉了商标侵权，怎么处理",
            "ip_complaint",
        ),
        (  # settled in other words (赔了), then other units
            "B0C4W7ZP2L 仓库丢失 25 件，一直没有赔偿，请处理",
            "B0C4W7ZP2L 丢失的 25 件已经赔了。现在是买家退货的 12 件过了 45 天还没回到库存",
            "logistics",
        ),
        (  # another order beside the earlier one, nothing said settled
            "A-to-z on order 114-2938475-6610293, Amazon asked for tracking, we uploaded it.",
            "114-2938475-6610293 的跟踪号已经上传了。另外一单 114-2938475-7720114 的 A-to-Z "
            "要求提供退货跟踪号，买家自己寄回的，我们没有单号",
            "a_to_z_claim",
        ),
        (  # another campaign beside the earlier one's code
            "SP 广告活动 LM-Auto-0912 一天花了 $860，预算只有 $40/天，请退款",
            "LM-Auto-0912 的超预算已经退款了。现在是另一个活动 LM-Exact-0930 出现大量无效点击，"
            "0 转化，请调查",
            "advertising",
        ),
    ],
)
def test_other_figures_or_a_new_problem_after_the_settled_one(
    client, cases, earlier, draft, category
):
    assert _finding(client, earlier, draft, category=category) is None


def test_a_follow_up_that_now_names_a_case_number_is_the_same_problem(client, cases):
    """A case number looks like any run of digits (evidence only): a follow-up that adds
    one and says "now" has not turned to another thing."""
    finding = _finding(
        client,
        "Shipment FBA17XK2M9QP stuck in receiving for 3 weeks, 120 units not counted.",
        "FBA17XK2M9QP still stuck in receiving with 120 units not counted, now case "
        "15482093716 is open too, please escalate.",
        category="logistics",
    )
    assert finding is not None


@pytest.mark.parametrize(
    ("earlier", "draft", "category"),
    [
        (  # "not approved" settled nothing, whatever "now" says
            "Account deactivated for inauthentic complaints on B0C4W7ZP2L, appeal sent with "
            "supplier invoices.",
            "My appeal for B0C4W7ZP2L was not approved. The account is still deactivated for "
            "the inauthentic complaints. What do I do now?",
            "account_deactivation",
        ),
        (  # what the seller did (updated) is no problem settled
            "Listing B0D1QF6M2T suppressed, main image not compliant with image requirements.",
            "I uploaded a new main image for B0D1QF6M2T and the listing was updated. It is still "
            "suppressed for the main image.",
            "listing_removed",
        ),
    ],
)
def test_a_follow_up_that_tells_what_was_not_settled(client, cases, earlier, draft, category):
    assert _finding(client, earlier, draft, category=category) is not None


def test_digits_like_a_case_id_do_not_tie_another_categorys_case(client, cases):
    """Any 8–14 digits read as an Amazon case id (a UPC here): they count only beside
    another reason to compare the two, never as the reason a case of another category
    is compared."""
    upc = "012345678905"
    assert (
        _finding(
            client,
            f"Brand Registry: UPC {upc} is registered to another brand in GS1, how do we prove "
            "it is ours?",
            f"Listing removed: our new listing with UPC {upc} was taken down, the product ID "
            "does not match the brand",
            category="brand_registry",
            category_b="listing_removed",
        )
        is None
    )


def test_counts_are_not_read_out_of_an_order_ids_digits(client, cases):
    """47 and 29 both occur inside 114-2938475-6610293; as counts of units they are two
    different shortfalls of one order."""
    assert (
        _finding(
            client,
            "Order 114-2938475-6610293: customer return of 47 units never reached inventory",
            "订单 114-2938475-6610293 退货 29 件，仓库签收了但是没有入库",
            category="logistics",
        )
        is None
    )


def test_a_settled_word_in_the_ask_is_what_the_seller_wants(client, cases):
    """ "How do we get reinstated now?" asks for the settling: the same problem."""
    finding = _finding(
        client,
        "Listing B0BZ5Y3QNV blocked as drug paraphernalia, it is a kitchen spice grinder.",
        "B0BZ5Y3QNV still blocked as drug paraphernalia. I changed the title. Can it be "
        "reinstated now?",
        category="listing_removed",
    )
    assert finding is not None


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
