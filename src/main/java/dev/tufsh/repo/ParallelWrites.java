package dev.tufsh.repo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * File writes on every core that fail as a whole only once every task has ended. A parallel stream
 * rethrows the first task's exception at once while its other tasks still run: a caller that then
 * cleans up (removes the files a failed batch made, the temp files of a failed publish) races tasks
 * still creating files, and leaves one behind (DiskFullTest caught a staged folder left so in CI).
 * Here a task's failure is kept, the tasks not yet started skip their work, and the first failure is
 * thrown after the stream has ended, later ones suppressed in it.
 */
public final class ParallelWrites {
  private static final int SUPPRESSED_MAX = 4;

  private ParallelWrites() {}

  /** Runs {@code action} on each item, on every core; throws the first failure once all have ended. */
  public static <T> void forEach(Collection<T> items, Consumer<? super T> action) {
    Failures failures = new Failures();
    items.parallelStream().forEach(item -> failures.run(() -> action.accept(item)));
    failures.rethrow();
  }

  /** {@code make} of each index below {@code n}, in order, on every core; as {@link #forEach} on failure. */
  public static <R> List<R> map(int n, IntFunction<R> make) {
    Failures failures = new Failures();
    List<R> out = IntStream.range(0, n).parallel()
        .mapToObj(i -> failures.call(() -> make.apply(i))).toList();
    failures.rethrow();
    return out;
  }

  /** The failures of one run: the first, and up to a few more to suppress in it. */
  private static final class Failures {
    private final AtomicReference<Throwable> first = new AtomicReference<>();
    private final List<Throwable> later = new ArrayList<>();

    void run(Runnable task) {
      call(() -> {
        task.run();
        return null;
      });
    }

    <R> R call(java.util.function.Supplier<R> task) {
      if (first.get() != null) {
        return null; // the run failed: what is left is not worth starting
      }
      try {
        return task.get();
      } catch (RuntimeException | Error e) {
        if (!first.compareAndSet(null, e)) {
          synchronized (later) {
            if (later.size() < SUPPRESSED_MAX) {
              later.add(e);
            }
          }
        }
        return null;
      }
    }

    void rethrow() {
      Throwable e = first.get();
      if (e == null) {
        return;
      }
      synchronized (later) {
        later.forEach(e::addSuppressed);
      }
      if (e instanceof Error x) {
        throw x;
      }
      throw (RuntimeException) e;
    }
  }
}
