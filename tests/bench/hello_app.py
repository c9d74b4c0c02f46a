"""The floor for the backend's start: a hello-world Flask app served by waitress, answering
/api/v1/health, started the way `startup.first_answer` starts the backend.

`hello_app.py PORT [MODULE ...]` imports the modules first: the same app with pydantic, or
with every module the backend imports (but no rule loaded), shows how much of the backend's
start is the cost of its code alone."""

import gc
import importlib
import sys

from flask import Flask
from waitress import serve

app = Flask(__name__)


@app.get("/api/v1/health")
def health():
    return {"status": "ok"}


if __name__ == "__main__":
    gc.disable()  # as `ssc serve` imports the backend (seller_support/cli.py)
    for module in sys.argv[2:]:
        importlib.import_module(module)
    gc.enable()
    serve(app, host="127.0.0.1", port=int(sys.argv[1]))
