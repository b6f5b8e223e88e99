"""Picture files made in memory for upload tests."""

import io
import zlib

from PIL import Image as PILImage


def picture_bytes(width=800, height=500, image_format="PNG"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 30, 30)).save(buffer, format=image_format)
    return buffer.getvalue()


def png_claiming_size(width, height):
    """A tiny PNG whose header claims ``width`` x ``height``: a decompression bomb's shape."""
    data = bytearray(picture_bytes(1, 1))
    data[16:20] = width.to_bytes(4, "big")
    data[20:24] = height.to_bytes(4, "big")
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")
    return bytes(data)
