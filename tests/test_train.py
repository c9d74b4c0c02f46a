"""`make train` reproduces the committed model and its card bit for bit."""

import subprocess
import sys


def test_the_committed_model_is_what_make_train_fits():
    run = subprocess.run(
        [sys.executable, "-m", "seller_support.train", "--check"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
