"""A fact (facts.yaml) as it is shown beside a finding or in the follow-up checklist:
Amazon's own guidance beside the article's, each with its source and kind (the extension
labels the article's statistics as such)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..rules.models import Fact


def advice_of(fact: Fact) -> dict:
    return {"id": fact.id, "kind": fact.kind, "text": fact.text, "source": fact.source}
