package dev.tufsh.bench;

/** How long each measurement warms up and runs, and whether suites use full-size inputs. */
public enum Mode {
  /** The reference figures: enough rounds for a stable median. */
  FULL(1000, 1000, 5, false),
  /** A quick look: fewer, shorter rounds on full-size inputs. */
  QUICK(250, 250, 3, false),
  /** Only proves every measurement still runs: one short round on small inputs. */
  SMOKE(0, 20, 1, true);

  final long warmupMillis;
  final long roundMillis;
  final int rounds;
  final boolean smallInputs;

  Mode(long warmupMillis, long roundMillis, int rounds, boolean smallInputs) {
    this.warmupMillis = warmupMillis;
    this.roundMillis = roundMillis;
    this.rounds = rounds;
    this.smallInputs = smallInputs;
  }

  public long warmupMillis() {
    return warmupMillis;
  }

  public long roundMillis() {
    return roundMillis;
  }

  public int rounds() {
    return rounds;
  }
}
