"""Read a PNG's pixels in the tests, with zlib alone (8-bit RGB or RGBA, not interlaced)."""

from __future__ import annotations

import struct
import zlib

import numpy as np
from numpy.typing import NDArray

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def size(data: bytes) -> tuple[int, int]:
    """(width, height) from the header."""
    assert data[:8] == SIGNATURE, "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def pixels(data: bytes) -> NDArray[np.uint8]:
    """(height, width, channels) of the image."""
    assert data[:8] == SIGNATURE, "not a PNG"
    pos, idat = 8, b""
    width = height = channels = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunk = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
            assert depth == 8 and colour in (2, 6) and interlace == 0, "only 8-bit RGB(A)"
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows = np.zeros((height, stride), dtype=np.int64)
    previous = np.zeros(stride, dtype=np.int64)
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = np.frombuffer(raw[start + 1 : start + 1 + stride], dtype=np.uint8).astype(np.int64)
        if kind == 0:
            row = line
        elif kind == 2:
            row = (line + previous) % 256
        else:  # Sub, Average, Paeth depend on the pixel to the left: one at a time
            row = np.zeros(stride, dtype=np.int64)
            for x in range(stride):
                left = int(row[x - channels]) if x >= channels else 0
                up = int(previous[x])
                upper_left = int(previous[x - channels]) if x >= channels else 0
                if kind == 1:
                    guess = left
                elif kind == 3:
                    guess = (left + up) // 2
                else:
                    guess = _paeth(left, up, upper_left)
                row[x] = (int(line[x]) + guess) % 256
        rows[y] = row
        previous = row
    return rows.reshape(height, width, channels).astype(np.uint8)
