"""Everything that knows SQL. Imports nothing from Textual (a test checks)."""
