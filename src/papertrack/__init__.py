"""papertrack: how done is your LaTeX paper, really."""

__version__ = "0.1.0"
