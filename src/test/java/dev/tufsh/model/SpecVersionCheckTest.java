package dev.tufsh.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tufsh.errors.MetadataError;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The spec_version check, a loop now, accepts and refuses what the split-and-stream check before it
 * did (kept here as the reference), with the same message.
 */
class SpecVersionCheckTest {
  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"1", "1.0", "1.0.31", "1.0.31.1", "", ".", "1.", ".1", "1..0", "a", "1.a", "2.0", "01.0",
      "1.\u0663", "\u0661.0", "10.0", "1.0.", "1.0.0.0", " 1.0", "1.0 ", "-1.0", "1.-0", "1.0.31x"})
  void same_verdict_as_before(String spec) {
    assertEquals(verdict(() -> reference(spec)), verdict(() -> Checks.specVersion(spec)), spec);
  }

  private static String verdict(Runnable check) {
    try {
      check.run();
      return "accepted";
    } catch (MetadataError e) {
      return e.getMessage();
    }
  }

  /** The check before. */
  private static void reference(String spec) {
    String[] parts = spec.split("\\.", -1);
    boolean numeric = parts.length >= 1 && parts.length <= 3;
    for (String p : parts) {
      numeric &= !p.isEmpty() && p.chars().allMatch(Character::isDigit);
    }
    if (!numeric) {
      throw MetadataError.field("spec_version", "'" + spec + "' is not a version number");
    }
    if (!parts[0].equals("1")) {
      throw MetadataError.field("spec_version", "unsupported specification version " + spec + " (tufsh reads 1.x)");
    }
  }
}
