package dev.tufsh.bench;

import java.util.concurrent.Callable;

/**
 * One figure of a suite: a task run on {@code threads} threads (each with its own task from
 * {@code perThread}), reported in ops/s and, when {@code unitsPerOp} is set, in a second unit (MB/s
 * for byte throughput, targets/s for batch operations). {@code baseline} names the measurement of
 * the same suite it is compared with (by {@link #id}), or is null.
 *
 * <p>With {@code timeEachOp} (set by {@link #setupEachOp}), the runner calls {@link Setup#before}
 * on a task that implements {@link Setup} before every operation and times only the operation: for
 * operations that need untimed fresh state (a new empty repository, say). Otherwise operations run
 * back to back in one timed loop.
 */
public record Measurement(
    String name,
    int threads,
    String baseline,
    String unit,
    double unitsPerOp,
    boolean timeEachOp,
    Callable<Task> perThread) {

  /** Untimed work a {@link Task} needs before each operation when {@code timeEachOp} is set. */
  public interface Setup {
    void before() throws Exception;
  }

  public Measurement {
    if (threads < 1) {
      throw new IllegalArgumentException(name + ": threads must be at least 1");
    }
  }

  /** Unique within a suite, and what {@code baseline} names: the name, plus the threads if several. */
  public String id() {
    return id(name, threads);
  }

  static String id(String name, int threads) {
    return threads == 1 ? name : name + " [" + threads + " threads]";
  }

  /** A measurement whose task is safe to share between threads. */
  public static Measurement of(String name, Task task) {
    return new Measurement(name, 1, null, null, 0, false, () -> task);
  }

  /** A measurement that builds one task per thread (for tasks holding per-thread state). */
  public static Measurement perThread(String name, Callable<Task> perThread) {
    return new Measurement(name, 1, null, null, 0, false, perThread);
  }

  public Measurement threads(int n) {
    return new Measurement(name, n, baseline, unit, unitsPerOp, timeEachOp, perThread);
  }

  public Measurement baseline(String other) {
    return new Measurement(name, threads, other, unit, unitsPerOp, timeEachOp, perThread);
  }

  /** Reports MB/s as well, for {@code bytes} processed per operation. */
  public Measurement bytes(long bytes) {
    return units("MB/s", bytes / 1e6);
  }

  /** Reports {@code unit} as well, with {@code perOp} of it per operation (for example targets/s). */
  public Measurement units(String unitName, double perOp) {
    return new Measurement(name, threads, baseline, unitName, perOp, timeEachOp, perThread);
  }

  public Measurement setupEachOp() {
    return new Measurement(name, threads, baseline, unit, unitsPerOp, true, perThread);
  }
}
