"""scripts/bench-pypi: tufsh against python-tuf and the machine's floor on a PyPI-like repository.

Each operation runs as a whole process (what a cron job runs), timed by /usr/bin/time: wall, CPU
(user + system) and peak RSS; then warm, inside one long-lived process (tufsh: a shell fed on stdin, the
marginal time per run after warm-up; python-tuf: K more runs in the same interpreter after one).
The floor of an operation: the metadata it must write (or, for verify and status, read) hashed,
signed and verified once, on all cores, plus writing it, at the rates floor.py measures.
"""

import argparse
import glob
import hashlib
import json
import os
import random
import shlex
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
TUFSH = os.path.join(ROOT, "scripts", "tufsh")
PEER = os.path.join(HERE, "peer.py")
OPS = ["build", "upload", "daily", "status", "verify", "incident", "verify-peer"]
WARM = ["upload", "daily", "status", "verify", "verify-peer"]


def target_list(path, n, seed=458):
    """PyPI-like targets: blake2b-style folders, project names, versions, lengths, sha256."""
    if os.path.exists(path):
        return
    rnd = random.Random(seed)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        for i in range(n):
            h = hashlib.sha256(i.to_bytes(8, "big")).hexdigest()
            name = f"project{rnd.randrange(400_000):06d}"
            ver = f"{rnd.randrange(10)}.{rnd.randrange(30)}.{rnd.randrange(100)}"
            ext = rnd.choice(("tar.gz", "zip", "whl"))
            fn = f"{name}-{ver}-py3-none-any.whl" if ext == "whl" else f"{name}-{ver}.{ext}"
            f.write(f"{h[:2]}/{h[2:4]}/{h[4:64]}/{fn} {rnd.randrange(1_000, 50_000_000)} {h}\n")
    os.replace(tmp, path)


def list_parts(path, limit=200 << 20):
    """The list split into files under the 256 MiB cap older builds put on 'target add --list' (2.27 M targets
    is 390 MB); a list is streamed now, any size, but --before may run an older build (--list-parts). Parts already there whose
    sizes add up to the list's are reused; new ones are written under a temporary name and renamed, so a run
    never truncates a part another run (through a link to a shared list) is reading."""
    size = os.path.getsize(path)
    if size <= limit:
        return [path]
    existing = sorted((p for p in glob.glob(glob.escape(path) + ".part*") if p[len(path) + 5:].isdigit()),
                      key=lambda p: int(p[len(path) + 5:]))
    if existing and sum(os.path.getsize(p) for p in existing) == size:
        return existing
    parts = []
    with open(path) as f:
        out = None
        for line in f:
            if out is None or out.tell() > limit:
                if out:
                    out.close()
                    os.replace(out.name, parts[-1])
                parts.append(f"{path}.part{len(parts)}")
                out = open(f"{parts[-1]}.tmp-{os.getpid()}", "w")
            out.write(line)
        out.close()
        os.replace(out.name, parts[-1])
    return parts


class Failed(Exception):
    """A measured command failed: the operation's row says so and the run goes on."""


def timed(cmd, env=None, stdout=subprocess.DEVNULL, script=None):
    """Runs cmd under /usr/bin/time, fed script on stdin (else none): (wall s, cpu s, peak RSS MB, stdout)."""
    out = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"bench-pypi-time-{os.getpid()}")
    feed = {"input": script} if script is not None else {"stdin": subprocess.DEVNULL}
    # Every command starts with nothing of an earlier one still to be written back (a build leaves
    # ~1 GB dirty): the disk's catching up would land on whichever tool runs next.
    os.sync()
    p = subprocess.run(["/usr/bin/time", "-o", out, "-f", "%e %U %S %M"] + cmd, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **feed)
    if p.returncode != 0:
        raise Failed(f"{' '.join(cmd)[:300]} failed ({p.returncode}): {p.stderr.strip()[-500:]}")
    with open(out) as f:
        wall, user, system, rss = f.read().split()[-4:]
    os.unlink(out)
    return float(wall), float(user) + float(system), int(rss) / 1024, p.stdout


class Tufsh:
    def __init__(self, launcher, repo, passfile):
        self.launcher, self.repo, self.passfile = launcher, repo, passfile

    def cmd(self, line):
        base = [self.launcher, "--repo", self.repo, "--passphrase-file", self.passfile, "--yes"]
        # One command goes as words: '-c status' reads 'status' as a command name, not -c's value.
        return base + (["-c", line] if ";" in line else shlex.split(line))

    def line(self, op, args, i=0):
        if op == "build":
            adds = "".join(f"target add --list {p}; " for p in args.parts)
            return f"init --bins {args.bins}; {adds}publish" if args.targets else f"init --bins {args.bins}; publish"
        if op == "upload":
            return f"target add --path upload/{i}/new-1.0.tar.gz --length 1234 --sha256 {'ab' * 32}; publish"
        if op == "daily":
            return "bump 'bin-*'; publish"
        if op == "status":
            return "status"
        if op == "verify":
            return "verify --no-targets"
        if op == "incident":
            return "revoke bin-n-1 --generate; publish"
        raise ValueError(op)

    def on(self, repo):
        """The same launcher on another repository (python-tuf's, read as a foreign repository)."""
        return Tufsh(self.launcher, repo, self.passfile)

    def once(self, op, args):
        return timed(self.cmd(self.line(op, args)))

    def shell(self, op, args, first, n):
        """A shell (no -c: the launcher's long-lived tiers, as the shell and 'serve' get) fed n runs on stdin."""
        script = "".join(c.strip() + "\n" for i in range(n) for c in self.line(op, args, first + i).split("; "))
        return timed([self.launcher, "--repo", self.repo, "--passphrase-file", self.passfile, "--yes"], script=script)

    def warm(self, op, args, k):
        """The marginal wall time of a run in one long-lived shell once warm: an upload after k uploads
        (what a server that has run for a while pays; its JIT has compiled the path), another operation
        after one run: (wall of w + k runs - wall of w runs) / k."""
        w = k if op == "upload" else 1
        first = self.shell(op, args, 1_000_000, w)
        more = self.shell(op, args, 2_000_000, w + k)
        return max(0.0, (more[0] - first[0]) / k)


class Peer:
    def __init__(self, python, repo):
        self.python, self.repo = python, repo

    def argv(self, op, args, i=0):
        if op == "build":
            return ["build", self.repo, str(args.bins), args.list if args.targets else os.devnull]
        if op == "upload":
            return ["upload", self.repo, f"upload/{i}/new-1.0.tar.gz", "1234", "ab" * 32]
        return [op, self.repo]

    def once(self, op, args):
        return timed([self.python, PEER] + self.argv(op, args))

    def warm(self, op, args, k):
        out = timed([self.python, PEER, "--repeat", str(k)] + self.argv(op, args, 1000), stdout=subprocess.PIPE)[3]
        return float(out.split()[-1])


def metadata_files(repo):
    d = os.path.join(repo, "metadata")
    return {n: os.stat(os.path.join(d, n)) for n in os.listdir(d)}


def newest_per_role(files):
    best = {}
    for n, st in files.items():
        parts = n.split(".", 1)
        if parts[0].isdigit():
            role = parts[1]
            if role not in best or int(parts[0]) > best[role][0]:
                best[role] = (int(parts[0]), st.st_size)
    return [size for _, size in best.values()]


def floor(rates, sizes_written, sizes_read):
    """Least seconds: sign + verify + sha256 what is written, verify what is read, all cores; write."""
    cores = rates["cores"]
    w = sum(sizes_written)
    r = sum(sizes_read)
    cpu = (len(sizes_written) * (rates["ed25519_sign_s"] + rates["ed25519_verify_s"])
           + w * (rates["ed25519_sign_s_per_byte"] + rates["ed25519_verify_s_per_byte"] + 1 / rates["sha256_bytes_per_s"])
           + len(sizes_read) * rates["ed25519_verify_s"] + r * rates["ed25519_verify_s_per_byte"])
    return cpu / cores + w / rates["write_bytes_per_s"]


def build_lists(args, limit=200 << 20):
    """The lists the build line adds: the whole list once (as the peer reads it), or its parts (--list-parts)."""
    return list_parts(args.list, limit) if args.list_parts else [args.list]


def parser():
    ap = argparse.ArgumentParser(prog="scripts/bench-pypi", description=__doc__.split("\n")[0])
    ap.add_argument("--targets", type=int, default=2_277_376, help="targets (default PyPI's 2,277,376; 0: empty bins)")
    ap.add_argument("--bins", type=int, default=16384)
    ap.add_argument("--ops", default=",".join(OPS), help="comma-separated subset of " + ",".join(OPS))
    ap.add_argument("--warm", type=int, default=3, help="warm runs per operation (0: none)")
    ap.add_argument("--warm-uploads", type=int, default=100,
                    help="warm uploads (after as many to warm tufsh's shell up; python-tuf: after one)")
    ap.add_argument("--warm-ops", default=",".join(WARM), help="operations also run warm (default: %(default)s)")
    ap.add_argument("--no-peer", action="store_true", help="tufsh only")
    ap.add_argument("--before", metavar="LAUNCHER",
                    help="another tufsh launcher (an older build's scripts/tufsh) to run side by side")
    ap.add_argument("--list-parts", action="store_true",
                    help="build with 'target add --list' once per part of the list under 200 MB, for a --before "
                         "build that caps a list at 256 MiB (before the streaming list intake); every tufsh launcher then "
                         "adds the parts. Default: the whole list in one 'target add --list', as python-tuf's "
                         "peer adds it (like for like)")
    ap.add_argument("--work", default=os.path.join(ROOT, "target", "bench-pypi"))
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--markdown", help="also write the table here as markdown, with the run's sizes and rates")
    return ap


def main():
    args = parser().parse_args()
    ops = [o for o in args.ops.split(",") if o]
    for o in ops:
        if o not in OPS:
            sys.exit(f"bench-pypi: unknown operation '{o}'; operations: {', '.join(OPS)}")
    if args.no_peer and "verify-peer" in ops:
        ops.remove("verify-peer")  # verify-peer: every tufsh verifies python-tuf's repository (the same bytes)
    os.makedirs(args.work, exist_ok=True)
    args.list = os.path.join(args.work, f"targets-{args.targets}.list")
    args.parts = []
    if args.targets:
        target_list(args.list, args.targets)
        args.parts = build_lists(args)
    run = os.path.join(args.work, f"run-{args.targets}")
    if os.path.exists(run):
        # Removing 10^5 files takes minutes on a busy disk: move the old run aside, remove it after.
        os.replace(run, os.path.join(args.work, f"old-{args.targets}-{os.getpid()}"))
    os.makedirs(run)
    passfile = os.path.join(run, "passphrase")
    with open(os.open(passfile, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
        f.write("bench-pypi passphrase\n")
    rates = json.loads(subprocess.check_output([args.python, os.path.join(HERE, "floor.py"), "rates",
                                                os.path.join(run, "floor")]))
    tools = {"tufsh": Tufsh(TUFSH, os.path.join(run, "tufsh"), passfile)}
    if args.before:
        tools["before"] = Tufsh(os.path.abspath(args.before), os.path.join(run, "before"), passfile)
    for t in tools.values():
        # Untimed: a launcher whose jar is older than its sources rebuilds it, and the first run after
        # a build trains its class-data archive; either inside a timed command made that row void.
        subprocess.run([t.launcher, "--version"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       stdin=subprocess.DEVNULL, check=True)
    if not args.no_peer:
        tools["python-tuf"] = Peer(args.python, os.path.join(run, "python-tuf"))
    head = (f"bench-pypi: {args.bins} bins, {args.targets} targets, {rates['cores']} cores; "
            f"sha256 {rates['sha256_bytes_per_s'] / 1e6:.0f} MB/s, ed25519 sign {rates['ed25519_sign_s'] * 1e6:.0f} us, "
            f"verify {rates['ed25519_verify_s'] * 1e6:.0f} us, write {rates['write_bytes_per_s'] / 1e6:.0f} MB/s; "
            f"load {os.getloadavg()[0]:.1f}")
    print(head, flush=True)
    results = []
    for op in (["build"] + [o for o in ops if o != "build"]):
        row = {"op": op}
        peer = tools.get("python-tuf")
        for name, tool in tools.items():
            if op == "verify-peer":
                tool = tool if tool is peer else tool.on(peer.repo)
            before = metadata_files(tool.repo) if op != "build" else {}
            try:
                wall, cpu, rss, _ = tool.once("verify" if op == "verify-peer" else op, args)
            except Failed as e:
                print(f"  {op}: {name}: {e}", flush=True)
                wall, cpu, rss = float("nan"), float("nan"), float("nan")
            row[name] = {"wall": wall, "cpu": cpu, "rss_mb": rss}
            if name == "tufsh":
                after = metadata_files(tool.repo)
                written = [st.st_size for n, st in after.items()
                           if n not in before or st.st_mtime_ns != before[n].st_mtime_ns]
                read = newest_per_role(after) if op in ("verify", "verify-peer") else []
                if op == "status":
                    read = [after["timestamp.json"].st_size]
                reads = op in ("verify", "status", "verify-peer")
                row["floor"] = floor(rates, written if not reads else [], read)
                row["written_mb"] = sum(written) / 1e6 if not reads else 0
        for name, tool in tools.items():
            if args.warm and op in args.warm_ops.split(",") and row[name]["wall"] == row[name]["wall"]:
                if op == "verify-peer":
                    tool = tool if tool is peer else tool.on(peer.repo)
                try:
                    k = args.warm_uploads if op == "upload" else args.warm
                    row[name]["warm"] = tool.warm("verify" if op == "verify-peer" else op, args, k)
                except Failed as e:
                    print(f"  {op} warm: {name}: {e}", flush=True)
        if op in ops:
            results.append(row)
            print(line(row), flush=True)
    print()
    print(table(results, [t for t in tools if t != "tufsh"]))
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(f"{head}.\n\nWall, CPU (user + system) and peak RSS of each whole process; warm: the marginal time of "
                    "one more run inside one long-lived process; verify-peer: tufsh verifying python-tuf's repository "
                    "(the same bytes python-tuf verifies). Ratios below 1 are tufsh faster.\n\n")
            f.write(table(results, [t for t in tools if t != "tufsh"]) + "\n")
    for old in os.listdir(args.work):
        if old.startswith("old-"):
            shutil.rmtree(os.path.join(args.work, old), ignore_errors=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"bins": args.bins, "targets": args.targets, "rates": rates, "results": results}, f, indent=1)


def line(row):
    return "  " + row["op"] + ": " + "; ".join(
        f"{name} {t['wall']:.2f} s wall, {t['cpu']:.2f} s CPU, {t['rss_mb']:.0f} MB"
        for name, t in row.items() if isinstance(t, dict))


def table(results, others):
    """One row an operation: each tool's figures, then tufsh's ratio to each other tool and to the floor."""
    names = ["tufsh"] + others
    head = "| operation | " + " | ".join(f"{n} wall / CPU / RSS | {n} warm" for n in names)
    head += "".join(f" | tufsh/{n} wall, CPU, warm" for n in others) + " | floor | tufsh/floor |"
    out = [head, "|" + "---|" * (2 + 2 * len(names) + len(others) + 2)]
    for r in results:
        t = r["tufsh"]
        cells = [r["op"]]
        for n in names:
            x = r[n]
            cells += [f"{x['wall']:.2f} s / {x['cpu']:.2f} s / {x['rss_mb']:.0f} MB", warm(x)]
        for n in others:
            x = r[n]
            ratio = f"{t['wall'] / max(x['wall'], 1e-3):.2f}x, {t['cpu'] / max(x['cpu'], 1e-3):.2f}x"
            if "warm" in t and "warm" in x and x["warm"] > 0:
                ratio += f", {t['warm'] / x['warm']:.2f}x"
            cells.append(ratio)
        cells += [f"{r['floor']:.3f} s", f"{t['wall'] / r['floor']:.1f}x" if r["floor"] > 0 else "-"]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def warm(t):
    return f"{t['warm'] * 1000:.0f} ms" if "warm" in t else "-"


if __name__ == "__main__":
    main()
