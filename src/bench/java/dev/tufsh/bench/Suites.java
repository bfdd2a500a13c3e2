package dev.tufsh.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every suite {@code scripts/bench} knows, in the order it runs them. */
public final class Suites {
  /** Add a suite here. */
  public static final List<Suite> ALL = List.of(new JsonSuite(), new CryptoSuite(), new BackendsSuite(),
      new EngineSuite(), new StartupSuite(), new SshSuite());

  private Suites() {}

  public static Optional<Suite> byName(String name) {
    return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  public static List<String> names() {
    List<String> out = new ArrayList<>();
    ALL.forEach(s -> out.add(s.name()));
    return out;
  }
}
