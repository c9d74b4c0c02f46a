/*
 * Advice from the rules, labelled with where it comes from: Amazon's own guidance
 * ("亚马逊官方 / Amazon", or "亚马逊官方（公开转述）/ Amazon (as publicly quoted)" when its
 * words are known only from a public summary: `paraphrase`) or the source article, an SEO page whose figures appear in no
 * Amazon source ("来自文章（未经证实）", "文章数据（未经证实）" for its statistics). The
 * source's kind and `verified` come from the backend (facts.yaml, checks.yaml); the
 * tips (features/tips.js), the pre-submit panel (features/precheck.js), the popup and the
 * follow-up notification (background/reminders.js, as text) show them alike.
 */
(function (root) {
  "use strict";
  const SSC = (root.SSC = root.SSC || {});

  /** "amazon" for a first-party source the backend calls verified; otherwise the article. */
  function sourceKind(source) {
    return SSC.isObject(source) && source.kind === "amazon" && source.verified === true ? "amazon" : "article";
  }

  const isText = (v) => typeof v === "string" && v;

  /** Amazon's words as publicly quoted (`paraphrase`: not read on Amazon's own page) say so. */
  const amazonKey = (source) => (source.paraphrase === true ? "sourceAmazonParaphrase" : "sourceAmazon");

  /**
   * Where it comes from, for the label's tooltip: the Amazon page's title and address, or
   * the publication the article cites, said to be the article's claim ("文章称引自：…"):
   * the reference finds none of those publications, so it must not read as Amazon's.
   */
  function sourceTitle(i18n, source, kind) {
    if (!SSC.isObject(source)) return null;
    const parts = kind === "amazon" ? [source.title, source.url].filter(isText) : [];
    if (isText(source.cites)) parts.push(i18n.t("sourceArticleCites", [source.cites]));
    return parts.length ? parts.join(" · ").slice(0, 300) : null;
  }

  /**
   * The label for a source. The article's figures are labelled as statistics: a fact of
   * `kind` "statistic", or anything whose source `cites` a publication (the article names
   * one only for its figures, e.g. the hours notices' waiting times).
   */
  SSC.sourceLabelText = function (i18n, source, factKind) {
    const statistic = factKind === "statistic" || (SSC.isObject(source) && isText(source.cites));
    return i18n.t(sourceKind(source) === "amazon" ? amazonKey(source) : statistic ? "sourceArticleStatistic" : "sourceArticle");
  };

  /** The label as an element, with the source's title and address (or what the article cites) as its tooltip. */
  SSC.sourceLabel = function (i18n, source, factKind) {
    const kind = sourceKind(source);
    return SSC.h("span", { class: "src", "data-ssc-source": kind, title: sourceTitle(i18n, source, kind), text: SSC.sourceLabelText(i18n, source, factKind) });
  };

  /** Facts ({id, text, source}) shown with a finding, each with its label; null when there are none. */
  SSC.adviceList = function (i18n, facts) {
    const valid = (Array.isArray(facts) ? facts : []).filter((f) => SSC.isObject(f) && SSC.isId(f.id) && i18n.pick(f.text));
    if (!valid.length) return null;
    return SSC.h(
      "ul",
      { class: "advice-list", "data-ssc-advice-list": "" },
      valid.map((f) => SSC.h("li", { "data-ssc-advice-item": f.id }, SSC.sourceLabel(i18n, f.source, f.kind), " ", i18n.pick(f.text)))
    );
  };
})(typeof globalThis !== "undefined" ? globalThis : self);
