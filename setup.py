"""The wheel carries the rules: shared-rules/ is copied into the package as
`seller_support/shared_rules`, so an installed backend runs outside the checkout.
(Editable installs read shared-rules/ in the checkout instead.)"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

RULES = Path(__file__).resolve().parent / "shared-rules"


class BuildWithRules(build_py):
    def run(self):
        super().run()
        if not getattr(self, "editable_mode", False):
            target = Path(self.build_lib) / "seller_support" / "shared_rules"
            shutil.copytree(RULES, target, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithRules})
