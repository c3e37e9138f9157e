"""Fixtures of the fault scenarios: one :class:`Scenario` per test, cleaned up afterwards."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from kafka import KafkaAdminClient
from opensearchpy import OpenSearch

from streams.devtools.stack import Stack
from tests.chaos.harness import Scenario
from tests.support import drop_index


@pytest.fixture
def scenario(stack: Stack, search_client: OpenSearch, run_id: str, tmp_path: Path
             ) -> Iterator[Callable[..., Scenario]]:
    made: list[Scenario] = []

    def make(name: str, **kwargs: str | int) -> Scenario:
        s = Scenario(name, run_id, stack, search_client, tmp_path, **kwargs)  # type: ignore[arg-type]
        made.append(s)
        return s

    yield make
    for s in made:
        s.stop_all()
        if os.environ.get("KHABAR_KEEP_CHAOS"):
            continue
        # the data of a finished scenario only takes room on the shared stack
        try:
            drop_index(search_client, s.alias)
            admin = KafkaAdminClient(bootstrap_servers=stack.config.kafka_bootstrap)
            try:
                topics = [t for t in admin.list_topics() if t.startswith(f"{s.prefix}.")]
                if topics:
                    admin.delete_topics(topics)
            finally:
                admin.close()
        except Exception as exc:  # noqa: BLE001 -- cleanup is best effort; the verdict is already in
            print(f"[chaos {s.name}] cleanup: {type(exc).__name__}: {exc}")
