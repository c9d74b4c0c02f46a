"""`ssc team`: the people of a team server and their access tokens.

    ssc team add-person 李雷     a new person; prints their token, once
    ssc team revoke 李雷         their token stops working at once
    ssc team people              who has access (never the tokens)

It works on the team's database (`SSC_DATABASE_URL` or `--database-url`) directly, so it
runs on the server or wherever the database is reachable, with the backend running or not.
Only a hash of each token is stored: a lost token is revoked and a new one issued."""

from __future__ import annotations

import argparse
import os
import sys

from .preflight import team_database_problem
from .store import CaseStoreError, PersonExists, open_store
from .store.postgres import is_postgres_url
from .web.team import DATABASE_URL_ENV


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    url = args.database_url or os.environ.get(DATABASE_URL_ENV, "")
    if not is_postgres_url(url):
        print(
            f"需要团队数据库：请设置 {DATABASE_URL_ENV}=postgresql://… 或加 --database-url。\n"
            f"The team's database is needed: set {DATABASE_URL_ENV}=postgresql://… or pass "
            f"--database-url.",
            file=sys.stderr,
        )
        return 1
    try:
        store = open_store(url)
    except CaseStoreError as exc:
        print(team_database_problem(exc), file=sys.stderr)
        return 1
    try:
        return args.action(store, args)
    finally:
        store.close()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ssc team", description="团队成员与访问令牌 / a team server's people and tokens"
    )
    parser.add_argument("--database-url", help=f"default: ${DATABASE_URL_ENV}")
    actions = parser.add_subparsers(required=True, metavar="ACTION")
    add = actions.add_parser("add-person", help="新成员，显示其令牌 / a new person and their token")
    add.add_argument("name")
    add.set_defaults(action=_add_person)
    revoke = actions.add_parser("revoke", help="撤销某人的令牌 / revoke a person's token")
    revoke.add_argument("name")
    revoke.set_defaults(action=_revoke)
    people = actions.add_parser("people", help="有访问权的成员 / who has access")
    people.set_defaults(action=_people)
    return parser


def _add_person(store, args) -> int:
    try:
        token = store.add_person(args.name)
    except PersonExists:
        print(
            f"{args.name} 已有有效令牌；如需新令牌，请先 ssc team revoke {args.name}。\n"
            f"{args.name} already has a valid token; to issue a new one, first run "
            f"ssc team revoke {args.name}.",
            file=sys.stderr,
        )
        return 1
    except ValueError as exc:
        print(f"姓名无效 / Invalid name: {exc}", file=sys.stderr)
        return 1
    print(f"{args.name} 的访问令牌（只显示这一次，请安全地转交）/ Access token for {args.name} "
          f"(shown this once; hand it over safely):\n{token}")  # fmt: skip
    return 0


def _revoke(store, args) -> int:
    try:
        revoked = store.revoke_person(args.name)
    except ValueError as exc:
        print(f"姓名无效 / Invalid name: {exc}", file=sys.stderr)
        return 1
    if not revoked:
        print(f"没有有效令牌的成员：{args.name} / No person with a valid token: {args.name}",
              file=sys.stderr)  # fmt: skip
        return 1
    print(f"已撤销 {args.name} 的令牌 / Revoked {args.name}'s token")
    return 0


def _people(store, args) -> int:
    people = store.people()
    if not people:
        print("还没有成员：ssc team add-person 姓名 / No one yet: ssc team add-person NAME")
        return 0
    for person in people:
        state = "revoked 已撤销" if person.get("revoked_at") else "active 有效"
        print(f"{person['name']}\t{state}\t{person['created_at']}")
    return 0
