"""The Persian normalizers' doctests: every module of the package has examples, and they all pass."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import streams.enrich.persian as persian

MODULES = [persian.__name__] + [f"{persian.__name__}.{m.name}" for m in pkgutil.iter_modules(persian.__path__)]


@pytest.mark.parametrize("name", MODULES)
def test_module_examples_pass(name: str) -> None:
    """doctest.testmod over the module finds examples and none fails."""
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no doctest examples"
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_every_public_normalizer_has_an_example() -> None:
    """Each public str → str function of the package shows at least one example in its docstring."""
    finder = doctest.DocTestFinder()
    missing = []
    for name in persian.__all__:
        obj = getattr(persian, name)
        if callable(obj) and not isinstance(obj, type):
            tests = finder.find(obj, name)
            if not any(t.examples for t in tests):
                missing.append(name)
    assert not missing, f"no doctest examples: {missing}"
