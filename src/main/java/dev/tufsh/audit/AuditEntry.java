package dev.tufsh.audit;

import java.util.Map;

/**
 * One audited action: when, who (a local user or an SSH key's fingerprint and comment), from which
 * session, the command text, its outcome, and the role versions it published. Command text never
 * holds secrets: passphrases and PINs are never command-line arguments in tufsh.
 */
public record AuditEntry(
    String time, String actor, String session, String command, String outcome, Map<String, Integer> published) {
  public AuditEntry {
    published = published == null ? Map.of() : Map.copyOf(published);
  }
}
