package dev.tufsh.ops;

import java.nio.file.Path;

/**
 * A list of targets, one a line, as {@code target add --list} reads it: the add reads the file in
 * chunks and hands its lines to {@link #parse} on several threads at once, so parse must keep no
 * state between lines.
 */
public interface TargetLines {
  /** The list file, as its errors name it ({@code FILE:LINE: ...}). */
  Path file();

  /**
   * The target on line {@code n} (counted from 1, the line without its end), or null for a line
   * that names none (blank, a comment); a bad line throws a {@link dev.tufsh.errors.UsageError}
   * naming the file and line. The spec has no origin: an error about it names the line.
   */
  TargetSpec parse(String line, int n);
}
