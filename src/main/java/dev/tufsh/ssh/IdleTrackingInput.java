package dev.tufsh.ssh;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** A channel's input that reports every byte the client types, for the shell's idle timeout. */
final class IdleTrackingInput extends FilterInputStream {
  private final Runnable onInput;

  IdleTrackingInput(InputStream in, Runnable onInput) {
    super(in);
    this.onInput = onInput;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      onInput.run();
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n > 0) {
      onInput.run();
    }
    return n;
  }
}
