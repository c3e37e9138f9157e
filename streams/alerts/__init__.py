"""Tracked-figure alerts: the watchlist, one alert per story, webhook delivery.

``watchlist`` and ``dedupe`` are pure (figures, matching, shingle sketches, the per-figure
ledger); ``webhook`` posts alerts; ``store`` reads and writes the watchlist and alert topics for
the CLI. The worker's wiring is :mod:`streams.app.alerting`.
"""

from streams.alerts.dedupe import Ledger, Mention, Sketch, story_text
from streams.alerts.watchlist import Figure, FigureMatch, FigureMatcher, WatchlistError, custom_figure, resolve_figure
from streams.alerts.webhook import WebhookSender

__all__ = [
    "Figure",
    "FigureMatch",
    "FigureMatcher",
    "Ledger",
    "Mention",
    "Sketch",
    "WatchlistError",
    "WebhookSender",
    "custom_figure",
    "resolve_figure",
    "story_text",
]
