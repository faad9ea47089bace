"""`make bench`: bench/run.py runs it; bench/queries.py counts each page's SQL queries."""
