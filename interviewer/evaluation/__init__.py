"""Evaluation: external labelled data sets and the project's own eval suites."""
