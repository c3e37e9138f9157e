"""`khabar demo`: the local stack, a worker, the sample articles, and a search for topic karabakh."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from streams.commands.produce import produce
from streams.commands.search import search
from streams.commands.stack import stack_up
from streams.commands.terminal import console, err_console, fail, get_settings
from streams.config import Settings
from streams.errors import KhabarError

__all__ = ["demo"]


def _samples_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "data" / "samples"


def _start_worker_process(log_file: Path) -> subprocess.Popen[bytes]:
    log_file.parent.mkdir(parents=True, exist_ok=True)
    fh = log_file.open("ab")
    return subprocess.Popen([sys.executable, "-m", "streams", "worker"], stdout=fh, stderr=subprocess.STDOUT,
                            start_new_session=True, env={**os.environ})


async def _searchable(settings: Settings, ids: list[str]) -> int:
    """How many of these document ids are searchable now (-1 while the engine is unreachable)."""
    from streams.sink.search import open_writer

    try:
        writer = await asyncio.to_thread(open_writer, settings)
    except KhabarError:
        return -1
    try:
        return await writer.count({"query": {"ids": {"values": ids}}})
    except KhabarError:
        return -1
    finally:
        await writer.close()


def _sample_ids(paths: list[Path]) -> list[str]:
    from streams.intake.decode import parse_article
    from streams.intake.files import RawInput, iter_inputs

    return [parse_article(x.doc).doc_id for p in paths for x in iter_inputs(p) if isinstance(x, RawInput)]


def demo(
    keep_worker: Annotated[bool, typer.Option(help="Leave the worker running afterwards.")] = False,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the articles to be searchable.")] = 180.0,
    engine: Annotated[str | None, typer.Option(
        "--engine", help="opensearch or elasticsearch (default: KHABAR_STACK_ENGINE, else opensearch).")] = None,
) -> None:
    """Stack up, worker in the background, produce the sample articles, wait, search topic karabakh."""
    from streams.intake.files import expand_paths

    stack_up(timeout=240.0, engine=engine)
    settings = get_settings()
    samples = expand_paths([_samples_dir()])
    ids = _sample_ids(samples)
    log_file = Path(settings.data_dir).parent / "logs" / "worker.log"
    proc = _start_worker_process(log_file)
    console.print(f"worker started (pid {proc.pid}, log {log_file})")
    try:
        try:
            produce(samples, topic=None, agency=None)
        except typer.Exit as exc:
            if exc.exit_code:
                raise
        deadline = time.monotonic() + timeout
        found = 0
        with Progress(TextColumn("[bold]searchable"), BarColumn(), MofNCompleteColumn(),
                      console=err_console) as prog:
            task = prog.add_task("wait", total=len(ids))
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    fail(f"the worker exited with code {proc.returncode}; see {log_file}")
                found = asyncio.run(_searchable(settings, ids))
                prog.update(task, completed=max(0, found))
                if found >= len(ids):
                    break
                time.sleep(1.0)
        if found < len(ids):
            fail(f"only {max(found, 0)} of {len(ids)} sample articles searchable after {timeout:.0f}s; "
                  f"see {log_file}")
        console.rule("khabar search --topic karabakh")
        search(None, topic="karabakh", person=None, speaker=None, agency=None, size=10, as_json=False)
    finally:
        if not keep_worker:
            _stop(proc)
            console.print("worker stopped; the stack keeps running (`khabar stack down` stops it)")
        else:
            console.print(f"worker keeps running (pid {proc.pid})")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
