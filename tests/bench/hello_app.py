"""The floor for the backend's start: a hello-world Flask app served by waitress, answering
/api/v1/health, started the way `startup.first_answer` starts the backend."""

import sys

from flask import Flask
from waitress import serve

app = Flask(__name__)


@app.get("/api/v1/health")
def health():
    return {"status": "ok"}


if __name__ == "__main__":
    serve(app, host="127.0.0.1", port=int(sys.argv[1]))
