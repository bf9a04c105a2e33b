"""Analysis of results: figures (and, later, statistics and reports)."""
