package dev.tufsh.testing;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Locates fixture folders under src/test/resources/fixtures as the test class path holds them. */
public final class Fixtures {
  private Fixtures() {}

  /**
   * The real metadata files under {@code fixtures/interop} whose role is a {@code type}, each as its
   * name there and its tree; the hostile fixtures, which do not decode, are left out (InteropRoundTripTest
   * covers how they are refused).
   */
  public static java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> interopMetadata(
      Class<? extends dev.tufsh.model.Signed> type) throws java.io.IOException {
    Path root = dir("interop");
    java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> out = new java.util.LinkedHashMap<>();
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        try {
          var tree = dev.tufsh.json.Json.parse(java.nio.file.Files.readAllBytes(f), f.toString());
          if (type.isInstance(dev.tufsh.model.MetadataCodec.decode(tree, f.toString()).signed())) {
            out.put(root.relativize(f).toString(), tree);
          }
        } catch (RuntimeException notUsable) {
          // a hostile fixture
        }
      }
    }
    return out;
  }

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
