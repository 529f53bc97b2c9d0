"""Output formats; the only place that prints findings."""
