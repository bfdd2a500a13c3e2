package dev.tufsh.model;

import dev.tufsh.errors.MetadataError;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * An {@code expires} value. tufsh writes exactly {@code YYYY-MM-DDTHH:MM:SSZ} (the only form every
 * client accepts); it reads fractional seconds too, as tough wrote them, and keeps the original text
 * so signatures over read metadata still verify.
 */
public record Expiry(String text, Instant instant) implements Comparable<Expiry> {
  private static final Pattern FORMAT =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");
  private static final DateTimeFormatter WRITE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  /** The expiry at {@code instant}, truncated to whole seconds. */
  public static Expiry at(Instant instant) {
    Instant t = instant.truncatedTo(ChronoUnit.SECONDS);
    return new Expiry(WRITE.format(t), t);
  }

  public static Expiry parse(String text) {
    if (!FORMAT.matcher(text).matches()) {
      throw MetadataError.field(
          "expires", "'" + text + "' is not of the form YYYY-MM-DDTHH:MM:SSZ (UTC)");
    }
    try {
      return new Expiry(text, Instant.parse(text));
    } catch (DateTimeParseException e) {
      throw MetadataError.field("expires", "'" + text + "' is not a valid date and time");
    }
  }

  /** Expired means {@code expires <= now}, as python-tuf and tuf-js decide. */
  public boolean isExpiredAt(Instant now) {
    return !instant.isAfter(now);
  }

  @Override
  public int compareTo(Expiry o) {
    return instant.compareTo(o.instant);
  }

  @Override
  public String toString() {
    return text;
  }
}
