package dev.tufsh.cli;

import java.util.List;

/**
 * What a command is about to do, so a session's {@link Permissions} can allow or refuse it before
 * it runs: read only, or change the named roles ({@code bin-*} style globs allowed; {@code *}
 * means any role, including root).
 */
public record Access(boolean writes, List<String> roles, String what) {
  public Access {
    roles = List.copyOf(roles);
  }

  public static Access read() {
    return new Access(false, List.of(), "read");
  }

  /** Changes {@code roles}; {@code what} names the action in a refusal ("rotate a key of root"). */
  public static Access writes(String what, List<String> roles) {
    return new Access(true, roles, what);
  }

  /** Changes anything: key management, init, settings. */
  public static Access admin(String what) {
    return new Access(true, List.of("*"), what);
  }
}
