package dev.tufsh.testing;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Locates fixture folders under src/test/resources/fixtures as the test class path holds them. */
public final class Fixtures {
  private Fixtures() {}

  /** The folder {@code fixtures/<name>}; fails the test if it is missing. */
  public static Path dir(String name) {
    URL url = Fixtures.class.getResource("/fixtures/" + name + "/README.md");
    if (url == null) {
      throw new IllegalStateException("fixture folder fixtures/" + name + " (with its README.md) is not on the test class path");
    }
    try {
      return Path.of(url.toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
