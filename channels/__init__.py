"""Custom channel connectors, referenced from credentials files (see channels/telegram.py)."""
