"""Signs the canonical bytes 'tufsh sign export --payload' wrote, as a signer that is not a TUF tool would.

    python sign_payload.py PAYLOAD KEY.pem OUT.json [PASSPHRASE-FILE]

KEY.pem is a PKCS#8 private key, encrypted under the first line of PASSPHRASE-FILE when one is
given ('tufsh key export-private' writes such a key); OUT.json gets securesystemslib's detached signature
({"keyid": ..., "sig": ...}) for 'tufsh sign import --role ROLE --signature OUT.json'.
"""

import json
import sys

from cryptography.hazmat.primitives import serialization
from securesystemslib.signer import CryptoSigner, SSlibKey


def main() -> None:
    payload_file, key_file, out = sys.argv[1], sys.argv[2], sys.argv[3]
    password = None
    if len(sys.argv) > 4:
        with open(sys.argv[4], "rb") as f:
            password = f.read().splitlines()[0]
    with open(key_file, "rb") as f:
        priv = serialization.load_pem_private_key(f.read(), password=password)
    signer = CryptoSigner(priv, SSlibKey.from_crypto(priv.public_key()))
    with open(payload_file, "rb") as f:
        signature = signer.sign(f.read())
    with open(out, "w", encoding="utf-8") as f:
        json.dump(signature.to_dict(), f)


if __name__ == "__main__":
    main()
