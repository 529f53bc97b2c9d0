"""The document model every rule, report and dashboard reads."""
