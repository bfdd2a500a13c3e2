package dev.tufsh.audit;

import java.util.Map;

/**
 * One audited action: when, who (a local user or an SSH key's fingerprint and comment), from which
 * session, the command text, its outcome, and the role versions it published. A command that changes
 * anything leaves two entries: an {@link #intent} before its first write, and its outcome, which
 * names the intent's sequence number ({@code intent}, 0 for a single-entry record). Command text
 * never holds secrets: passphrases and PINs are never command-line arguments in tufsh.
 */
public record AuditEntry(
    String time, String actor, String session, String command, String outcome, Map<String, Integer> published,
    long intent) {
  /** The outcome of an intent record. */
  public static final String INTENT = "intent";

  public AuditEntry {
    published = published == null ? Map.of() : Map.copyOf(published);
  }

  /** A single record (a read-only command, a refusal): no intent before it. */
  public AuditEntry(
      String time, String actor, String session, String command, String outcome, Map<String, Integer> published) {
    this(time, actor, session, command, outcome, published, 0);
  }

  /** What a command is about to do, appended before its first write. */
  public static AuditEntry intent(String time, String actor, String session, String command) {
    return new AuditEntry(time, actor, session, command, INTENT, Map.of(), 0);
  }

  /** The outcome of the command whose intent is line {@code intentSeq}. */
  public AuditEntry outcomeOf(long intentSeq) {
    return new AuditEntry(time, actor, session, command, outcome, published, intentSeq);
  }
}
