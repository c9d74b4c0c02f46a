"""The case log: record filed cases, list them, record replies, follow-up reminders,
export and import."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, Response

from ...domain.advice import advice_of
from ...domain.cases import (
    followup_advice,
    followups,
    requested_change,
    status_change,
)
from ...domain.moments import resolve_at
from .. import case_transfer
from ..errors import APIError
from ..extensions import current_engine, current_store
from ..openapi import API_PREFIX, endpoint
from ..paging import key_of, page
from ..schemas import (
    AdviceOut,
    CaseExportQuery,
    CaseFacets,
    CaseImport,
    CaseImportResult,
    CaseIn,
    CaseList,
    CaseListQuery,
    CaseOut,
    CasePage,
    CasePatch,
    FollowupOut,
    FollowupsQuery,
    FollowupsResponse,
    StoreOut,
)
from ..security import current_person, refuse_unless_filed_by_the_asker

bp = Blueprint("cases", __name__, url_prefix=API_PREFIX)

MAX_IMPORT_BYTES = 16 * 1024 * 1024


def _validated(case: CaseIn) -> dict:
    fields = case_transfer.validated(current_engine(), case, datetime.now(UTC))
    return {**fields, "person": current_person()}


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
    summary="Filed cases, newest first, by marketplace and status, a page at a time",
    query=CaseListQuery,
    response=CasePage,
)
def list_cases(query: CaseListQuery):
    marketplace = None
    if query.marketplace is not None:
        marketplace = current_engine().marketplace(query.marketplace).code
    before = key_of(query.cursor)
    rows, total = current_store().list(
        marketplace=marketplace,
        status=query.status,
        store_id=query.store_id,
        person=query.person,
        limit=query.limit + 1,  # one more: is there a next page?
        offset=query.offset,
        before=before,
        count=before is None and query.offset == 0,  # the total on the first page only
    )
    rows, next_cursor = page(rows, query.limit)
    return CasePage(
        cases=[CaseOut.model_validate(r) for r in rows], total=total, next_cursor=next_cursor
    )


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
    patch = requested_change(body.model_dump(exclude_unset=True))
    store = current_store()
    current = store.get(case_pk)
    if current is None:
        raise _not_found(case_pk)
    refuse_unless_filed_by_the_asker(current)
    changes = status_change(current, patch, datetime.now().astimezone())
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
    store = current_store()
    current = store.get(case_pk)
    if current is None:
        raise _not_found(case_pk)
    refuse_unless_filed_by_the_asker(current)
    if not store.delete(case_pk):  # deleted meanwhile
        raise _not_found(case_pk)


@endpoint(
    bp,
    "/cases/followups",
    summary="Open cases (filed as cases or email) with no reply by their reply_by, longest "
    "overdue first, a page at a time, with the follow-up checklist once",
    query=FollowupsQuery,
    response=FollowupsResponse,
)
def list_followups(query: FollowupsQuery):
    rules = current_engine().rules
    at = resolve_at(query.at, ZoneInfo(query.tz))
    start_after = key_of(query.cursor)
    store = current_store()
    rows = store.due_followups(
        at, store_id=query.store_id, limit=query.limit + 1, start_after=start_after
    )
    rows, next_cursor = page(rows, query.limit, "followup_due_at")
    advice = followup_advice(rules)
    return FollowupsResponse(
        at=at.isoformat(),
        checklist=[AdviceOut(**advice_of(fact)) for fact in advice.checklist],
        account_route=(
            AdviceOut(**advice_of(advice.account_route)) if advice.account_route else None
        ),
        followups=[
            FollowupOut(
                case=CaseOut.model_validate(f.case),
                due_at=f.due_at.isoformat(),
                hours_open=f.hours_open,
                account_route=f.account_route,
            )
            for f in followups(rules, rows, at)
        ],
        total=(
            store.count_due_followups(at, store_id=query.store_id) if start_after is None else None
        ),
        next_cursor=next_cursor,
    )


@endpoint(
    bp,
    "/cases/export",
    summary="Every case, as JSON (the import format) or CSV (UTF-8 with BOM, for Excel)",
    query=CaseExportQuery,
    response=CaseList,
    produces=("text/csv",),
)
def export_cases(query: CaseExportQuery):
    if query.format == "json":
        return case_transfer.export_json(current_store())
    return Response(
        case_transfer.export_csv(current_store()),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="cases.csv"'},
    )


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
    defaults = {"store_id": body.store_id, "store_name": body.store_name}
    return case_transfer.import_cases(
        current_engine(),
        current_store(),
        body,
        datetime.now(UTC),
        defaults=defaults,
        person=current_person(),
    )


@endpoint(
    bp,
    "/cases/facets",
    summary="The stores and people the case log holds, for filtering the list",
    response=CaseFacets,
)
def case_facets():
    stores, people = current_store().facets()
    return CaseFacets(stores=[StoreOut(**s) for s in stores], people=people)
