package dev.tufsh.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tufsh.errors.LockedError;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A status display ({@link PublishLock#holder}) racing writers in the same process, as SSH sessions
 * do: the probe's brief OS lock once collided with a writer taking the lock at that moment
 * (OverlappingFileLockException in the writer), which left the in-process entry behind and the
 * workspace locked for ever. Every take must either succeed or be refused, and nothing may be left
 * held.
 */
class PublishLockRaceTest {
  @TempDir Path dir;

  @Test
  void probes_racing_takes_leave_nothing_held() throws Exception {
    Workspace ws = Workspace.create(dir.resolve("repo"), Settings.pep458());
    AtomicBoolean stop = new AtomicBoolean();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    Thread prober = new Thread(() -> {
      while (!stop.get()) {
        try {
          PublishLock.holder(ws);
        } catch (RuntimeException e) {
          errors.add(e);
        }
      }
    });
    prober.start();
    int taken = 0;
    try {
      for (int i = 0; i < 2000; i++) {
        try (PublishLock l = PublishLock.acquire(ws, "writer " + i)) {
          taken++;
        } catch (LockedError e) {
          // refused while the probe looked: allowed, as long as it does not stick
        }
      }
    } finally {
      stop.set(true);
      prober.join();
    }
    assertEquals(List.of(), errors);
    assertNull(PublishLock.holder(ws), "the lock was left held");
    try (PublishLock l = PublishLock.acquire(ws, "last")) {
      taken++;
    }
    assertEquals(true, taken > 1000, taken + " of 2001 takes succeeded");
  }
}
