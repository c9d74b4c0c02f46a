"""extension/lib/marketplaces.js on the generated built-in marketplaces, run with Node
(skipped without it; the end-to-end tests load the same files in Chromium)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from seller_support.generate import EXTENSION_LIB

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="needs Node.js")

SCRIPT = """
globalThis.self = globalThis;
require(process.argv[1] + "/default-marketplaces.js");
require(process.argv[1] + "/marketplaces.js");
const S = globalThis.SSC;
const P = ["amzn1.mp.o."];
const served = {
  marketplaces: [{code: "US", marketplace_id: "ATVPDKIKX0DER", name: {en: "US", zh: "美国站"}}],
};
const europe = S.marketplacesForHost("sellercentral-europe.amazon.com");
const oldServed = [{code: "US", name: {en: "x", zh: "y"}, domains: []}];
console.log(JSON.stringify({
  codes: S.MARKETPLACE_CODES,
  fallback: S.FALLBACK_MARKETPLACES === S.DEFAULT_MARKETPLACES.marketplaces,
  bare: S.marketplaceFromId("A1PA6795UKMFR9", null, P),
  prefixed: S.marketplaceFromId("amzn1.mp.o.ATVPDKIKX0DER", null, P),
  unstripped: S.marketplaceFromId("amzn1.mp.o.ATVPDKIKX0DER", null, []),
  uncovered: S.marketplaceFromId("amzn1.mp.o.A2Q3Y263D00KWC", null, P),
  servedWithoutUncovered: S.marketplaceFromId("A2Q3Y263D00KWC", served, P),
  unknown: S.marketplaceFromId("A0000000000", null, P),
  empty: S.marketplaceFromId("", null, P),
  text: S.marketplaceFromText("My Store | Deutschland", europe),
  mx: S.marketplaceFromText("amazon.com.mx"),
  oldServed: S.marketplaceFromText("amazon.com", null, oldServed),
}));
"""


def test_marketplace_helpers_read_the_generated_table():
    out = subprocess.run(
        [NODE, "-e", SCRIPT, str(EXTENSION_LIB)], capture_output=True, text=True, check=True
    )
    got = json.loads(out.stdout)
    assert got["codes"] == ["US", "CA", "MX", "UK", "DE", "FR", "IT", "ES", "JP", "IN", "AU"]
    assert got["fallback"] is True
    assert got["bare"] == {"code": "DE", "covered": True}
    assert got["prefixed"] == {"code": "US", "covered": True}
    assert got["unstripped"] is None
    assert got["uncovered"] == {"code": "BR", "covered": False}
    assert got["servedWithoutUncovered"] == {"code": "BR", "covered": False}
    assert got["unknown"] is None and got["empty"] is None
    assert got["text"] == "DE"
    assert got["mx"] == "MX"
    assert got["oldServed"] == "US"  # a served copy without header_words: the built-in words


ZONES_SCRIPT = """
globalThis.self = globalThis;
require(process.argv[1] + "/default-marketplaces.js");
require(process.argv[1] + "/marketplaces.js");
const S = globalThis.SSC;
const zh = (name) => name.zh;
const served = S.zonesOf({zones: [{id: "America/New_York", name: {zh: "纽约时间", en: "NY"}}]});
console.log(JSON.stringify({
  builtIn: S.zoneName("America/New_York", null, zh),
  kolkata: S.zoneName("Asia/Kolkata", S.FALLBACK_ZONES, zh),
  served: S.zoneName("America/New_York", served, zh),
  unnamed: S.zoneName("America/Argentina/Buenos_Aires", null, zh),
  aliases: ["Asia/Chongqing", "PRC"].map((tz) => S.zoneName(tz, null, zh)),
  oldBackend: S.zonesOf({marketplaces: []}).length === S.FALLBACK_ZONES.length,
}));
"""


def test_zone_names_come_from_the_marketplaces_document_else_the_city():
    out = subprocess.run(
        [NODE, "-e", ZONES_SCRIPT, str(EXTENSION_LIB)], capture_output=True, text=True, check=True
    )
    got = json.loads(out.stdout)
    assert got["builtIn"] == "美东时间" and got["kolkata"] == "印度时间"
    assert got["served"] == "纽约时间"  # the served names win over the built-in copy
    assert got["unnamed"] == "Buenos Aires"
    assert got["aliases"] == ["北京时间", "北京时间"]  # tzdata's other names of Asia/Shanghai
    assert got["oldBackend"] is True  # a served document without zones: the built-in names
