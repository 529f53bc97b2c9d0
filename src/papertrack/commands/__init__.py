"""Command implementations; cli.py only parses options and dispatches here."""
