"""Bitstring Status List (W3C): one bit per credential, 1 when revoked, published as a GZIP-
compressed, base64url (multibase "u") string. Index 0 is the left-most bit of the first byte.

Each list holds LIST_SIZE bits, the minimum the specification sets so that a list says little
about any one credential. A credential's index is drawn at random in its list, and a new list
starts once the current one is half full, so a draw rarely hits a taken index.
"""

import base64
import gzip

LIST_SIZE = 131_072  # 16 KiB of bits


def encode(revoked: set[int], size: int = LIST_SIZE) -> str:
    bits = bytearray(size // 8)
    for index in revoked:
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same list always encodes to the same string.
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def is_set(encoded: str, index: int) -> bool:
    """The bit at `index` of an encoded list. ValueError if the string is not a list or the
    index lies outside it."""
    if not encoded.startswith("u"):
        raise ValueError("Not a multibase base64url string.")
    data = encoded[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
    if not 0 <= index < len(bits) * 8:
        raise ValueError("The index lies outside the list.")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
