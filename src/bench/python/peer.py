"""The python-tuf peer of scripts/bench-pypi: the same repository operations through python-tuf's
Metadata API, on the same layout tufsh writes (targets -> bins -> TAP 15 succinct bin-XXXX roles,
consistent snapshots, compact JSON), verifying every signature it makes as tufsh's publish does.

  peer.py build DIR BINS LIST      new repository with every target of LIST ('PATH LENGTH SHA256' lines)
  peer.py daily DIR                bump every bin (version, expiry), snapshot, timestamp
  peer.py upload DIR PATH LENGTH SHA256   add one target to its bin, snapshot, timestamp
  peer.py verify DIR               root -> timestamp -> snapshot -> targets -> bins -> every bin
  peer.py rescope DIR              re-delegate bins by hash prefixes in a repository built with paths ["*"]
  peer.py status DIR               every role's version and expiry
  peer.py incident DIR             replace the bin key: bins re-delegates, every bin re-signed
  --repeat K (before the operation) runs it K more times in the same process and prints the mean
  warm seconds of those ("warm S") on stdout.

Keys are unencrypted PEM files in DIR/keys (tufsh's are scrypt-encrypted: that unlock cost is
tufsh's alone). Writes go through python-tuf's own to_file (temp file, then rename).
"""

import os
import sys
import time
from datetime import datetime, timedelta, timezone

from cryptography.hazmat.primitives import serialization
from securesystemslib.signer import CryptoSigner
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

COMPACT = JSONSerializer(compact=True)
SPEC = "1.0.31"


def expiry(days):
    return (datetime.now(timezone.utc) + timedelta(days=days)).replace(microsecond=0)


class Repo:
    def __init__(self, d):
        self.dir = d
        self.meta = os.path.join(d, "metadata")
        self.keys = os.path.join(d, "keys")

    # keys ---------------------------------------------------------------
    def new_signer(self, name):
        s = CryptoSigner.generate_ed25519()
        pem = s._private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        fd = os.open(os.path.join(self.keys, name + ".pem"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
        return s

    def signer(self, name):
        with open(os.path.join(self.keys, name + ".pem"), "rb") as f:
            priv = serialization.load_pem_private_key(f.read(), None)
        return CryptoSigner(priv)

    # files --------------------------------------------------------------
    def path(self, role, version):
        return os.path.join(self.meta, f"{version}.{role}.json")

    def load(self, role, version):
        return Metadata.from_file(self.path(role, version))

    def write(self, role, md):
        md.to_file(self.path(role, md.signed.version), COMPACT)

    def timestamp(self):
        return Metadata.from_file(os.path.join(self.meta, "timestamp.json"))

    def snapshot(self, ts=None):
        ts = ts or self.timestamp()
        return self.load("snapshot", ts.signed.snapshot_meta.version)

    def root(self):
        return Metadata.from_file(os.path.join(self.meta, "root.json"))

    def finish(self, snap, changed, ts_md, root):
        """Snapshot lists the changed roles, timestamp names the new snapshot; both verified."""
        for role, version in changed.items():
            snap.signed.meta[role + ".json"] = MetaFile(version)
        snap.signed.version += 1
        snap.signed.expires = expiry(1)
        snap.signatures.clear()
        snap.sign(self.signer("snapshot"))
        root.verify_delegate("snapshot", snap)
        self.write("snapshot", snap)
        data = open(self.path("snapshot", snap.signed.version), "rb").read()
        ts_md.signed.snapshot_meta = MetaFile.from_data(snap.signed.version, data, ["sha256"])
        ts_md.signed.version += 1
        ts_md.signed.expires = expiry(1)
        ts_md.signatures.clear()
        ts_md.sign(self.signer("timestamp"))
        root.verify_delegate("timestamp", ts_md)
        ts_md.to_file(os.path.join(self.meta, "timestamp.json"), COMPACT)


def bins_delegation(keyid):
    """As tufsh delegates: every path, by all 16 hash prefixes ('*' would cover only paths without '/')."""
    return DelegatedRole("bins", [keyid], 1, True, path_hash_prefixes=[f"{i:x}" for i in range(16)])


def rescope(d):
    """Re-delegates 'bins' as bins_delegation does, in a repository an older peer built with paths ['*']."""
    r = Repo(d)
    root, ts = r.root(), r.timestamp()
    snap = r.snapshot(ts)
    top = r.load("targets", snap.signed.meta["targets.json"].version)
    old = top.signed.delegations.roles["bins"]
    top.signed.delegations.roles["bins"] = bins_delegation(old.keyids[0])
    top.signed.version += 1
    top.signatures.clear()
    top.sign(r.signer("targets"))
    root.verify_delegate("targets", top)
    r.write("targets", top)
    r.finish(snap, {"targets": top.signed.version}, ts, root)


def bin_width(bins):
    return len(f"{bins - 1:x}")


def build(d, bins, listing):
    r = Repo(d)
    os.makedirs(r.meta)
    os.makedirs(r.keys, mode=0o700)
    signers = {n: r.new_signer(n) for n in ("root", "targets", "snapshot", "timestamp", "bins", "bin-n")}
    root = Metadata(Root(expires=expiry(365), consistent_snapshot=True))
    for role in ("root", "targets", "snapshot", "timestamp"):
        root.signed.add_key(signers[role].public_key, role)
    root.sign(signers["root"])
    top = Metadata(Targets(expires=expiry(365)))
    top.signed.delegations = Delegations(keys={}, roles={})
    top.signed.delegations.keys[signers["bins"].public_key.keyid] = signers["bins"].public_key
    top.signed.delegations.roles["bins"] = bins_delegation(signers["bins"].public_key.keyid)
    bits = bins.bit_length() - 1
    succinct = SuccinctRoles([signers["bin-n"].public_key.keyid], 1, bits, "bin")
    bins_md = Metadata(Targets(expires=expiry(365)))
    bins_md.signed.delegations = Delegations(keys={}, succinct_roles=succinct)
    bins_md.signed.delegations.keys[signers["bin-n"].public_key.keyid] = signers["bin-n"].public_key
    per_bin = {name: {} for name in succinct.get_roles()}
    with open(listing) as f:
        for line in f:
            p, length, sha = line.split()
            per_bin[succinct.get_role_for_target(p)][p] = TargetFile(int(length), {"sha256": sha}, p)
    snap = Metadata(Snapshot(expires=expiry(1)))
    bin_signer = signers["bin-n"]
    for name, targets in per_bin.items():
        md = Metadata(Targets(expires=expiry(1), targets=targets))
        md.sign(bin_signer)
        bins_md.verify_delegate(name, md)
        r.write(name, md)
        snap.signed.meta[name + ".json"] = MetaFile(1)
    for role, md, by in (("bins", bins_md, top), ("targets", top, root)):
        md.sign(signers[role])
        by.verify_delegate(role, md)
        r.write(role, md)
        snap.signed.meta[role + ".json"] = MetaFile(1)
    root.verify_delegate("root", root)
    r.write("root", root)
    root.to_file(os.path.join(r.meta, "root.json"), COMPACT)
    snap.signed.version = 0
    ts = Metadata(Timestamp(expires=expiry(1)))
    ts.signed.version = 0
    r.finish(snap, {}, ts, root)


def resign_bins(r, snap, bins_md, signer):
    """Every bin as its next version with a fresh expiry, signed, verified, written."""
    changed = {}
    for name in bins_md.signed.delegations.succinct_roles.get_roles():
        md = r.load(name, snap.signed.meta[name + ".json"].version)
        md.signed.version += 1
        md.signed.expires = expiry(1)
        md.signatures.clear()
        md.sign(signer)
        bins_md.verify_delegate(name, md)
        r.write(name, md)
        changed[name] = md.signed.version
    return changed


def daily(d):
    r = Repo(d)
    root = r.root()
    ts = r.timestamp()
    snap = r.snapshot(ts)
    bins_md = r.load("bins", snap.signed.meta["bins.json"].version)
    r.finish(snap, resign_bins(r, snap, bins_md, r.signer("bin-n")), ts, root)


def upload(d, path, length, sha):
    r = Repo(d)
    root = r.root()
    ts = r.timestamp()
    snap = r.snapshot(ts)
    bins_md = r.load("bins", snap.signed.meta["bins.json"].version)
    name = bins_md.signed.delegations.succinct_roles.get_role_for_target(path)
    md = r.load(name, snap.signed.meta[name + ".json"].version)
    md.signed.targets[path] = TargetFile(int(length), {"sha256": sha}, path)
    md.signed.version += 1
    md.signed.expires = expiry(1)
    md.signatures.clear()
    md.sign(r.signer("bin-n"))
    bins_md.verify_delegate(name, md)
    r.write(name, md)
    r.finish(snap, {name: md.signed.version}, ts, root)


def verify(d):
    r = Repo(d)
    root = Metadata.from_file(r.path("root", 1))
    v = 2
    while os.path.exists(r.path("root", v)):
        new = r.load("root", v)
        root.verify_delegate("root", new)
        new.verify_delegate("root", new)
        root, v = new, v + 1
    now = datetime.now(timezone.utc)
    ts = r.timestamp()
    root.verify_delegate("timestamp", ts)
    data = open(r.path("snapshot", ts.signed.snapshot_meta.version), "rb").read()
    ts.signed.snapshot_meta.verify_length_and_hashes(data)
    snap = Metadata.from_bytes(data)
    root.verify_delegate("snapshot", snap)
    meta = snap.signed.meta
    top = r.load("targets", meta["targets.json"].version)
    root.verify_delegate("targets", top)
    bins_md = r.load("bins", meta["bins.json"].version)
    top.verify_delegate("bins", bins_md)
    count = 0
    for md in (ts, snap, top, bins_md):
        if md.signed.is_expired(now):
            raise SystemExit(f"{md.signed.type} expired")
    succinct = bins_md.signed.delegations.succinct_roles
    scope = top.signed.delegations.roles["bins"]
    for name in succinct.get_roles():
        md = r.load(name, meta[name + ".json"].version)
        bins_md.verify_delegate(name, md)
        if md.signed.version != meta[name + ".json"].version or md.signed.is_expired(now):
            raise SystemExit(f"{name}: wrong version or expired")
        for p in md.signed.targets:
            # The whole chain covers the path, as a client's lookup requires (and tufsh checks).
            if succinct.get_role_for_target(p) != name or not scope.is_delegated_path(p):
                raise SystemExit(f"{name}: {p} outside the bin")
        count += len(md.signed.targets)
    return count


def status(d):
    r = Repo(d)
    ts = r.timestamp()
    snap = r.snapshot(ts)
    out = {"timestamp": (ts.signed.version, ts.signed.expires), "snapshot": (snap.signed.version, snap.signed.expires)}
    for f, m in snap.signed.meta.items():
        role = f[: -len(".json")]
        md = r.load(role, m.version)
        out[role] = (md.signed.version, md.signed.expires)
    return out


def incident(d):
    r = Repo(d)
    root = r.root()
    ts = r.timestamp()
    snap = r.snapshot(ts)
    top = r.load("targets", snap.signed.meta["targets.json"].version)
    bins_md = r.load("bins", snap.signed.meta["bins.json"].version)
    new = r.new_signer("bin-n")
    dl = bins_md.signed.delegations
    old_ids = list(dl.succinct_roles.keyids)
    for kid in old_ids:
        del dl.keys[kid]
    dl.keys[new.public_key.keyid] = new.public_key
    dl.succinct_roles.keyids = [new.public_key.keyid]
    bins_md.signed.version += 1
    bins_md.signatures.clear()
    bins_md.sign(r.signer("bins"))
    top.verify_delegate("bins", bins_md)
    r.write("bins", bins_md)
    changed = {"bins": bins_md.signed.version}
    changed.update(resign_bins(r, snap, bins_md, new))
    r.finish(snap, changed, ts, root)


def main(argv):
    repeat = 0
    if argv[:1] == ["--repeat"]:
        repeat, argv = int(argv[1]), argv[2:]
    op, args = argv[0], argv[1:]
    ops = {"build": lambda: build(args[0], int(args[1]), args[2]), "daily": lambda: daily(args[0]),
           "upload": lambda: upload(*args), "verify": lambda: verify(args[0]), "status": lambda: status(args[0]),
           "incident": lambda: incident(args[0]), "rescope": lambda: rescope(args[0])}
    ops[op]()
    if repeat:
        start = time.perf_counter()
        for i in range(repeat):
            if op == "upload":
                upload(args[0], f"warm/{i}/{args[1]}", args[2], args[3])
            else:
                ops[op]()
        print(f"warm {(time.perf_counter() - start) / repeat:.4f}")


if __name__ == "__main__":
    main(sys.argv[1:])
