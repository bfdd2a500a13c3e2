package dev.tufsh.ssh;

import java.util.List;

/**
 * What one authorized_keys line grants: the key's fingerprint and comment (who, for the audit
 * trail) and the role globs its holder may change. No globs means read-only.
 */
public record KeyGrant(String fingerprint, String comment, List<String> roles) {
  public KeyGrant {
    comment = comment == null ? "" : comment.strip();
    roles = List.copyOf(roles);
  }

  /** The actor recorded in the audit log and in locks: {@code ssh:SHA256:... comment}. */
  public String actor() {
    return "ssh:" + fingerprint + (comment.isEmpty() ? "" : " " + comment);
  }

  /** How a refusal names the key: its comment, else its fingerprint. */
  public String label() {
    return comment.isEmpty() ? fingerprint : comment;
  }

  public boolean readOnly() {
    return roles.isEmpty();
  }
}
