package dev.tufsh.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.errors.WorkspaceError;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A failed run of parallel writes returns only once no task is still writing (DiskFullTest's CI flake). */
class ParallelWritesTest {
  private static final List<Integer> ITEMS = IntStream.range(0, 64).boxed().toList();

  @Test
  void a_failure_is_thrown_only_after_every_started_task_has_ended() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger started = new AtomicInteger();
    WorkspaceError e = assertThrows(WorkspaceError.class, () -> ParallelWrites.forEach(ITEMS, i -> {
      running.incrementAndGet();
      started.incrementAndGet();
      try {
        if (i == 31) { // on the worker's half: the caller's thread is then writing its own
          throw new WorkspaceError("cannot write item 31: no space left on device");
        }
        sleep(30); // a slow create still under way when item 0 fails
      } finally {
        running.decrementAndGet();
      }
    }));
    assertEquals("cannot write item 31: no space left on device", e.getMessage());
    assertEquals(0, running.get(), "a task was still writing when the failure reached the caller");
    assertTrue(started.get() < ITEMS.size(), "tasks not yet started still ran: " + started.get());
  }

  @Test
  void map_keeps_order_and_later_failures_are_suppressed_in_the_first() {
    assertEquals(IntStream.range(0, 1000).map(i -> i * 2).boxed().toList(), ParallelWrites.map(1000, i -> i * 2));
    WorkspaceError e = assertThrows(WorkspaceError.class, () -> ParallelWrites.map(8, i -> {
      sleep(20); // every task starts before any fails
      throw new WorkspaceError("cannot write " + i);
    }));
    assertTrue(e.getMessage().startsWith("cannot write "), e.getMessage());
    assertTrue(e.getSuppressed().length <= 4, "suppressed " + e.getSuppressed().length);
  }

  @Test
  void an_error_is_rethrown_as_itself() {
    assertThrows(StackOverflowError.class, () -> ParallelWrites.forEach(ITEMS, i -> {
      throw new StackOverflowError("deep");
    }));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException x) {
      Thread.currentThread().interrupt();
    }
  }
}
