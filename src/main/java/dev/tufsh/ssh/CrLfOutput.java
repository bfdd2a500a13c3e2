package dev.tufsh.ssh;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** A pty's ONLCR output flag: each LF written goes out as CR LF (a CR LF already there stays as it is). */
final class CrLfOutput extends FilterOutputStream {
  private boolean lastWasCr;

  CrLfOutput(OutputStream out) {
    super(out);
  }

  @Override
  public void write(int b) throws IOException {
    if (b == '\n' && !lastWasCr) {
      out.write('\r');
    }
    out.write(b);
    lastWasCr = b == '\r';
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    // One write to the channel per call (a packet each, not a byte each): LFs expanded in a copy.
    int lfs = 0;
    for (int i = off; i < off + len; i++) {
      if (b[i] == '\n') {
        lfs++;
      }
    }
    if (lfs == 0) {
      out.write(b, off, len);
      if (len > 0) {
        lastWasCr = b[off + len - 1] == '\r';
      }
      return;
    }
    byte[] x = new byte[len + lfs];
    int n = 0;
    for (int i = off; i < off + len; i++) {
      if (b[i] == '\n' && !lastWasCr) {
        x[n++] = '\r';
      }
      x[n++] = b[i];
      lastWasCr = b[i] == '\r';
    }
    out.write(x, 0, n);
  }
}
