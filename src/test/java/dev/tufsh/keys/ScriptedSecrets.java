package dev.tufsh.keys;

import dev.tufsh.crypto.Secret;
import dev.tufsh.crypto.SecretSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A {@link SecretSource} that answers from a script, as a person at a prompt would, and records
 * every question (purpose and confirm flag) so tests can count prompts.
 */
public final class ScriptedSecrets implements SecretSource {
  public record Ask(String purpose, boolean confirm) {}

  private final Deque<String> answers = new ArrayDeque<>();
  private final String fallback;
  private final List<Ask> asked = new ArrayList<>();

  /** Always answers {@code passphrase}. */
  public ScriptedSecrets(String passphrase) {
    this.fallback = passphrase;
  }

  /** Answers these in order, then the last one forever. */
  public static ScriptedSecrets answering(String... answers) {
    ScriptedSecrets s = new ScriptedSecrets(answers[answers.length - 1]);
    s.answers.addAll(List.of(answers));
    return s;
  }

  @Override
  public synchronized Secret secret(String purpose, boolean confirm) {
    asked.add(new Ask(purpose, confirm));
    String a = answers.isEmpty() ? fallback : answers.poll();
    return new Secret(a.toCharArray());
  }

  public synchronized List<Ask> asked() {
    return List.copyOf(asked);
  }

  public synchronized int count() {
    return asked.size();
  }
}
