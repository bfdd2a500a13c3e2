"""The machine's floor for scripts/bench-pypi: what hashing, Ed25519 and writing cost here, measured
with OpenSSL's implementations (hashlib, pyca/cryptography), the fastest this machine has.

  floor.py rates DIR   prints the rates as JSON (DIR: scratch folder for the write test)

Figures are per core; the bench divides CPU work by the core count ("on all cores").
"""

import hashlib
import json
import os
import sys
import time

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def per_call(fn, min_seconds=0.5):
    """Seconds one call of fn takes, over at least min_seconds of calls."""
    n, start = 0, time.perf_counter()
    while True:
        fn()
        n += 1
        took = time.perf_counter() - start
        if took >= min_seconds:
            return took / n


def rate(fn, nbytes):
    """Bytes a second when one call of fn handles nbytes."""
    return nbytes / per_call(fn)


def rates(scratch):
    mb = os.urandom(1 << 20)
    key = Ed25519PrivateKey.generate()
    pub = key.public_key()
    small = b"x" * 64
    sig_small = key.sign(small)
    sig_mb = key.sign(mb)
    sign_fixed = per_call(lambda: key.sign(small))
    verify_fixed = per_call(lambda: pub.verify(sig_small, small))
    # Per byte: a 1 MiB message against a 64-byte one (Ed25519 hashes the message with SHA-512).
    sign_byte = max(0.0, (per_call(lambda: key.sign(mb)) - sign_fixed) / len(mb))
    verify_byte = max(0.0, (per_call(lambda: pub.verify(sig_mb, mb)) - verify_fixed) / len(mb))
    # Writing: 30 KB files (a PyPI bin's size), created, written and closed, no fsync. The best of
    # three half-second rounds, each into new files: one round read 48 MB/s and the next 256 on
    # the same machine, while the disk still wrote back a previous run's files (a floor is the least).
    chunk = os.urandom(30_000)
    os.makedirs(scratch, exist_ok=True)
    write = 0.0
    for round_ in range(3):
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < 0.5:
            with open(os.path.join(scratch, f"{round_}-{count % 4096}.json"), "wb") as f:
                f.write(chunk)
            count += 1
        write = max(write, count * len(chunk) / (time.perf_counter() - start))
    # The files stay (the run's folder is removed after the next run): deleting ~10^4 files just
    # before a timed build slowed it by 25% (ext4 with discard: 17.8 s vs 14.2 s for the same jar).
    return {
        "cores": os.cpu_count(),
        "sha256_bytes_per_s": rate(lambda: hashlib.sha256(mb).digest(), len(mb)),
        "sha512_bytes_per_s": rate(lambda: hashlib.sha512(mb).digest(), len(mb)),
        "ed25519_sign_s": sign_fixed,
        "ed25519_verify_s": verify_fixed,
        "ed25519_sign_s_per_byte": sign_byte,
        "ed25519_verify_s_per_byte": verify_byte,
        "write_bytes_per_s": write,
    }


if __name__ == "__main__":
    if sys.argv[1:2] != ["rates"] or len(sys.argv) != 3:
        sys.exit("usage: floor.py rates DIR")
    print(json.dumps(rates(sys.argv[2])))
