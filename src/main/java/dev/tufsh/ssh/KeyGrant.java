package dev.tufsh.ssh;

import java.util.List;

/**
 * What one authorized_keys line grants: the key's fingerprint and comment (who, for the audit
 * trail), the role globs its holder may change (none: read-only) and the line's sshd restrictions.
 */
public record KeyGrant(String fingerprint, String comment, List<String> roles, KeyRestrictions restrictions) {
  public KeyGrant {
    comment = comment == null ? "" : comment.strip();
    roles = List.copyOf(roles);
    restrictions = restrictions == null ? KeyRestrictions.NONE : restrictions;
  }

  public KeyGrant(String fingerprint, String comment, List<String> roles) {
    this(fingerprint, comment, roles, KeyRestrictions.NONE);
  }

  KeyGrant restricted(KeyRestrictions r) {
    return new KeyGrant(fingerprint, comment, roles, r);
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
