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

  /**
   * Whether a plain line is read as its three words: a line of printable ASCII made of three
   * words each separated by one space, none holding a quote, backslash, ';', '#', '%' or '?',
   * must give what {@code parse} gives for it, {@code TargetSpec.external(PATH,
   * Long.parseLong(LENGTH), Map.of("sha256", SHA256))}. Then the add reads such a line on its bytes
   * (no string, no spec made a line) when its length is digits and its hash 64 lowercase hex
   * digits, and hands every other line to {@code parse}.
   */
  default boolean plainLines() {
    return false;
  }
}
