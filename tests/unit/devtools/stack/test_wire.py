"""streams.devtools.stack.wire: Kafka request framing and the ApiVersions/Metadata responses."""

from __future__ import annotations

import struct

import pytest

from streams.devtools.stack.wire import (
    KafkaMetadata,
    decode_api_versions,
    decode_metadata,
    encode_metadata_body,
    encode_request,
    metadata_version,
)


def _kafka_string(value: str | None) -> bytes:
    if value is None:
        return struct.pack(">h", -1)
    raw = value.encode()
    return struct.pack(">h", len(raw)) + raw


def test_encode_request_frames_header_and_body() -> None:
    """Requests are size-prefixed with api key, version, correlation id and client id."""
    frame = encode_request(18, 0, 7, b"BODY")
    (size,) = struct.unpack_from(">i", frame)
    assert size == len(frame) - 4
    assert struct.unpack_from(">hhih", frame, 4) == (18, 0, 7, len(b"khabar-stack"))
    assert frame.endswith(b"khabar-stack" + b"BODY")


def test_decode_api_versions() -> None:
    """ApiVersions v0 lists (min, max) per api key."""
    body = struct.pack(">hi", 0, 2) + struct.pack(">hhh", 3, 4, 13) + struct.pack(">hhh", 18, 0, 4)
    assert decode_api_versions(body) == {3: (4, 13), 18: (0, 4)}


def test_decode_api_versions_unsupported_version_still_lists() -> None:
    """UNSUPPORTED_VERSION (35) still carries the broker's version ranges."""
    body = struct.pack(">hi", 35, 1) + struct.pack(">hhh", 18, 0, 3)
    assert decode_api_versions(body) == {18: (0, 3)}


def test_decode_api_versions_error() -> None:
    """A broker error other than UNSUPPORTED_VERSION is reported."""
    with pytest.raises(ValueError, match="error code 41"):
        decode_api_versions(struct.pack(">hi", 41, 0))


@pytest.mark.parametrize(
    ("versions", "expected"),
    [({3: (4, 13)}, 8), ({3: (0, 5)}, 5), ({3: (9, 13)}, None), ({}, None), ({3: (0, 3)}, None)],
)
def test_metadata_version_choice(versions: dict[int, tuple[int, int]], expected: int | None) -> None:
    """The highest non-flexible Metadata version (4..8) the broker speaks is used."""
    assert metadata_version(versions) == expected


def test_encode_metadata_body() -> None:
    """Metadata asks for no topics and never creates any; v8 adds two flags."""
    assert encode_metadata_body(4) == struct.pack(">ib", 0, 0)
    assert encode_metadata_body(8) == struct.pack(">ibbb", 0, 0, 0, 0)


def test_decode_metadata() -> None:
    """Brokers, cluster id and controller id are read from a Metadata v4-v8 response."""
    body = (
        struct.pack(">i", 0)  # throttle
        + struct.pack(">i", 1)
        + struct.pack(">i", 1)
        + _kafka_string("127.0.0.1")
        + struct.pack(">i", 9092)
        + _kafka_string(None)
        + _kafka_string("abcdefghijklmnopqrstuv")
        + struct.pack(">i", 1)
        + struct.pack(">i", 0)  # topics
    )
    meta = decode_metadata(body)
    assert meta == KafkaMetadata("abcdefghijklmnopqrstuv", 1, ((1, "127.0.0.1", 9092),))


def test_decode_metadata_truncated() -> None:
    """A cut-off response is an error, not a half-filled result."""
    with pytest.raises((ValueError, struct.error)):
        decode_metadata(struct.pack(">ii", 0, 1) + struct.pack(">i", 1) + struct.pack(">h", 9) + b"127")
