package dev.tufsh.ssh;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A channel's output that can be sealed: once the shell has written its last line and is about to
 * send its exit status, later writes (a late echo, a terminal reset on close) are dropped rather
 * than raced against the channel's close, where only their first bytes might get out.
 */
final class SealableOutput extends FilterOutputStream {
  private volatile boolean sealed;

  SealableOutput(OutputStream out) {
    super(out);
  }

  void seal() throws IOException {
    out.flush();
    sealed = true;
  }

  @Override
  public void write(int b) throws IOException {
    if (!sealed) {
      out.write(b);
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (!sealed) {
      out.write(b, off, len);
    }
  }

  @Override
  public void flush() throws IOException {
    if (!sealed) {
      out.flush();
    }
  }
}
