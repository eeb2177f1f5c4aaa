"""One widget a file; each renders from plain numbers through a pure function."""
