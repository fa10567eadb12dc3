"""Reading protobuf messages, as much as Anki's packages need: a notetype's kind (its config)
and the media list of a current package. No schema: fields by number."""

from __future__ import annotations

from collections.abc import Iterator


def fields(data: bytes) -> Iterator[tuple[int, int, int | bytes]]:
    """(field number, wire type, value) of each field of a message; a fixed-width field (wire
    types 1 and 5) is skipped, its value given as 0.

    Raises:
        ValueError: the message is cut short or has a wire type protobuf no longer writes.
    """
    position = 0
    while position < len(data):
        key, position = _varint(data, position)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, position = _varint(data, position)
            yield number, wire, value
        elif wire == 2:
            length, position = _varint(data, position)
            if position + length > len(data):
                raise ValueError("the message is cut short")
            yield number, wire, data[position : position + length]
            position += length
        elif wire in (1, 5):
            position += 8 if wire == 1 else 4
            if position > len(data):
                raise ValueError("the message is cut short")
            yield number, wire, 0
        else:
            raise ValueError(f"wire type {wire} at byte {position}")


def varint(data: bytes, number: int, default: int = 0) -> int:
    """The varint field `number` (`default` when absent, the last one when repeated, as
    protobuf reads it)."""
    result = default
    for found, wire, value in fields(data):
        if found == number and wire == 0 and isinstance(value, int):
            result = value
    return result


def string(data: bytes, number: int) -> str:
    """The string field `number` ("" when absent, the last one when repeated)."""
    text = ""
    for found, wire, value in fields(data):
        if found == number and wire == 2 and isinstance(value, bytes):
            text = value.decode("utf-8")
    return text


def messages(data: bytes, number: int) -> Iterator[bytes]:
    """Each embedded message in field `number`, in order."""
    for found, wire, value in fields(data):
        if found == number and wire == 2 and isinstance(value, bytes):
            yield value


def _varint(data: bytes, position: int) -> tuple[int, int]:
    """The varint at `position` and the position after it."""
    result, shift = 0, 0
    while True:
        if position >= len(data) or shift > 63:
            raise ValueError("the message is cut short")
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, position
        shift += 7
