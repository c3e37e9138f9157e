"""streams.devtools.bench.growth: the hostile shapes, and ratios of time per byte (no timing asserted)."""

from __future__ import annotations

import pytest

from streams.devtools.bench.growth import SHAPES, GrowthResult, bench_growth, shape_text


@pytest.mark.parametrize("shape", list(SHAPES))
def test_shape_text_reaches_its_size(shape: str) -> None:
    """Each shape is just over the size asked, and the same text every time."""
    text = shape_text(shape, 8 * 1024)
    assert 8 * 1024 <= len(text.encode("utf-8")) < 10 * 1024
    assert text == shape_text(shape, 8 * 1024)


def test_shapes_are_what_they_say() -> None:
    """One paragraph of many quotes; short lines in an open «; no space at all; many credits."""
    quotes = shape_text("quotes", 16 * 1024)
    assert "\n" not in quotes and quotes.count("«") > 30
    wrapped = shape_text("wrapped_open_quote", 16 * 1024)
    assert wrapped.startswith("«") and wrapped.count("\n") > 50 and "\n\n" not in wrapped
    assert " " not in shape_text("no_spaces", 16 * 1024)
    assert shape_text("credits", 16 * 1024).count("به نقل از") > 30
    assert shape_text("quote_paragraphs", 16 * 1024).count("\n\n") > 30


def test_ratios_and_figures() -> None:
    """Time per byte over that at the first size; a skipped size has no figure; the worst ratio leads."""
    result = GrowthResult((1024, 4096), {"a": [1.0, 8.0], "b": [2.0, None]}, {"a": [1024, 4096], "b": [1024, 4096]})
    assert result.ratios("a") == [1.0, 2.0] and result.ratios("b") == [1.0, None]
    assert result.as_dict() == {
        "growth_sizes_kib": [1, 4], "growth_worst_ratio": 2.0, "growth_skipped": ["b"],
        "growth": {"a": {"ms_per_kib": [1000.0, 2000.0], "ratio": [2.0]},
                   "b": {"ms_per_kib": [2000.0, None], "ratio": [None]}},
    }


def test_bench_growth_times_each_shape_and_size() -> None:
    """Every shape and size is timed and advanced; past the limit, larger sizes are skipped."""
    steps: list[int] = []
    notes: list[str] = []
    result = bench_growth((2048, 4096), shapes=("prose", "credits"), repeats=1, advance=steps.append,
                          note=notes.append)
    assert notes == ["prose", "credits"] and len(steps) == 4
    assert all(s is not None and s > 0 for secs in result.seconds.values() for s in secs)
    skipped = bench_growth((2048, 4096), shapes=("prose",), repeats=1, limit_s=0.0)
    assert skipped.seconds["prose"][1] is None and skipped.ratios("prose")[1] is None
