package dev.tufsh.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses what operators type for durations ({@code 7d}, {@code 12h}, {@code 1y}) and dates. */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d+)([smhdwy])");

  private Durations() {}

  /** Longer than any role may be valid (the per-kind policy is narrower): refused at parse time. */
  static final Duration LONGEST = Duration.ofDays(100 * 366);

  public static Duration parse(String s) {
    Duration d;
    Matcher m = SHORT.matcher(s.trim());
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        d = switch (m.group(2)) {
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          case "d" -> Duration.ofDays(n);
          case "w" -> Duration.ofDays(Math.multiplyExact(7, n));
          default -> Duration.ofDays(Math.multiplyExact(365, n));
        };
      } else {
        d = Duration.parse(s);
      }
    } catch (DateTimeParseException e) {
      throw new TypeConversionException("'" + s + "' is not a duration (examples: 30m, 12h, 7d, 2w, 1y)");
    } catch (NumberFormatException | ArithmeticException e) {
      throw new TypeConversionException("'" + s + "' is too long a duration (at most 100y)");
    }
    if (d.isNegative() || d.isZero()) {
      throw new TypeConversionException("'" + s + "' is not a positive duration");
    }
    if (d.compareTo(LONGEST) > 0) {
      throw new TypeConversionException("'" + s + "' is too long a duration (at most 100y)");
    }
    return d;
  }

  /** A date ({@code 2027-01-31}, midnight UTC) or a time ({@code 2027-01-31T12:00:00Z}). */
  public static Instant parseInstant(String s) {
    try {
      if (s.length() == 10) {
        return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new TypeConversionException("'" + s + "' is not a date (YYYY-MM-DD) or time (YYYY-MM-DDTHH:MM:SSZ)");
    }
  }

  /** picocli converter for duration options. */
  public static final class Converter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return parse(value);
    }
  }

  /** picocli converter for date options. */
  public static final class InstantConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      return parseInstant(value);
    }
  }

  /** Human form: {@code 3d 4h}, {@code 45m}. */
  public static String human(Duration d) {
    boolean neg = d.isNegative();
    d = d.abs();
    long days = d.toDays();
    long hours = d.toHoursPart();
    long mins = d.toMinutesPart();
    String s = days > 0 ? days + "d" + (hours > 0 ? " " + hours + "h" : "")
        : hours > 0 ? hours + "h" + (mins > 0 ? " " + mins + "m" : "")
        : mins > 0 || d.toSecondsPart() == 0 ? mins + "m" : d.toSecondsPart() + "s";
    return neg ? "-" + s : s;
  }
}
