/*
 * Built-in copy of shared-rules/selectors.yaml (same data, as JSON).
 * Used when the rules backend is unreachable; the served copy wins when it
 * answers. tests/e2e/test_selectors_sync.py checks that the two stay equal,
 * so edit both together.
 */
(function (root) {
  "use strict";
  const SSC = (root.SSC = root.SSC || {});
  SSC.DEFAULT_SELECTORS = {
    "support_pages": [
      {
        "path": "/cu/contact-us",
        "comment": "\"Contact us\" flow (case form with issue description)"
      },
      {
        "path": "/help/hub/support",
        "comment": "Help Hub \"Get support\" page"
      },
      {
        "path": "/gp/help",
        "comment": "Older help pages that host the contact form"
      },
      {
        "path": "/cu/case-dashboard",
        "comment": "Case log; the overlay shows hours only"
      },
      {
        "path": "/cu/case-lobby",
        "comment": "Case log (older path)"
      },
      {
        "path": "/gp/case-dashboard",
        "comment": "Legacy case log"
      }
    ],
    "anchors": {
      "description": {
        "comment": "The free-text issue description box.",
        "selectors": [
          {
            "selector": "kat-textarea[name='description']",
            "comment": "KAT textarea; the real textarea is inside its shadow root"
          },
          {
            "selector": "kat-textarea[data-testid*='description' i]",
            "comment": "KAT textarea marked by a test id"
          },
          {
            "selector": "textarea[name='description']",
            "comment": "Plain textarea on Help Hub"
          },
          {
            "selector": "textarea#description",
            "comment": "Plain textarea by id"
          }
        ],
        "texts": {
          "en": [
            "Describe your issue",
            "Description",
            "Tell us more",
            "How can we help",
            "Details"
          ],
          "zh": [
            "问题描述",
            "描述您的问题",
            "详细描述",
            "请描述",
            "详细信息"
          ]
        }
      },
      "submit": {
        "comment": "The button that sends the case (or starts the call or chat).",
        "selectors": [
          {
            "selector": "kat-button[data-action='submit']",
            "comment": "KAT submit button"
          },
          {
            "selector": "kat-button[data-testid*='submit' i]",
            "comment": "KAT button marked by a test id"
          },
          {
            "selector": "kat-button[type='submit']",
            "comment": "KAT button acting as form submit"
          },
          {
            "selector": "button[type='submit']",
            "comment": "Plain form submit"
          },
          {
            "selector": "input[type='submit']",
            "comment": "Plain submit input"
          }
        ],
        "texts": {
          "en": [
            "Send",
            "Submit",
            "Send message",
            "Submit case",
            "Call me now",
            "Start chat"
          ],
          "zh": [
            "发送",
            "提交",
            "发送消息",
            "提交案例",
            "立即致电",
            "开始聊天"
          ]
        }
      },
      "marketplace_switcher": {
        "comment": "The marketplace picker in the Seller Central header (needed on sellercentral-europe).",
        "selectors": [
          {
            "selector": "#partner-switcher",
            "comment": "Header account/marketplace switcher"
          },
          {
            "selector": "[data-test-id='marketplace-switcher']",
            "comment": "Newer header"
          },
          {
            "selector": "[data-testid='marketplace-switcher']",
            "comment": "Newer header (other test id spelling)"
          },
          {
            "selector": ".dropdown-account-switcher-header-label",
            "comment": "Account switcher label"
          },
          {
            "selector": "kat-dropdown[name='marketplace']",
            "comment": "KAT dropdown"
          }
        ],
        "texts": {
          "en": [],
          "zh": []
        }
      },
      "case_id": {
        "comment": "The case id on the case log / case details page.",
        "selectors": [
          {
            "selector": "[data-testid='case-id']",
            "comment": "Case id by test id"
          },
          {
            "selector": ".case-id",
            "comment": "Case id class"
          }
        ],
        "texts": {
          "en": [
            "Case ID"
          ],
          "zh": [
            "案例编号",
            "案例 ID"
          ]
        }
      }
    }
  };
})(typeof globalThis !== "undefined" ? globalThis : self);
