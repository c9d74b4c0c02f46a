from playwright.sync_api import expect
from .conftest import CONTACT_US

def test_smoke(page, ext):
    page.goto(CONTACT_US)
    expect(page.locator('[data-ssc="overlay"]')).to_have_count(1)
    expect(page.locator('[data-ssc-channel="phone"]')).to_have_attribute("data-ssc-status", "open", timeout=5000)
    page.locator("kat-textarea textarea").fill("我的账户被停用了，收到封号通知 suspended")
    expect(page.locator("[data-ssc-hint]")).to_have_attribute("data-ssc-category", "account_deactivation")
    page.screenshot(path="/tmp/smoke.png")
    print(page.ssc_errors)
