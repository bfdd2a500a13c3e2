"""Adds a signature to a metadata file with python-tuf, as an offline key holder would.

    python sign_metadata.py FILE KEY.pem

FILE is what 'tufsh sign export' wrote; KEY.pem an unencrypted PKCS#8 private key. The file is
rewritten by python-tuf's serializer with the new signature appended, for 'tufsh sign import'.
"""

import sys

from cryptography.hazmat.primitives import serialization
from securesystemslib.signer import CryptoSigner, SSlibKey
from tuf.api.metadata import Metadata


def main() -> None:
    path, key_file = sys.argv[1], sys.argv[2]
    with open(key_file, "rb") as f:
        priv = serialization.load_pem_private_key(f.read(), password=None)
    signer = CryptoSigner(priv, SSlibKey.from_crypto(priv.public_key()))
    md = Metadata.from_file(path)
    md.sign(signer, append=True)
    md.to_file(path)


if __name__ == "__main__":
    main()
