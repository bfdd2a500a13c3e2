package dev.tufsh.trust;

/**
 * Roles verified before (a publisher's index of what it published), by role name; null when
 * unknown. Must be thread-safe: the walk asks from several threads.
 */
@FunctionalInterface
public interface KnownRoles {
  KnownRoles NONE = role -> null;

  KnownRole get(String role);
}
