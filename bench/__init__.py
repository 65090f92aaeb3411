"""Load benchmarks and their data generators; not part of the product (see README.md)."""
