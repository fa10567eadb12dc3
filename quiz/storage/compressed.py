"""zstd frames with a checksum, for the copies a backup keeps (quiz.storage.folder).

Python 3.14's `compression.zstd` is used where there is one, the `zstandard` package elsewhere.
A frame carries a checksum of its content, so a damaged copy is refused, not restored.
"""

from __future__ import annotations

import sys

LEVEL = 1
"""zstd's fastest level: a backup is taken as a session starts, and higher levels save a
little space for much more time."""


def pack(data: bytes) -> bytes:
    """`data` as one zstd frame with its size and a checksum of its content."""
    if sys.version_info >= (3, 14):
        from compression import zstd

        options = {zstd.CompressionParameter.checksum_flag: 1}
        return zstd.compress(data, level=LEVEL, options=options)
    import zstandard

    return zstandard.ZstdCompressor(level=LEVEL, write_checksum=True).compress(data)


def unpack(data: bytes) -> bytes:
    """The content of `pack`'s frame.

    Raises:
        ValueError: the frame is not zstd, is cut short, or fails its checksum.
    """
    if sys.version_info >= (3, 14):
        from compression import zstd

        try:
            return zstd.decompress(data)
        except zstd.ZstdError as exc:
            raise ValueError(str(exc)) from None
    import zstandard

    try:
        return zstandard.ZstdDecompressor().decompress(data)
    except zstandard.ZstdError as exc:
        raise ValueError(str(exc)) from None
