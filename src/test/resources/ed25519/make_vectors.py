"""Writes pyca-vectors.txt: Ed25519 signatures made by pyca/cryptography (OpenSSL) over random keys and
messages, for Ed25519CrossCheckTest. A message is `length` bytes of SHA-512 in counter mode over its
seed (SHA-512(seed || counter as 4 big-endian bytes), concatenated), so the file holds no message bytes.
Run: target/pyvenv/bin/python src/test/resources/ed25519/make_vectors.py > src/test/resources/ed25519/pyca-vectors.txt"""
import hashlib
import os

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def message(seed: bytes, length: int) -> bytes:
    out = bytearray()
    counter = 0
    while len(out) < length:
        out += hashlib.sha512(seed + counter.to_bytes(4, "big")).digest()
        counter += 1
    return bytes(out[:length])


print("# key seed, public key, message length, signature (hex); message = SHA-512 counter mode over the key seed")
for length in [0, 1, 2, 63, 64, 65, 127, 128, 129, 1000, 4096, 29_999, 30_000, 30_001, 31_744, 40_000]:
    seed = os.urandom(32)
    key = Ed25519PrivateKey.from_private_bytes(seed)
    pub = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    print(seed.hex(), pub.hex(), length, key.sign(message(seed, length)).hex())
