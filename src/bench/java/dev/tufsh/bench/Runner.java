package dev.tufsh.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Times one measurement: a warm-up phase, then {@link Mode#rounds} rounds of fixed length. In each
 * phase every thread runs its task until the deadline (at least once); a round's rate is the sum of
 * the threads' ops / busy time. Busy time is wall-clock time, or with {@code cpuTime} the thread's
 * own CPU time: steadier on a machine other work keeps busy, but blind to work done on other threads
 * (garbage collection, JIT compilation), so it flatters allocation-heavy operations.
 */
final class Runner {
  /** Written once per phase so the JIT must keep the tasks' results. */
  static volatile Object sink;

  private Runner() {}

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  static Result run(String suite, Measurement m, Mode mode, boolean cpuTime) throws Exception {
    if (cpuTime && !THREADS.isCurrentThreadCpuTimeSupported()) {
      throw new IllegalStateException("this JVM cannot measure thread CPU time; run without --cpu-time");
    }
    ExecutorService pool = Executors.newFixedThreadPool(m.threads(), r -> {
      Thread t = new Thread(r, "bench-" + m.name());
      t.setDaemon(true);
      return t;
    });
    try {
      List<Task> tasks = new ArrayList<>();
      for (int i = 0; i < m.threads(); i++) {
        tasks.add(m.perThread().call());
      }
      if (mode.warmupMillis() > 0) {
        phase(pool, tasks, m.timeEachOp(), cpuTime, mode.warmupMillis());
      }
      double[] rates = new double[mode.rounds()];
      long total = 0;
      for (int r = 0; r < rates.length; r++) {
        Phase p = phase(pool, tasks, m.timeEachOp(), cpuTime, mode.roundMillis());
        rates[r] = p.rate;
        total += p.ops;
      }
      Arrays.sort(rates);
      int n = rates.length;
      double median = n % 2 == 1 ? rates[n / 2] : (rates[n / 2 - 1] + rates[n / 2]) / 2;
      return new Result(
          suite, m.name(), m.threads(), median, rates[0], rates[n - 1], n, total, m.unit(), m.unitsPerOp(),
          m.baseline(), Double.NaN);
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private record Phase(double rate, long ops) {}

  private record ThreadFigures(long ops, long busyNanos) {}

  private static Phase phase(
      ExecutorService pool, List<Task> tasks, boolean timeEachOp, boolean cpuTime, long millis) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    long[] deadline = new long[1];
    List<Future<ThreadFigures>> futures = new ArrayList<>();
    for (Task task : tasks) {
      futures.add(pool.submit(() -> {
        start.await();
        return timeEachOp ? eachOp(task, deadline[0], cpuTime) : loop(task, deadline[0], cpuTime);
      }));
    }
    deadline[0] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    start.countDown(); // publishes deadline[0] to the waiting threads
    double rate = 0;
    long ops = 0;
    for (Future<ThreadFigures> f : futures) {
      ThreadFigures t;
      try {
        t = f.get();
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception ex ? ex : e;
      }
      rate += t.ops * 1e9 / Math.max(1, t.busyNanos);
      ops += t.ops;
    }
    return new Phase(rate, ops);
  }

  private static ThreadFigures loop(Task task, long deadline, boolean cpuTime) throws Exception {
    long ops = 0;
    Object last = null;
    long c0 = cpuTime ? THREADS.getCurrentThreadCpuTime() : 0;
    long t0 = System.nanoTime();
    long now;
    do {
      last = task.run();
      ops++;
      now = System.nanoTime();
    } while (now < deadline);
    long busy = cpuTime ? THREADS.getCurrentThreadCpuTime() - c0 : now - t0;
    sink = last;
    return new ThreadFigures(ops, busy);
  }

  private static ThreadFigures eachOp(Task task, long deadline, boolean cpuTime) throws Exception {
    long ops = 0;
    long busy = 0;
    Object last = null;
    do {
      if (task instanceof Measurement.Setup s) {
        s.before();
      }
      long t0 = now(cpuTime);
      last = task.run();
      busy += now(cpuTime) - t0;
      ops++;
    } while (System.nanoTime() < deadline);
    sink = last;
    return new ThreadFigures(ops, busy);
  }

  private static long now(boolean cpuTime) {
    return cpuTime ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
  }
}
