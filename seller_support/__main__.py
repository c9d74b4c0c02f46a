"""`python -m seller_support`: `ssc` where its script is not on PATH."""

import sys

from .cli import main

sys.exit(main())
