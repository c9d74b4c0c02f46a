"""The case composer: a template with every known value filled in."""

from zoneinfo import ZoneInfo

from flask import Blueprint

from ...domain.composer import Known, choose_template, compose
from ...domain.moments import resolve_at
from ..extensions import current_engine
from ..openapi import API_PREFIX, endpoint
from ..schemas import ComposeRequest, ComposeResponse

bp = Blueprint("compose", __name__, url_prefix=API_PREFIX)


@endpoint(
    bp,
    "/compose",
    method="POST",
    summary="An English case from a template: known values filled in, the rest explained",
    body=ComposeRequest,
    response=ComposeResponse,
)
def compose_case(body: ComposeRequest):
    engine = current_engine()
    rules = engine.rules
    marketplace = engine.marketplace(body.marketplace)
    category = engine.category(body.category) if body.category is not None else None
    template = choose_template(rules, body.template, category)
    # Today as the marketplace sees it: the date a reader there would write.
    moment = resolve_at(body.at, ZoneInfo(body.tz))
    today = moment.astimezone(ZoneInfo(marketplace.timezone)).date()
    known = Known(body.text, tuple(body.reference_numbers), body.values)
    composed = compose(rules, template, known, marketplace, today)
    declared = rules.templates.declaration
    return ComposeResponse.model_validate(
        {
            "template": template.model_dump(include={"id", "kind", "label"}),
            "spelling": composed.spelling,
            "subject": composed.subject,
            "text": composed.text,
            "filled": [
                {"name": name, "label": declared(name).label, "value": value}
                for name, value in composed.filled.items()
            ],
            "remaining": [{**vars(r), "name": f"[{r.name}]"} for r in composed.remaining],
            "submit_where": template.submit_where,
            "source": template.source,
        }
    )
