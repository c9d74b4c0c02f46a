"""The case log: record filed cases, list them, record replies, follow-up reminders,
export and import."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, Response
from pydantic import ValidationError

from ..cases import current_store
from ..engine import current_engine
from ..errors import APIError, describe_validation_error
from ..rules.models import Fact
from ..schemas import (
    AdviceOut,
    CaseExportQuery,
    CaseImport,
    CaseImportItem,
    CaseImportResult,
    CaseIn,
    CaseList,
    CaseListQuery,
    CaseOut,
    CasePatch,
    FollowupOut,
    FollowupsResponse,
    MomentQuery,
    resolve_at,
)
from .registry import API_PREFIX, endpoint

bp = Blueprint("cases", __name__, url_prefix=API_PREFIX)

CSV_COLUMNS = list(CaseOut.model_fields)
MAX_IMPORT_BYTES = 16 * 1024 * 1024


def _validated(case: CaseIn) -> dict:
    """The case's fields with its category and marketplace checked against the rules."""
    engine = current_engine()
    fields = case.model_dump(exclude={"id", "updated_at"})
    fields["category"] = engine.category(case.category).id
    fields["marketplace"] = engine.marketplace(case.marketplace).code
    return fields


def _not_found(case_pk: int) -> APIError:
    return APIError(404, "case_not_found", f"no case with id {case_pk}")


@endpoint(
    bp,
    "/cases",
    method="POST",
    summary="Record a filed case",
    body=CaseIn,
    response=CaseOut,
    status=201,
)
def create_case(body: CaseIn):
    return CaseOut.model_validate(current_store().add(**_validated(body)))


@endpoint(
    bp,
    "/cases",
    summary="Filed cases, newest first, by marketplace and status, paginated",
    query=CaseListQuery,
    response=CaseList,
)
def list_cases(query: CaseListQuery):
    marketplace = None
    if query.marketplace is not None:
        marketplace = current_engine().marketplace(query.marketplace).code
    rows, total = current_store().list(
        marketplace=marketplace, status=query.status, limit=query.limit, offset=query.offset
    )
    return CaseList(cases=[CaseOut.model_validate(r) for r in rows], total=total)


@endpoint(bp, "/cases/<int:case_pk>", summary="One filed case", response=CaseOut)
def get_case(case_pk: int):
    found = current_store().get(case_pk)
    if found is None:
        raise _not_found(case_pk)
    return CaseOut.model_validate(found)


@endpoint(
    bp,
    "/cases/<int:case_pk>",
    method="PATCH",
    summary="Record a reply, a status change or Amazon's case id",
    body=CasePatch,
    response=CaseOut,
)
def update_case(case_pk: int, body: CasePatch):
    changes = body.model_dump(exclude_unset=True)
    if not changes:
        raise APIError(
            422, "invalid_input", "body: give at least one of status, case_id, replied_at"
        )
    store = current_store()
    current = store.get(case_pk)
    if current is None:
        raise _not_found(case_pk)
    if changes.get("status") is None:
        changes.pop("status", None)
        # A reply recorded on an open case moves it to `replied`.
        if changes.get("replied_at") is not None and current["status"] == "open":
            changes["status"] = "replied"
    if changes.get("status") == "replied" and "replied_at" not in changes:
        changes["replied_at"] = current["replied_at"] or datetime.now().astimezone()
    if isinstance(changes.get("replied_at"), str):  # already stored, unchanged
        changes.pop("replied_at")
    updated = store.update(case_pk, changes)
    if updated is None:  # deleted meanwhile
        raise _not_found(case_pk)
    return CaseOut.model_validate(updated)


@endpoint(
    bp,
    "/cases/<int:case_pk>",
    method="DELETE",
    summary="Delete a filed case",
    response=None,
    status=204,
)
def delete_case(case_pk: int):
    if not current_store().delete(case_pk):
        raise _not_found(case_pk)


def _advice(fact: Fact) -> AdviceOut:
    return AdviceOut(id=fact.id, text=fact.text, source=fact.source)


@endpoint(
    bp,
    "/cases/followups",
    summary="Open cases with no reply after 72 hours, with the follow-up checklist",
    query=MomentQuery,
    response=FollowupsResponse,
)
def followups(query: MomentQuery):
    rules = current_engine().rules
    rule = rules.facts.followup
    at = resolve_at(query.at, ZoneInfo(query.tz))
    after = timedelta(hours=rule.after_hours)
    checklist = [_advice(rules.fact_by_id[i]) for i in rule.steps]
    route = _advice(rules.fact_by_id[rule.account_route]) if rule.account_route else None
    items = []
    for case in current_store().due_followups(at, after):
        filed = datetime.fromisoformat(case["filed_at"])
        items.append(
            FollowupOut(
                case=CaseOut.model_validate(case),
                due_at=(filed + after).isoformat(),
                hours_open=round((at - filed).total_seconds() / 3600, 1),
                checklist=checklist,
                account_route=route if case["category"] in rule.account_categories else None,
            )
        )
    return FollowupsResponse(at=at.isoformat(), after_hours=rule.after_hours, followups=items)


@endpoint(
    bp,
    "/cases/export",
    summary="Every case, as JSON (the import format) or CSV (UTF-8 with BOM, for Excel)",
    query=CaseExportQuery,
    response=CaseList,
    produces=("text/csv",),
)
def export_cases(query: CaseExportQuery):
    rows, total = current_store().list(limit=None)
    if query.format == "json":
        return CaseList(cases=[CaseOut.model_validate(r) for r in rows], total=total)
    out = io.StringIO()
    out.write("\ufeff")  # Excel needs the BOM to read UTF-8 Chinese
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="cases.csv"'},
    )


def _parse_csv(text: str) -> list[CaseImportItem]:
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    missing = {"text", "category", "marketplace", "filed_at"} - set(reader.fieldnames or [])
    if missing:
        raise APIError(422, "invalid_input", f"csv: header lacks {sorted(missing)}")
    items = []
    for line, row in enumerate(reader, start=2):
        values = {k: v for k, v in row.items() if k in CSV_COLUMNS and v not in ("", None)}
        try:
            items.append(CaseImportItem.model_validate(values))
        except ValidationError as exc:
            raise APIError(
                422, "invalid_input", f"csv line {line}: {describe_validation_error(exc)}"
            ) from exc
    return items


@endpoint(
    bp,
    "/cases/import",
    method="POST",
    summary="Import a JSON export's `cases` or a CSV export's text; skips cases already stored",
    body=CaseImport,
    response=CaseImportResult,
    max_body=MAX_IMPORT_BYTES,
)
def import_cases(body: CaseImport):
    items = body.cases if body.csv is None else _parse_csv(body.csv)
    fields = [_validated(c) for c in items]
    added, skipped = current_store().add_many(fields)
    return CaseImportResult(
        imported=len(added), skipped=skipped, cases=[CaseOut.model_validate(r) for r in added]
    )
