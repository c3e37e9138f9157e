"""The house rules, checked: imports point down, modules stay small, the enrichment core stays pure,
and every data file and key is read by the code."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "streams"

# Floors, lowest first: a module may import its own floor and the floors below it, never above.
FLOORS = (
    ("streams.model", "streams.errors", "streams.config", "streams.backoff", "streams.resources"),
    ("streams.intake",),
    ("streams.enrich",),
    ("streams.sink",),
    ("streams.alerts",),
    ("streams.backfill",),
    ("streams.app",),
    ("streams.devtools",),
    ("streams.commands",),
    ("streams.cli", "streams.__main__"),
)
MAX_LINES = 400
# tables keyed by their entries (an agency, an entity id), not by named parts
_ENTRY_TABLES = frozenset({"agencies.yaml", "demonyms.yaml"})
MAX_COMPLEXITY = 15


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _floor(module: str) -> int:
    for level, prefixes in enumerate(FLOORS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return level
    raise AssertionError(f"{module} belongs to no floor: add its folder to FLOORS and to ARCHITECTURE.md")


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "data" not in p.relative_to(PACKAGE).parts)


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "streams":
                found |= {f"streams.{a.name}" for a in node.names}
            elif node.module.startswith("streams."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("streams.")}
    return found


def test_imports_point_down() -> None:
    """No module imports a floor above its own (intake and enrich import nothing of sink, app, commands...)."""
    upward = []
    for path in _sources():
        here = _module_name(path)
        for target in _imports(path):
            if _floor(target) > _floor(here):
                upward.append(f"{here} imports {target}")
    assert not upward, "imports pointing up:\n" + "\n".join(upward)


def test_modules_stay_small() -> None:
    """One job per module: none over about 400 lines."""
    big = [f"{p.relative_to(ROOT)} ({n})" for p in _sources()
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert not big, "modules over 400 lines: " + ", ".join(big)


def test_enrichment_functions_stay_simple() -> None:
    """No function in the enrichment core over cyclomatic complexity 15 (radon)."""
    out = subprocess.run([sys.executable, "-m", "radon", "cc", "-n", "C", "-s", "--json", "streams/enrich"],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    too_complex = [f"{path}:{block['lineno']} {block['name']} ({block['complexity']})"
                   for path, blocks in json.loads(out.stdout).items() for block in blocks
                   if block["complexity"] > MAX_COMPLEXITY]
    assert not too_complex, "\n".join(too_complex)


_CLOCKS = {("time", "time"), ("time", "perf_counter"), ("time", "monotonic"), ("time", "time_ns"),
           ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("date", "today")}


def _enrich_sources() -> list[Path]:
    return [p for p in _sources() if p.relative_to(PACKAGE).parts[0] == "enrich"]


@pytest.mark.parametrize("path", _enrich_sources(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_enrichment_core_reads_no_clock_and_keeps_no_state(path: Path) -> None:
    """Time comes in as an argument; no module of enrich/ reads the clock, declares a global or keeps a
    mutable table at module level (word tables live in streams/data/)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and (node.value.id, node.attr) in _CLOCKS:
            problems.append(f"line {node.lineno}: reads the clock ({node.value.id}.{node.attr})")
        if isinstance(node, ast.Global):
            problems.append(f"line {node.lineno}: global statement")
    for node in tree.body:
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            continue
        if isinstance(value, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)):
            problems.append(f"line {node.lineno}: mutable table at module level")
    assert not problems, "\n".join(problems)


def test_unit_tests_of_the_pure_core_need_no_server_client() -> None:
    """The enrichment and intake unit tests are collected with the Kafka and search clients absent."""
    code = ("import sys\n"
            "for name in ('kafka', 'aiokafka', 'faust', 'opensearchpy', 'elasticsearch'):\n"
            "    sys.modules[name] = None\n"
            "import pytest\n"
            "sys.exit(pytest.main(['--collect-only', '-q', '-p', 'no:cacheprovider', 'tests/unit/enrich',"
            " 'tests/unit/intake']))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]


def _data_files() -> list[Path]:
    data = PACKAGE / "data"
    return sorted(p for p in data.rglob("*") if p.is_file() and "samples" not in p.relative_to(data).parts)


def _code_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in _sources())


@pytest.mark.parametrize("path", _data_files(), ids=lambda p: str(p.relative_to(PACKAGE / "data")))
def test_every_data_file_and_key_is_read(path: Path) -> None:
    """Each word list or table under streams/data is loaded by the code, and each top-level key of a
    YAML table is named in the code (no drifted, unused keys)."""
    code = _code_text()
    relative = str(path.relative_to(PACKAGE / "data"))
    assert f'"{relative}"' in code or f'"{path.name}"' in code, f"{relative} is read by no module"
    if path.suffix in (".yaml", ".yml"):
        table = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(table, dict) and path.name not in _ENTRY_TABLES:  # keys that name a part of the table
            unused = [k for k in table if re.fullmatch(r"[a-z_]+", str(k)) and f'"{k}"' not in code
                      and f"'{k}'" not in code and not re.search(rf"^\s+{k}: ", code, re.M)]  # a field named so
            assert not unused, f"{relative}: keys no code reads: {unused}"
