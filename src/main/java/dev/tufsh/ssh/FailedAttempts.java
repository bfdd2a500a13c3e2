package dev.tufsh.ssh;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds what unauthenticated clients cost, per source address: the first few failures in a window
 * are audited one by one, later ones only counted (and reported once, when the source is blocked);
 * after {@code limit} failures in a window the source's new connections are closed at once, before
 * key exchange, until the window ends. Memory is bounded too: at most {@code MAX_SOURCES} sources
 * are tracked, expired windows first to go.
 */
final class FailedAttempts {
  static final int AUDITED_PER_WINDOW = 3;
  private static final int MAX_SOURCES = 10_000;

  private final int limit;
  private final Duration window;
  private final Clock clock;
  private final Map<String, Window> sources = new ConcurrentHashMap<>();

  private static final class Window {
    final Instant start;
    int failures;
    boolean reported;

    Window(Instant start) {
      this.start = start;
    }
  }

  FailedAttempts(int limit, Duration window, Clock clock) {
    this.limit = limit;
    this.window = window;
    this.clock = clock;
  }

  /** Whether new connections from {@code source} are refused now. */
  boolean blocked(String source) {
    Window w = current(source, false);
    return w != null && w.failures >= limit;
  }

  /**
   * Counts one failure from {@code source}; returns what to audit about it: {@code AUDIT} (audit
   * this one), {@code BLOCKED} (audit that the source is now blocked), or {@code COUNT} (nothing).
   */
  Verdict fail(String source) {
    Window w = current(source, true);
    synchronized (w) {
      w.failures++;
      if (w.failures <= AUDITED_PER_WINDOW) {
        return Verdict.AUDIT;
      }
      if (w.failures >= limit && !w.reported) {
        w.reported = true;
        return Verdict.BLOCKED;
      }
      return Verdict.COUNT;
    }
  }

  /** Failures counted for {@code source} in its current window. */
  int failures(String source) {
    Window w = current(source, false);
    return w == null ? 0 : w.failures;
  }

  Duration window() {
    return window;
  }

  enum Verdict {
    AUDIT,
    BLOCKED,
    COUNT
  }

  private Window current(String source, boolean create) {
    Instant now = clock.instant();
    Window w = sources.get(source);
    if (w != null && !now.isBefore(w.start.plus(window))) {
      sources.remove(source, w);
      w = null;
    }
    if (w == null && create) {
      if (sources.size() >= MAX_SOURCES) {
        evict(now);
      }
      w = sources.computeIfAbsent(source, s -> new Window(now));
    }
    return w;
  }

  private void evict(Instant now) {
    for (Iterator<Window> it = sources.values().iterator(); it.hasNext(); ) {
      if (!now.isBefore(it.next().start.plus(window))) {
        it.remove();
      }
    }
    if (sources.size() >= MAX_SOURCES) {
      sources.clear(); // a flood from that many sources: forget them rather than grow
    }
  }
}
