"""`make bench`: latency, cost and memory benchmarks (issue 6).

Run with ``python -m tests.bench`` (``--quick`` for a few iterations, ``--json PATH`` to
save the numbers). Nothing here is a timed unit test: only ``test_bench_smoke.py`` is
collected by pytest, and it checks that the harness runs and what its JSON looks like,
never how fast anything is.
"""
