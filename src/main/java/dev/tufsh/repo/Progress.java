package dev.tufsh.repo;

/** Reports long work (signing 16384 bins) to whoever shows it: a progress bar, or nobody. */
@FunctionalInterface
public interface Progress {
  void report(String task, long done, long total);

  Progress NONE = (task, done, total) -> {};
}
