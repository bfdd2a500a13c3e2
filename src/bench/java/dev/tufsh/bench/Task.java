package dev.tufsh.bench;

/**
 * One operation to time. It returns its result so the runner can keep it alive (the JIT may not
 * drop work whose result is used). Each thread gets its own task, so tasks may hold state.
 */
@FunctionalInterface
public interface Task {
  Object run() throws Exception;
}
