package dev.tufsh.runbook;

import dev.tufsh.errors.TufshException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A runbook: a plain text file of tufsh commands, one a line, {@code #} comments, and
 * {@code ${NAME}} variables. Nothing else to learn, so the steps rehearsed are the steps run.
 */
public record Runbook(Path file, List<Step> steps) {
  /** One command line of a runbook, with its 1-based line number in the file. */
  public record Step(int line, String text) {}

  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  public Runbook {
    steps = List.copyOf(steps);
  }

  /** Runbooks are typed by people: far below this. */
  static final long MAX_BYTES = 16L << 20;

  /** Reads {@code file}, expanding variables from {@code vars} first, then {@code env}. */
  public static Runbook read(Path file, Map<String, String> vars, Map<String, String> env) {
    List<String> lines;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new TufshException("runbook " + file + " is " + Files.size(file) + " bytes, more than the " + MAX_BYTES
            + " a runbook may be");
      }
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TufshException("cannot read runbook " + file + ": " + e.getMessage(), e);
    }
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String raw = lines.get(i).strip();
      if (raw.isEmpty() || raw.startsWith("#")) {
        continue;
      }
      steps.add(new Step(i + 1, expand(raw, vars, env, file, i + 1)));
    }
    return new Runbook(file, steps);
  }

  static String expand(String text, Map<String, String> vars, Map<String, String> env, Path file, int line) {
    Matcher m = VAR.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value = vars.containsKey(name) ? vars.get(name) : env.get(name);
      if (value == null) {
        throw new TufshException(
            file + ":" + line + ": variable ${" + name + "} is not set (use --var " + name + "=VALUE)");
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
