package dev.tufsh.cli;

import java.util.List;

/**
 * Live completion candidates for positional parameters and option values, looked up by the
 * parameter's label ({@code ROLE}, {@code KEY}, ...) when the person presses Tab. Registered by
 * the application, which knows the workspace; the shell asks, the commands only name labels.
 */
public interface Completions {
  List<String> candidates(String paramLabel, Session session);

  Completions NONE = (label, session) -> List.of();
}
