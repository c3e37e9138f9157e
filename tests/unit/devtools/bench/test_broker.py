"""streams.devtools.bench.broker: reading (topic, partition) pairs out of a decoded group assignment."""

from __future__ import annotations

from typing import Any

import pytest

from streams.devtools.bench.broker import _partitions_in


class _Member:
    def __init__(self, assignment: Any) -> None:
        self.assignment = assignment


class _Decoded:
    def to_dict(self) -> dict[str, Any]:
        return {"topic": "t", "partitions": [9]}


@pytest.mark.parametrize(
    ("node", "pairs"),
    [
        ({"assignment": [("t", [0, 1]), ("u", [2])]}, [("t", 0), ("t", 1), ("u", 2)]),
        ({"x": {"topic": "t", "partitions": [3, 4]}, "y": [{"topic": "u", "partitions": [1]}]},
         [("t", 3), ("t", 4), ("u", 1)]),
        ([("t", [5]), ["t", [6, 7]], ("a", "b")], [("t", 5), ("t", 6), ("t", 7)]),
        (("t", [1], 3), []),
        ({"topic": 1, "partitions": [1]}, []),
        (None, []),
        ("t", []),
        (_Member([("t", [8])]), [("t", 8)]),
        (_Decoded(), [("t", 9)]),
    ],
)
def test_partitions_in(node: Any, pairs: list[tuple[str, int]]) -> None:
    """Pairs are found in dicts, (topic, [partitions]) tuples, and objects with to_dict or assignment."""
    assert list(_partitions_in(node)) == pairs
