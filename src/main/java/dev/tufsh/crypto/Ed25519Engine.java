package dev.tufsh.crypto;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chooses who computes an Ed25519 signature or verification: BouncyCastle, or AWS-LC through the
 * Amazon Corretto Crypto Provider ({@link NativeEd25519}) once a process has shown it does many.
 *
 * <p>Loading the native engine costs ~0.25-0.3 s of CPU (its library extracted and loaded, AWS-LC's
 * self tests, its key factory); each 30 KB bin then signs ~150 us and verifies ~90 us faster, a
 * 300-byte one ~55 us and ~50 us. So it loads only when a line is bulk: when a caller expects at
 * least {@link #BULK} operations ({@link #expect}), or once this process has done that many. It
 * loads on a daemon thread while BouncyCastle goes on signing, and is used from the first operation
 * after it is ready. If it does not load (another OS or CPU, a tmp folder mounted noexec, a failed
 * self test or known answer), BouncyCastle does everything, silently: {@link #describe} says why.
 * Either way the bytes are the same (Ed25519 signatures are deterministic) and so is what is
 * accepted ({@link NativeEd25519.Verifying}).
 *
 * <p>{@code -Dtufsh.ed25519=bc} never loads it; {@code =native} loads it at the first use and
 * waits for it (tests). {@code -Dtufsh.ed25519.trace=true} prints a line when it is ready or failed, and one at exit.
 */
public final class Ed25519Engine {
  /**
   * Operations a process must expect before the load pays: its ~0.3 s CPU over a saving of ~0.1 ms
   * per 30 KB operation. A 1,024-bin daily (2,048 signatures and verifications) stays on BouncyCastle.
   */
  static final int BULK = 4096;

  private static volatile String mode = System.getProperty("tufsh.ed25519", "auto");
  private static final AtomicInteger USES = new AtomicInteger();
  private static final Object LOCK = new Object();
  private static volatile NativeEd25519 ready;
  private static volatile String state = "bouncycastle";
  private static Thread loading;

  static {
    if (Boolean.getBoolean("tufsh.ed25519.trace")) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println(
          "tufsh: ed25519 engine at exit: " + state + ", " + USES.get() + " operations counted before it was ready")));
    }
  }

  private Ed25519Engine() {}

  /**
   * Says that about {@code operations} Ed25519 signatures or verifications follow in this process;
   * enough of them start loading the native engine now, so it is ready when they begin.
   */
  public static void expect(int operations) {
    if (operations >= BULK) {
      startLoading();
    }
  }

  /** The native engine when it is ready; null while it loads, when it failed, or is not wanted. */
  static NativeEd25519 forOne() {
    NativeEd25519 n = ready;
    if (n != null) {
      return mode.equals("bc") ? null : n;
    }
    if (mode.equals("native")) {
      startLoading();
      awaitLoaded();
      return ready;
    }
    if (USES.incrementAndGet() == BULK) {
      startLoading();
    }
    return null;
  }

  /** Sets the mode ({@code auto}, {@code bc}, {@code native}) for tests that compare the engines. */
  static void mode(String m) {
    mode = m;
  }

  /** Which engine this process uses now, and why not the native one when it failed. */
  public static String describe() {
    return state;
  }

  private static void startLoading() {
    if (mode.equals("bc")) {
      return;
    }
    synchronized (LOCK) {
      if (loading != null) {
        return;
      }
      loading = new Thread(Ed25519Engine::load, "tufsh-ed25519-native");
      loading.setDaemon(true);
      state = "bouncycastle (aws-lc loading)";
      loading.start();
    }
  }

  private static void load() {
    try {
      NativeEd25519 n = NativeEd25519.load();
      state = n.describe();
      ready = n;
    } catch (Throwable e) { // any failure, a linkage error included, leaves BouncyCastle in charge
      state = "bouncycastle (aws-lc unavailable: " + NativeEd25519.reason(e) + ")";
    }
    if (Boolean.getBoolean("tufsh.ed25519.trace")) {
      System.err.println("tufsh: ed25519 engine: " + state);
    }
  }

  /** Waits for the load started (tests, and the native mode). */
  static void awaitLoaded() {
    Thread t;
    synchronized (LOCK) {
      t = loading;
    }
    if (t == null) {
      return;
    }
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
