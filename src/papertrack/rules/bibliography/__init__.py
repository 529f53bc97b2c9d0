"""PT207-PT213: the bibliography as the style will print it (cited entries only)."""

# importing the rule modules registers their rules
from papertrack.rules.bibliography import fields, text  # noqa: F401
