"""Benchmarks and load scripts. They print figures and never assert times."""
