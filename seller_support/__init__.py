"""Seller Support Companion rules backend (卖家客服助手).

Layers, each importing only from the ones above it (tests/test_architecture.py checks):
- `rules`: the rules files' models, loading and watching;
- `store`: the case log behind the `CaseStore` interface;
- `domain`: text analysis, classifier, checks, hours and case rules; no Flask;
- `web`: the Flask app, thin routes, schemas, errors and security;
- the commands: `cli` (`ssc`) and a module for each of its subcommands, with
  `preflight` (what must hold before serving); `generate` and `train` for developers.
"""

# The folder name of our data, cache, log and settings places on every OS.
APP_NAME = "seller-support-companion"
