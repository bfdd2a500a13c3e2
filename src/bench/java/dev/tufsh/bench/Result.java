package dev.tufsh.bench;

/**
 * The figures of one measurement: ops/s per round summarised as median, minimum and maximum, and the
 * ratio of its median to its baseline's (NaN without a baseline).
 */
public record Result(
    String suite,
    String name,
    int threads,
    double medianOps,
    double minOps,
    double maxOps,
    int rounds,
    long totalOps,
    String unit,
    double unitsPerOp,
    String baseline,
    double ratio) {

  public String id() {
    return Measurement.id(name, threads);
  }

  /** The median in the second unit, or NaN when the measurement has none. */
  public double medianUnits() {
    return unit == null ? Double.NaN : medianOps * unitsPerOp;
  }

  /** (max − min) / median: how far the rounds disagreed. */
  public double spread() {
    return medianOps == 0 ? Double.NaN : (maxOps - minOps) / medianOps;
  }

  Result withRatio(double r) {
    return new Result(
        suite, name, threads, medianOps, minOps, maxOps, rounds, totalOps, unit, unitsPerOp, baseline, r);
  }
}
