"""`ssc pair`: print a new pairing code for the running (or next) backend.

The code goes into pairing.json beside the case log (SSC_DB, else the default), where the
server reads it; enter it on the extension's options page within 15 minutes.
"""

from __future__ import annotations

import argparse
import sys

from .store import default_db_path
from .store.pairing import CODE_TTL, new_code, pairing_path


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(prog="ssc pair", description=__doc__).parse_args(argv)
    code = new_code(pairing_path(default_db_path()))
    minutes = int(CODE_TTL.total_seconds() // 60)
    print(f"Pairing code: {code}  (valid {minutes} min; enter it on the extension's options page)")
    print(f"配对码：{code}（{minutes} 分钟内有效；请在扩展的设置页输入）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
