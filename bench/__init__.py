"""Benchmarks (not tests): a corpus generator, a runner (`make bench`) and the results.

Nothing here is imported by gongwen or by the test suite, and nothing here asserts timings.
"""
