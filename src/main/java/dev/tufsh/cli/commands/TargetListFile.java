package dev.tufsh.cli.commands;

import dev.tufsh.cli.CommandText;
import dev.tufsh.errors.TufshException;
import dev.tufsh.errors.UsageError;
import dev.tufsh.ops.TargetSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The targets of a {@code target add --list} file, one a line: {@code PATH FILE}, or
 * {@code PATH LENGTH SHA256} for a file kept elsewhere; words as in a runbook (a path with spaces is
 * quoted), blank lines and {@code #} comments skipped. Read as it is iterated, a line at a time, so
 * a list of millions is never held; each iteration reads the file again. A bad line is a one-line
 * error naming the file and line.
 */
final class TargetListFile implements Iterable<TargetSpec>, dev.tufsh.ops.TargetLines, AutoCloseable {
  private final Path list;
  /** Readers not yet at their end: a failed add stops iterating midway, and {@link #close} closes them. */
  private final List<Lines> open = new ArrayList<>();

  TargetListFile(Path list) {
    this.list = list;
  }

  @Override
  public Path file() {
    return list;
  }

  /** Whether the list names no target (only blank lines and comments). */
  boolean isEmpty() {
    Iterator<TargetSpec> it = iterator();
    try {
      return !it.hasNext();
    } finally {
      ((Lines) it).close();
    }
  }

  @Override
  public Iterator<TargetSpec> iterator() {
    try {
      Lines l = new Lines(Files.newBufferedReader(list, StandardCharsets.UTF_8));
      open.add(l);
      return l;
    } catch (IOException e) {
      throw new UsageError("cannot read " + list + ": " + e.getMessage());
    }
  }

  @Override
  public void close() {
    new ArrayList<>(open).forEach(Lines::close);
  }

  /**
   * The words of {@code line}: split at white space when it has no quote, escape, ';' or '#' (the
   * common case), in one pass over its characters: a list of 2.27 M lines spent 6% of a build here.
   */
  static List<String> words(String line) {
    List<String> out = new ArrayList<>(3);
    int from = -1;
    int n = line.length();
    for (int i = 0; i <= n; i++) {
      boolean space;
      if (i == n) {
        space = true;
      } else {
        char c = line.charAt(i);
        if (c == '\'' || c == '"' || c == '\\' || c == ';' || c == '#') {
          return CommandText.words(line);
        }
        // Only these ranges hold white space: most characters of a path skip the lookup.
        space = (c <= ' ' || c >= 0x80) && Character.isWhitespace(c);
      }
      if (space && from >= 0) {
        out.add(line.substring(from, i));
        from = -1;
      } else if (!space && from < 0) {
        from = i;
      }
    }
    return out;
  }

  /** A plain line's words are split at its spaces ({@link #words}), and three are PATH LENGTH SHA256. */
  @Override
  public boolean plainLines() {
    return true;
  }

  @Override
  public TargetSpec parse(String line, int n) {
    String l = line.strip();
    if (l.isEmpty() || l.startsWith("#")) {
      return null;
    }
    List<String> w;
    try {
      w = words(l);
    } catch (TufshException e) {
      throw new UsageError(list + ":" + n + ": " + e.getMessage());
    }
    if (w.size() == 2) {
      return TargetSpec.ofFile(w.get(0), list.resolveSibling(w.get(1)));
    }
    if (w.size() == 3) {
      try {
        return TargetSpec.external(w.get(0), Long.parseLong(w.get(1)), Map.of("sha256", w.get(2)));
      } catch (NumberFormatException e) {
        throw new UsageError(list + ":" + n + ": length '" + w.get(1) + "' is not a number"
            + " (quote a path that has spaces)");
      }
    }
    throw new UsageError(list + ":" + n + ": expected 'PATH FILE' or 'PATH LENGTH SHA256', found "
        + w.size() + (w.size() == 1 ? " word" : " words") + " (quote a path that has spaces)");
  }

  /** The list's targets, read a line at a time; the file is closed at its end. */
  private final class Lines implements Iterator<TargetSpec>, AutoCloseable {
    private final BufferedReader in;
    private TargetSpec next;
    private int n;
    private boolean done;

    Lines(BufferedReader in) {
      this.in = in;
    }

    @Override
    public boolean hasNext() {
      while (next == null && !done) {
        String line;
        try {
          line = in.readLine();
        } catch (IOException e) {
          close();
          throw new UsageError("cannot read " + list + ": " + e.getMessage());
        }
        if (line == null) {
          close();
          break;
        }
        n++;
        try {
          TargetSpec s = parse(line, n);
          next = s == null ? null : s.from(list + ":" + n);
        } catch (RuntimeException e) {
          close();
          throw e;
        }
      }
      return next != null;
    }

    @Override
    public TargetSpec next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      TargetSpec s = next;
      next = null;
      return s;
    }

    @Override
    public void close() {
      done = true;
      open.remove(this);
      try {
        in.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
