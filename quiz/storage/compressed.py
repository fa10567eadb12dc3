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


MAX_UNPACKED = 1 << 30
"""The most bytes a packed copy may unpack to (a backup is quiz's own, but a copy in a
tampered folder could declare gigabytes)."""


def unpack(data: bytes, limit: int | None = None) -> bytes:
    """The content of `pack`'s frame, which declares its size: at most `limit` bytes
    (MAX_UNPACKED if None), checked before anything is unpacked.

    Raises:
        ValueError: the frame is not zstd, is cut short, fails its checksum, does not declare
            its size or declares more than the limit.
    """
    bound = MAX_UNPACKED if limit is None else limit
    if sys.version_info >= (3, 14):
        from compression import zstd

        try:
            declared = zstd.get_frame_info(data).decompressed_size
            if declared is None or declared > bound:
                raise ValueError(f"it unpacks to more than {bound:,} bytes, or does not say")
            return zstd.decompress(data)
        except zstd.ZstdError as exc:
            raise ValueError(str(exc)) from None
    import zstandard

    try:
        declared = zstandard.frame_content_size(data)
        if declared < 0 or declared > bound:
            raise ValueError(f"it unpacks to more than {bound:,} bytes, or does not say")
        return zstandard.ZstdDecompressor().decompress(data, max_output_size=bound)
    except zstandard.ZstdError as exc:
        raise ValueError(str(exc)) from None
