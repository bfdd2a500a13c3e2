"""scripts/bench-startup's table: medians per variant and command, each as a ratio to plain Java 17."""
import collections
import statistics
import sys

rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, op, wall, user, system, rss = line.split()
    rows[(name, op)].append((float(wall), float(user) + float(system), int(rss) / 1024))
ops = ["status", "plan", "check", "upload"]
names = sorted({n for n, _ in rows}, key=lambda n: (n != "j17", n))
out = [f"Start-up, medians of {max(len(x) for x in rows.values())} interleaved runs (load {sys.argv[2]}); "
       "ratios to plain Java 17 in the same run, below 1 is faster.", "",
       "| variant | " + " | ".join(f"{o}: wall, CPU, RSS" for o in ops) + " |", "|---" * (len(ops) + 1) + "|"]
for n in names:
    cells = []
    for o in ops:
        x, b = rows.get((n, o)), rows.get(("j17", o))
        if not x or not b:
            cells.append("-")
            continue
        w, c, r = (statistics.median(a[i] for a in x) for i in range(3))
        bw, bc = (statistics.median(a[i] for a in b) for i in range(2))
        cells.append(f"{w:.2f} s ({w / bw:.2f}x), {c:.2f} s ({c / bc:.2f}x), {r:.0f} MB")
    out.append(f"| {n} | " + " | ".join(cells) + " |")
text = "\n".join(out)
print(text)
if len(sys.argv) > 3:
    open(sys.argv[3], "w").write(text + "\n")
