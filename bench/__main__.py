"""Run every benchmark: `make bench` (or `.venv/bin/python -m bench [NAME ...]`).

Each bench is a module of this package with a `run()` (or `main()`) that prints its figures and
returns them as `Figure`s (bench.report). The figures are printed, not asserted: missing a target does not fail the run
(timings depend on the machine), but a bench that crashes or finds wrong results does (exit 1).
"""

from __future__ import annotations

import importlib
import os
import platform
import sqlite3
import sys
import time
import traceback

from bench.report import Figure, print_table

# Add later benches here, in the order they should run.
BENCHES = [
    "foundation",
    "reimport",
    "closing",
    "chat",
    "digest",
    "fanout",
    "stop",
    "heavy",
    "board",
]


def main(argv: list[str]) -> int:
    names = argv or BENCHES
    unknown = [name for name in names if name not in BENCHES]
    if unknown:
        print(f"unknown bench: {', '.join(unknown)} (known: {', '.join(BENCHES)})", file=sys.stderr)
        return 2
    print(machine())
    failed = False
    for name in names:
        print(f"\n{'=' * 78}\n== bench: {name}\n{'=' * 78}", flush=True)
        started = time.perf_counter()
        try:
            module = importlib.import_module(f"bench.{name}")
            figures: list[Figure] = (getattr(module, "run", None) or module.main)()
        except Exception:
            traceback.print_exc()
            print(f"bench {name}: FAILED", flush=True)
            failed = True
            continue
        print(f"\n-- summary of {name} ({time.perf_counter() - started:.0f} s in all; {load()})")
        print_table(figures)
        failed |= any(figure.broken for figure in figures)
    return 1 if failed else 0


def machine() -> str:
    """Figures mean little without the machine, and whether something else was running."""
    return (
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, SQLite"
        f" {sqlite3.sqlite_version}, {platform.platform()}; {load()}"
    )


def load() -> str:
    return "load average " + " ".join(f"{v:.2f}" for v in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
