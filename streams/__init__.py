"""Khabar: Persian news-agency copy in, enriched searchable documents out."""
