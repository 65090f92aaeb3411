"""`python -m bench.data [--scale 1.0]`: the bench data, in the database the environment
configures (DATABASE_URL, as for `flask`). Reused when present: a second run only adds what an
older run did not make."""

from __future__ import annotations

import argparse

from bench.data.organisation import generate_bench_data
from portal import create_app


def sizes(scale: float) -> dict[str, int]:
    """300 departments, 5,000 services, 100,000 people, a million requests, a million
    recognitions and 5,000 help articles at scale 1; never fewer than a handful."""
    return {
        "departments": max(3, int(300 * scale)),
        "services": max(10, int(5000 * scale)),
        "employees": max(10, int(100_000 * scale)),
        "requests": max(100, int(1_000_000 * scale)),
        "recognitions": max(100, int(1_000_000 * scale)),
        "articles": max(20, int(5000 * scale)),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.data", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size")
    scale = parser.parse_args(argv).scale
    app = create_app()
    with app.app_context():
        generate_bench_data(**sizes(scale), echo=lambda line: print(line, flush=True))


if __name__ == "__main__":
    main()
