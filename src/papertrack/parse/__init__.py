"""Parsing LaTeX and BibTeX files into per-file facts."""
