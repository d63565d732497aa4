"""Minutes and action lists: Markdown, HTML and CSV."""
