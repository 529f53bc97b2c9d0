"""`papertrack watch`: a live picture of the paper, updated on every save."""
