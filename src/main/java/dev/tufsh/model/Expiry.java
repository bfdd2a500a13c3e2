package dev.tufsh.model;

import dev.tufsh.errors.MetadataError;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
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
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  // equals and hashCode are written out: a record's own link through ObjectMethods' method handles
  // the first time they run, which a one-shot command pays in its start-up.
  @Override
  public boolean equals(Object o) {
    return o instanceof Expiry e && java.util.Objects.equals(text, e.text)
        && java.util.Objects.equals(instant, e.instant);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Objects.hashCode(text) + java.util.Objects.hashCode(instant);
  }

  /** The expiry at {@code instant}, truncated to whole seconds. */
  public static Expiry at(Instant instant) {
    Instant t = instant.truncatedTo(ChronoUnit.SECONDS);
    return new Expiry(WRITE.format(t), t);
  }

  public static Expiry parse(String text) {
    Instant fast = fastParse(text);
    if (fast != null) {
      return new Expiry(text, fast);
    }
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

  /**
   * The form tufsh writes, {@code YYYY-MM-DDTHH:MM:SSZ}, without a regex or a formatter: 16 384
   * bins and index lines parse it in a one-shot process, mostly before the JIT has compiled
   * anything. Null for anything else (fractions, leap seconds, invalid dates), which the general
   * path then accepts or refuses as before.
   */
  private static Instant fastParse(String t) {
    if (t.length() != 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
        || t.charAt(13) != ':' || t.charAt(16) != ':' || t.charAt(19) != 'Z') {
      return null;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 7);
    int day = digits(t, 8, 10);
    int hour = digits(t, 11, 13);
    int minute = digits(t, 14, 16);
    int second = digits(t, 17, 19);
    if ((year | month | day | hour | minute | second) < 0 || second > 59) {
      return null;
    }
    try {
      return java.time.LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }

  private static int digits(String t, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
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
