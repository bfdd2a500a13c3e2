package dev.tufsh.ssh;

import dev.tufsh.cli.Access;
import dev.tufsh.cli.Permissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The permissions of an SSH key: reading is open to every authorized key; a change is allowed when
 * every role it touches is covered by one of the key's globs. A glob in the access ({@code bump
 * bin-*}) is covered only by a glob at least as wide ({@code bin-*} or {@code *}); {@code *} in the
 * access (key management, init) only by {@code *}.
 */
final class KeyPermissions implements Permissions {
  private final KeyGrant grant;

  KeyPermissions(KeyGrant grant) {
    this.grant = grant;
  }

  @Override
  public void check(Access access) {
    if (!access.writes()) {
      return;
    }
    List<String> missing = new ArrayList<>();
    for (String role : access.roles()) {
      if (grant.roles().stream().noneMatch(g -> covers(g, role))) {
        missing.add(role.equals("*") ? "every role (*)" : role);
      }
    }
    if (!missing.isEmpty()) {
      String may = grant.readOnly() ? "may only read" : "may change " + String.join(", ", grant.roles());
      throw new Denied("key " + grant.label() + " " + may + "; '" + access.what() + "' needs "
          + String.join(", ", missing));
    }
  }

  /** Whether key glob {@code glob} covers every role that {@code role} (a name or a glob) names. */
  static boolean covers(String glob, String role) {
    if (glob.equals("*")) {
      return true;
    }
    if (!role.contains("*") && !role.contains("?")) {
      return matches(glob, role);
    }
    if (glob.equals(role)) {
      return true;
    }
    // A prefix glob ("bin-*") covers a narrower prefix glob ("bin-0*"); anything else is refused.
    int star = glob.indexOf('*');
    return star == glob.length() - 1 && glob.indexOf('?') < 0 && role.startsWith(glob.substring(0, star));
  }

  /** Shell-style glob match: {@code *} any run of characters, {@code ?} one character. */
  static boolean matches(String glob, String name) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(java.util.regex.Pattern.quote(String.valueOf(c)));
      }
    }
    return name.matches(re.toString());
  }
}
