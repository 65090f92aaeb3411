"""Bench data: a large organisation, a million requests and a million recognitions, inserted
in bulk into the database the app is configured with. Not part of the product: the product's
`flask` command does not know it. Run it as `python -m bench.data --scale 1.0` (see
bench/README.md); bench/measure.py does."""

from bench.data.organisation import generate_bench_data

__all__ = ["generate_bench_data"]
