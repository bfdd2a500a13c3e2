"""Writes a TUF repository in RSTUF's layout with python-tuf's own Metadata API, for tufsh's adoption test.

    python rstuf_repo.py OUT_DIR [--bits 8]

RSTUF (Repository Service for TUF, the service meant to run PEP 458 on PyPI) puts succinct hashed bins
directly in top-level targets (name_prefix "bins": bins-00 .. bins-ff for bit_length 8), signs root
offline and targets, snapshot, timestamp and every bin with one online key, lists targets by their
blake2b-256 hash only, and publishes consistent snapshots. This writes the same shape:

    OUT_DIR/metadata/1.root.json, root.json, 1.targets.json, 1.bins-XX.json, 1.snapshot.json, timestamp.json
    OUT_DIR/targets/packages/<blake2b-256>.<name> (and the plain name)
    OUT_DIR/keys/root.pem, online.pem (unencrypted PKCS#8, for 'tufsh key import'), root.pub.json (the
    root's public key as TUF lists it, for 'tufsh key add-offline')

One target, packages/rstuf-1.0.tar.gz, is listed in its bin. Prints one JSON line
{"root_keyid", "online_keyid", "target", "bin"}.
"""

import argparse
import hashlib
import json
import os
from datetime import datetime, timedelta, timezone

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from securesystemslib.signer import CryptoSigner, SSlibKey
from tuf.api.metadata import (
    DelegatedRole,
    Delegations,
    Metadata,
    MetaFile,
    Root,
    Snapshot,
    SuccinctRoles,
    TargetFile,
    Targets,
    Timestamp,
)
from tuf.api.serialization.json import JSONSerializer

TARGET = "packages/rstuf-1.0.tar.gz"
CONTENT = b"written by python-tuf in RSTUF's layout\n"


def key(keys_dir: str, name: str) -> CryptoSigner:
    priv = Ed25519PrivateKey.generate()
    pem = priv.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())
    path = os.path.join(keys_dir, name + ".pem")
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as f:
        f.write(pem)
    return CryptoSigner(priv, SSlibKey.from_crypto(priv.public_key()))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--bits", type=int, default=8)
    args = p.parse_args()
    meta_dir = os.path.join(args.out, "metadata")
    keys_dir = os.path.join(args.out, "keys")
    for d in (meta_dir, keys_dir, os.path.join(args.out, "targets", "packages")):
        os.makedirs(d, exist_ok=True)
    root_signer = key(keys_dir, "root")
    online = key(keys_dir, "online")
    with open(os.path.join(keys_dir, "root.pub.json"), "w", encoding="utf-8") as f:
        json.dump(root_signer.public_key.to_dict(), f)
    now = datetime.now(timezone.utc).replace(microsecond=0)

    root = Root(expires=now + timedelta(days=365), consistent_snapshot=True)
    root.add_key(root_signer.public_key, Root.type)
    for role in (Targets.type, Snapshot.type, Timestamp.type):
        root.add_key(online.public_key, role)

    succinct = SuccinctRoles(keyids=[online.public_key.keyid], threshold=1, bit_length=args.bits,
                             name_prefix="bins")
    targets = Targets(expires=now + timedelta(days=365))
    targets.delegations = Delegations(keys={online.public_key.keyid: online.public_key}, roles=None,
                                      succinct_roles=succinct)

    bins = {name: Targets(expires=now + timedelta(days=1)) for name in succinct.get_roles()}
    digest = hashlib.blake2b(CONTENT, digest_size=32).hexdigest()
    bin_name = succinct.get_role_for_target(TARGET)
    bins[bin_name].targets[TARGET] = TargetFile(length=len(CONTENT), hashes={"blake2b-256": digest}, path=TARGET)
    for name in (f"{digest}.rstuf-1.0.tar.gz", "rstuf-1.0.tar.gz"):
        with open(os.path.join(args.out, "targets", "packages", name), "wb") as f:
            f.write(CONTENT)

    ser = JSONSerializer(compact=True)
    snapshot = Snapshot(expires=now + timedelta(days=1))

    def write(md: Metadata, name: str) -> bytes:
        data = md.to_bytes(ser)
        with open(os.path.join(meta_dir, name), "wb") as f:
            f.write(data)
        return data

    for name, t in bins.items():
        md = Metadata(t)
        md.sign(online)
        write(md, f"1.{name}.json")
        snapshot.meta[f"{name}.json"] = MetaFile(version=1)
    md = Metadata(targets)
    md.sign(online)
    write(md, "1.targets.json")
    snapshot.meta["targets.json"] = MetaFile(version=1)
    md = Metadata(snapshot)
    md.sign(online)
    snap = write(md, "1.snapshot.json")
    ts = Timestamp(expires=now + timedelta(days=1),
                   snapshot_meta=MetaFile(version=1, length=len(snap),
                                          hashes={"sha256": hashlib.sha256(snap).hexdigest()}))
    md = Metadata(ts)
    md.sign(online)
    write(md, "timestamp.json")
    md = Metadata(root)
    md.sign(root_signer)
    data = write(md, "1.root.json")
    with open(os.path.join(meta_dir, "root.json"), "wb") as f:
        f.write(data)
    print(json.dumps({"root_keyid": root_signer.public_key.keyid, "online_keyid": online.public_key.keyid,
                      "target": TARGET, "bin": bin_name}))


if __name__ == "__main__":
    main()
