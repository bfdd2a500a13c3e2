package dev.tufsh.ssh;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A channel's output that can be sealed: once the shell has written its last line and is about to
 * send its exit status, later writes (a late echo, a terminal reset on close) are dropped rather
 * than raced against the channel's close, where only their first bytes might get out.
 *
 * <p>Writes, flushes and the seal hold this stream's lock: sshd's channel stream treats a flush
 * that finds another one under way (the terminal's echo on its input thread) as done, so without
 * it the seal's flush could return, and the exit status go out, before the other flush had handed
 * its bytes to the session.
 */
final class SealableOutput extends FilterOutputStream {
  private boolean sealed;

  SealableOutput(OutputStream out) {
    super(out);
  }

  synchronized void seal() throws IOException {
    if (!sealed) {
      sealed = true;
      out.flush();
    }
  }

  @Override
  public synchronized void write(int b) throws IOException {
    if (!sealed) {
      out.write(b);
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) throws IOException {
    if (!sealed) {
      out.write(b, off, len);
    }
  }

  @Override
  public synchronized void flush() throws IOException {
    if (!sealed) {
      out.flush();
    }
  }
}
