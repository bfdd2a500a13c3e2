package dev.tufsh.json;

import java.util.Arrays;

/** A growable byte buffer without the synchronisation of {@code ByteArrayOutputStream}. */
public final class ByteSink {
  private byte[] buf;
  private int size;

  public ByteSink(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  public void write(int b) {
    if (size == buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    buf[size++] = (byte) b;
  }

  /** Appends a string known to be ASCII. */
  public void writeAscii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[size++] = (byte) s.charAt(i);
    }
  }

  public void write(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, size, b.length);
    size += b.length;
  }

  /** Appends {@code b[from, to)}. */
  public void write(byte[] b, int from, int to) {
    ensure(to - from);
    System.arraycopy(b, from, buf, size, to - from);
    size += to - from;
  }

  private void ensure(int extra) {
    if (size + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
    }
  }

  public int size() {
    return size;
  }

  /** Empties the buffer, keeping its capacity (a scratch buffer used over and over). */
  public void clear() {
    size = 0;
  }

  /** Whether {@code other} holds exactly these bytes at {@code offset}. */
  public boolean regionMatches(byte[] other, int offset) {
    return offset >= 0 && offset + size <= other.length
        && Arrays.equals(buf, 0, size, other, offset, offset + size);
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }
}
