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
}
