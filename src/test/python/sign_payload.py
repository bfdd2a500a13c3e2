"""Signs the canonical bytes 'tufsh sign export --payload' wrote, as a signer that is not a TUF tool would.

    python sign_payload.py PAYLOAD KEY.pem OUT.json

KEY.pem is an unencrypted PKCS#8 private key; OUT.json gets securesystemslib's detached signature
({"keyid": ..., "sig": ...}) for 'tufsh sign import --role ROLE --signature OUT.json'.
"""

import json
import sys

from cryptography.hazmat.primitives import serialization
from securesystemslib.signer import CryptoSigner, SSlibKey


def main() -> None:
    payload_file, key_file, out = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(key_file, "rb") as f:
        priv = serialization.load_pem_private_key(f.read(), password=None)
    signer = CryptoSigner(priv, SSlibKey.from_crypto(priv.public_key()))
    with open(payload_file, "rb") as f:
        signature = signer.sign(f.read())
    with open(out, "w", encoding="utf-8") as f:
        json.dump(signature.to_dict(), f)


if __name__ == "__main__":
    main()
