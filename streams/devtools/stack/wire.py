"""Kafka wire protocol: just enough for ApiVersions and Metadata, to check a broker for real.

A broker that accepts a TCP connection may still be formatting its log or electing a controller;
asking for metadata over the protocol is what tells a ready broker of *this* cluster apart.
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "KafkaMetadata",
    "decode_api_versions",
    "decode_metadata",
    "encode_metadata_body",
    "encode_request",
    "kafka_metadata",
    "metadata_version",
]

_API_METADATA = 3
_API_VERSIONS = 18
_CLIENT_ID = b"khabar-stack"


@dataclass(frozen=True)
class KafkaMetadata:
    """What a broker says about its cluster."""

    cluster_id: str | None
    controller_id: int
    brokers: tuple[tuple[int, str, int], ...]  # (node id, host, port)


class _Reader:
    """Reads big-endian Kafka primitives from a response body."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def _take(self, fmt: str) -> int:
        (value,) = struct.unpack_from(fmt, self._data, self._pos)
        self._pos += struct.calcsize(fmt)
        return int(value)

    def int16(self) -> int:
        return self._take(">h")

    def int32(self) -> int:
        return self._take(">i")

    def string(self) -> str | None:
        size = self.int16()
        if size < 0:
            return None
        raw = self._data[self._pos : self._pos + size]
        if len(raw) != size:
            raise ValueError("truncated Kafka response")
        self._pos += size
        return raw.decode("utf-8")


def encode_request(api_key: int, api_version: int, correlation_id: int, body: bytes) -> bytes:
    """A size-prefixed request with a v1 (non-flexible) header."""
    header = struct.pack(">hhih", api_key, api_version, correlation_id, len(_CLIENT_ID)) + _CLIENT_ID
    payload = header + body
    return struct.pack(">i", len(payload)) + payload


def decode_api_versions(body: bytes) -> dict[int, tuple[int, int]]:
    """ApiVersions v0 response body (after the correlation id) -> {api key: (min, max)}."""
    reader = _Reader(body)
    error_code = reader.int16()
    if error_code not in (0, 35):  # 35: UNSUPPORTED_VERSION still lists the versions
        raise ValueError(f"ApiVersions failed with error code {error_code}")
    return {reader.int16(): (reader.int16(), reader.int16()) for _ in range(reader.int32())}


def metadata_version(versions: Mapping[int, tuple[int, int]]) -> int | None:
    """The highest non-flexible Metadata version (4..8) both sides speak, if any."""
    low, high = versions.get(_API_METADATA, (0, -1))
    best = min(high, 8)
    return best if best >= max(low, 4) else None


def encode_metadata_body(version: int) -> bytes:
    """Metadata v4-v8 request body asking for no topics' details and creating nothing."""
    body = struct.pack(">ib", 0, 0)  # empty topic list, allow_auto_topic_creation=false
    if version >= 8:
        body += struct.pack(">bb", 0, 0)  # no authorized-operations lists
    return body


def decode_metadata(body: bytes) -> KafkaMetadata:
    """Metadata v4-v8 response body (after the correlation id), up to the controller id."""
    reader = _Reader(body)
    reader.int32()  # throttle_time_ms
    brokers = []
    for _ in range(reader.int32()):
        node_id, host, port = reader.int32(), reader.string() or "", reader.int32()
        reader.string()  # rack
        brokers.append((node_id, host, port))
    cluster_id = reader.string()
    return KafkaMetadata(cluster_id=cluster_id, controller_id=reader.int32(), brokers=tuple(brokers))


def _recv_exact(sock: socket.socket, size: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = sock.recv(size - len(chunks))
        if not chunk:
            raise ConnectionError("broker closed the connection")
        chunks += chunk
    return bytes(chunks)


def _round_trip(sock: socket.socket, api_key: int, version: int, correlation_id: int, body: bytes) -> bytes:
    sock.sendall(encode_request(api_key, version, correlation_id, body))
    (size,) = struct.unpack(">i", _recv_exact(sock, 4))
    response = _recv_exact(sock, size)
    if struct.unpack_from(">i", response)[0] != correlation_id:
        raise ValueError("Kafka response for another request")
    return response[4:]


def kafka_metadata(port: int, timeout: float = 2.0) -> KafkaMetadata:
    """Ask the broker on 127.0.0.1:port for its cluster metadata (raises OSError/ValueError)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        versions = decode_api_versions(_round_trip(sock, _API_VERSIONS, 0, 1, b""))
        version = metadata_version(versions)
        if version is None:
            raise ValueError("broker speaks no Metadata version between 4 and 8")
        return decode_metadata(_round_trip(sock, _API_METADATA, version, 2, encode_metadata_body(version)))
