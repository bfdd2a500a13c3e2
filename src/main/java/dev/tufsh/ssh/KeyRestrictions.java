package dev.tufsh.ssh;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The sshd restrictions of one authorized_keys line: {@code from=} (source address patterns, as
 * sshd matches them with UseDNS off: {@code *} and {@code ?} wildcards and CIDR blocks, a
 * {@code !} pattern that matches refuses outright), {@code expiry-time=} (YYYYMMDD[HHMM[SS]], local
 * time unless it ends in Z) and {@code no-pty} (also implied by {@code restrict}, unless
 * {@code pty} is given too).
 */
record KeyRestrictions(List<String> from, Instant expires, boolean noPty) {
  static final KeyRestrictions NONE = new KeyRestrictions(null, null, false);

  static KeyRestrictions parse(Map<String, String> options) {
    String from = options.get("from");
    List<String> patterns = from == null ? null
        : Arrays.stream(from.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    if (patterns != null && patterns.isEmpty()) {
      throw new AuthorizedKeys.Skipped("from= lists no pattern");
    }
    if (patterns != null) {
      for (String p : patterns) {
        String pat = p.startsWith("!") ? p.substring(1) : p;
        if (pat.contains("/") && cidr(pat, null) == null) {
          throw new AuthorizedKeys.Skipped("from= pattern '" + pat + "' is not a CIDR block");
        }
      }
    }
    String exp = options.get("expiry-time");
    Instant expires = exp == null ? null : expiry(exp.strip());
    boolean noPty = options.containsKey("no-pty") || (options.containsKey("restrict") && !options.containsKey("pty"));
    return new KeyRestrictions(patterns, expires, noPty);
  }

  /** Why a connection from {@code address} at {@code now} may not use the key, or empty. */
  Optional<String> refusal(InetAddress address, Instant now) {
    if (expires != null && expires.isBefore(now)) {
      return Optional.of("the key expired at " + expires + " (expiry-time=)");
    }
    if (from != null && !allowed(address)) {
      return Optional.of("connections from " + address.getHostAddress() + " may not use this key (from=)");
    }
    return Optional.empty();
  }

  private boolean allowed(InetAddress address) {
    boolean match = false;
    for (String p : from) {
      boolean negated = p.startsWith("!");
      String pat = negated ? p.substring(1) : p;
      if (matches(pat, address)) {
        if (negated) {
          return false;
        }
        match = true;
      }
    }
    return match;
  }

  static boolean matches(String pattern, InetAddress address) {
    if (pattern.contains("/")) {
      return Boolean.TRUE.equals(cidr(pattern, address));
    }
    if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0 && pattern.matches("[0-9a-fA-F:.]+")
        && pattern.indexOf(':') >= 0) {
      try {
        return InetAddress.getByName(pattern).equals(address); // an IPv6 literal, in any of its spellings
      } catch (UnknownHostException e) {
        return false;
      }
    }
    return KeyPermissions.matches(pattern.toLowerCase(java.util.Locale.ROOT),
        address.getHostAddress().toLowerCase(java.util.Locale.ROOT));
  }

  /** Whether {@code address} is in block {@code cidr}; null when the block is malformed (any address). */
  private static Boolean cidr(String cidr, InetAddress address) {
    int slash = cidr.indexOf('/');
    String net = cidr.substring(0, slash);
    if (!net.matches("[0-9a-fA-F:.]+")) {
      return null; // never a host name: this must not turn into a DNS look-up
    }
    try {
      InetAddress base = InetAddress.getByName(net);
      int bits = Integer.parseInt(cidr.substring(slash + 1));
      int len = base.getAddress().length * 8;
      if (bits < 0 || bits > len) {
        return null;
      }
      if (address == null) {
        return Boolean.FALSE;
      }
      byte[] a = address.getAddress();
      if (a.length != base.getAddress().length) {
        return Boolean.FALSE;
      }
      BigInteger mask = BigInteger.ONE.shiftLeft(len).subtract(BigInteger.ONE)
          .xor(BigInteger.ONE.shiftLeft(len - bits).subtract(BigInteger.ONE));
      return new BigInteger(1, a).and(mask).equals(new BigInteger(1, base.getAddress()).and(mask));
    } catch (UnknownHostException | NumberFormatException e) {
      return null;
    }
  }

  private static Instant expiry(String v) {
    boolean utc = v.endsWith("Z") || v.endsWith("z");
    String digits = utc ? v.substring(0, v.length() - 1) : v;
    ZoneId zone = utc ? ZoneOffset.UTC : ZoneId.systemDefault();
    try {
      return switch (digits.length()) {
        case 8 -> LocalDate.parse(digits, DateTimeFormatter.BASIC_ISO_DATE).atStartOfDay(zone).toInstant();
        case 12 -> LocalDateTime.parse(digits, DateTimeFormatter.ofPattern("uuuuMMddHHmm", Locale.ROOT)).atZone(zone).toInstant();
        case 14 -> LocalDateTime.parse(digits, DateTimeFormatter.ofPattern("uuuuMMddHHmmss", Locale.ROOT)).atZone(zone).toInstant();
        default -> throw new AuthorizedKeys.Skipped("expiry-time '" + v + "' is not YYYYMMDD[HHMM[SS]][Z]");
      };
    } catch (DateTimeParseException e) {
      throw new AuthorizedKeys.Skipped("expiry-time '" + v + "' is not YYYYMMDD[HHMM[SS]][Z]");
    }
  }
}
