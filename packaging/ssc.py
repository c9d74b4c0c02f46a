"""The standalone build's entry point: PyInstaller starts from a script, not from the
`seller_support.cli:main` console-script entry that pip installs."""

import sys

from seller_support.cli import main

if __name__ == "__main__":
    sys.exit(main())
