"""Drives python-tuf's ngclient against a served TUF repository, as tufsh's interop tests need it.

Same arguments and output as src/test/js/refresh.mjs:

    python refresh.py --metadata-url URL [--targets-url URL] --root FILE --cache DIR
                      [--target PATH]... [--out DIR]

--root is copied to CACHE/root.json unless the cache already holds one (a client that has run
before trusts what it has). Prints one JSON line {ok, error, targets: [{path, length, sha256}]}
and exits 0 on success, 1 on any error.
"""

import argparse
import hashlib
import json
import os
import shutil
import sys

from tuf.ngclient import Updater, UpdaterConfig


def run(args: argparse.Namespace) -> list:
    cache = os.path.abspath(args.cache)
    out = os.path.abspath(args.out or os.path.join(cache, "targets"))
    os.makedirs(cache, exist_ok=True)
    os.makedirs(out, exist_ok=True)
    if not os.path.exists(os.path.join(cache, "root.json")):
        shutil.copyfile(args.root, os.path.join(cache, "root.json"))
    updater = Updater(
        metadata_dir=cache,
        metadata_base_url=args.metadata_url,
        target_base_url=args.targets_url,
        target_dir=out,
        config=UpdaterConfig(),
        bootstrap=None,
    )
    updater.refresh()
    done = []
    for path in args.target:
        info = updater.get_targetinfo(path)
        if info is None:
            raise LookupError(f"target '{path}' is not listed in the repository")
        file = os.path.abspath(os.path.join(out, path))
        if not file.startswith(out + os.sep):
            raise ValueError(f"target '{path}' would be written outside {out}")
        os.makedirs(os.path.dirname(file), exist_ok=True)
        updater.download_target(info, file)
        with open(file, "rb") as f:
            data = f.read()
        done.append({"path": path, "length": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    return done


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--metadata-url", required=True)
    p.add_argument("--targets-url")
    p.add_argument("--root", required=True)
    p.add_argument("--cache", required=True)
    p.add_argument("--target", action="append", default=[])
    p.add_argument("--out")
    args = p.parse_args()
    try:
        targets = run(args)
    except Exception as e:  # noqa: BLE001 - every failure is reported as one JSON line
        msg = " ".join(f"{type(e).__name__}: {e}".split())
        print(json.dumps({"ok": False, "error": msg, "targets": []}))
        return 1
    print(json.dumps({"ok": True, "error": None, "targets": targets}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
