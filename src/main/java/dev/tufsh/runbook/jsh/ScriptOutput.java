package dev.tufsh.runbook.jsh;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Sends a script's {@code System.out} and {@code System.err} to its session's output. JShell's
 * local engine runs snippets in this JVM (on threads it starts from the evaluating one), where
 * {@code System.out} is the process's; so the process streams are replaced once by streams that
 * write to the evaluating session's output when one is set for the thread, and pass through
 * otherwise. Concurrent scripts (SSH sessions) each keep their own output.
 */
final class ScriptOutput {
  private static final InheritableThreadLocal<PrintStream> TARGET = new InheritableThreadLocal<>();
  private static boolean installed;

  private ScriptOutput() {}

  static synchronized void install() {
    if (installed) {
      return;
    }
    System.setOut(routed(System.out));
    System.setErr(routed(System.err));
    installed = true;
  }

  /** Routes this thread's (and threads it starts from now on) output to {@code out}; null ends it. */
  static void route(PrintStream out) {
    if (out == null) {
      TARGET.remove();
    } else {
      TARGET.set(out);
    }
  }

  private static PrintStream routed(PrintStream original) {
    OutputStream o = new OutputStream() {
      private OutputStream target() {
        PrintStream t = TARGET.get();
        return t != null ? t : original;
      }

      @Override
      public void write(int b) {
        try {
          target().write(b);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) {
        try {
          target().write(b, off, len);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }

      @Override
      public void flush() {
        try {
          target().flush();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };
    return new PrintStream(o, true, StandardCharsets.UTF_8);
  }
}
