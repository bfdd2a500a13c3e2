package dev.tufsh.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tufsh.errors.MetadataError;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code expires} parsing: the written form on the fast path, everything else as the general path decides. */
class ExpiryTest {
  @ParameterizedTest
  @ValueSource(strings = {"2026-12-01T11:30:21Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59Z",
      "9999-12-31T23:59:59Z", "2030-01-01T00:00:00.5Z", "2030-01-01T00:00:00.123456789Z"})
  void valid_forms_give_the_instant_and_keep_the_text(String text) {
    Expiry e = Expiry.parse(text);
    assertEquals(Instant.parse(text), e.instant());
    assertEquals(text, e.text());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "2026-02-30T00:00:00Z|not a valid date", "2025-02-29T00:00:00Z|not a valid date",
      "2026-13-01T00:00:00Z|not a valid date",
      "2026-12-01T23:60:00Z|not a valid date", "2026-12-01 11:30:21Z|not of the form",
      "2026-12-01T11:30:21+00:00|not of the form", "2026-12-01T11:30:2xZ|not of the form",
      "2026-1a-01T11:30:21Z|not of the form", "+2026-12-01T11:30:21Z|not of the form"})
  void invalid_forms_are_refused(String text, String problem) {
    MetadataError e = assertThrows(MetadataError.class, () -> Expiry.parse(text));
    assertEquals(true, e.getMessage().contains(problem), e.getMessage());
  }

  /** equals and hashCode are written out (no ObjectMethods link at start-up): a record's, field by field. */
  @org.junit.jupiter.api.Test
  void equal_exactly_when_text_and_instant_are() {
    Expiry a = Expiry.parse("2030-01-01T00:00:00Z");
    assertEquals(a, Expiry.parse("2030-01-01T00:00:00Z"));
    assertEquals(a.hashCode(), Expiry.parse("2030-01-01T00:00:00Z").hashCode());
    // The same instant written another way is another value: signatures cover the text.
    org.junit.jupiter.api.Assertions.assertNotEquals(a, Expiry.parse("2030-01-01T00:00:00.0Z"));
    org.junit.jupiter.api.Assertions.assertNotEquals(a, Expiry.parse("2030-01-01T00:00:01Z"));
    org.junit.jupiter.api.Assertions.assertNotEquals(a, new Expiry("2030-01-01T00:00:00Z", Instant.EPOCH));
    org.junit.jupiter.api.Assertions.assertNotEquals(a, "2030-01-01T00:00:00Z");
    assertEquals(new Expiry(null, null), new Expiry(null, null));
  }
}
