package dev.tufsh.ops;

import dev.tufsh.errors.UsageError;
import dev.tufsh.repo.Repository;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Picks roles by name or glob ({@code bin-*}, {@code bin-00?}); an unmatched pattern is an error. */
public final class RoleSelector {
  private RoleSelector() {}

  public static List<String> select(Repository repo, List<String> patterns) {
    List<String> all = repo.roleNames();
    Set<String> out = new LinkedHashSet<>();
    for (String p : patterns) {
      if (!p.contains("*") && !p.contains("?")) {
        if (!all.contains(p)) {
          throw new UsageError("unknown role '" + p + "'");
        }
        out.add(p);
        continue;
      }
      Pattern re = glob(p);
      int before = out.size();
      for (String r : all) {
        if (re.matcher(r).matches()) {
          out.add(r);
        }
      }
      if (out.size() == before) {
        throw new UsageError("no role matches '" + p + "'");
      }
    }
    return new ArrayList<>(out);
  }

  static Pattern glob(String g) {
    StringBuilder sb = new StringBuilder();
    for (char c : g.toCharArray()) {
      switch (c) {
        case '*' -> sb.append(".*");
        case '?' -> sb.append('.');
        default -> sb.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(sb.toString());
  }
}
