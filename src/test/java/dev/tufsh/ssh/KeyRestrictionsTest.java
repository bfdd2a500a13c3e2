package dev.tufsh.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** authorized_keys restrictions as sshd reads them (sshd(8) AUTHORIZED_KEYS FILE FORMAT, UseDNS off). */
class KeyRestrictionsTest {
  @ParameterizedTest(name = "from=\"{0}\" from {1}: {2}")
  @CsvSource(delimiter = '|', value = {
    "127.0.0.1|127.0.0.1|true",
    "127.0.0.2|127.0.0.1|false",
    "127.0.0.*|127.0.0.1|true",
    "127.0.0.?|127.0.0.12|false",
    "10.0.0.0/8,127.0.0.0/8|127.0.0.1|true",
    "10.0.0.0/8|127.0.0.1|false",
    "!127.0.0.1,*|127.0.0.1|false",
    "*,!127.0.0.1|127.0.0.1|false",
    "!10.0.0.1,127.0.0.0/8|127.0.0.1|true",
    "127.0.0.1/32|127.0.0.1|true",
    "127.0.0.0/31|127.0.0.1|true",
    "127.0.0.2/31|127.0.0.1|false",
    "::1|::1|true",
    "::/0|::1|true",
    "0.0.0.0/0|::1|false",
    "host.example.org|127.0.0.1|false",
  })
  void from_patterns_match_as_sshd_does(String from, String address, boolean allowed) throws Exception {
    KeyRestrictions r = KeyRestrictions.parse(Map.of("from", from));
    Optional<String> why = r.refusal(InetAddress.getByName(address), Instant.now());
    assertEquals(allowed, why.isEmpty(), why.toString());
  }

  @ParameterizedTest(name = "expiry-time=\"{0}\" at {1}: expired {2}")
  @CsvSource({
    "20250101Z, 2024-12-31T23:59:59Z, false",
    "20250101Z, 2025-01-01T00:00:01Z, true",
    "202501011230Z, 2025-01-01T12:29:00Z, false",
    "202501011230Z, 2025-01-01T12:31:00Z, true",
    "20250101123045Z, 2025-01-01T12:30:46Z, true",
  })
  void expiry_time_is_honoured(String expiry, String now, boolean expired) throws Exception {
    KeyRestrictions r = KeyRestrictions.parse(Map.of("expiry-time", expiry));
    assertEquals(expired, r.refusal(InetAddress.getLoopbackAddress(), Instant.parse(now)).isPresent());
  }

  @ParameterizedTest
  @CsvSource({"2025-01-01", "2025010", "20251301Z", "tomorrow"})
  void a_bad_expiry_skips_the_line(String expiry) {
    var e = assertThrows(AuthorizedKeys.Skipped.class, () -> KeyRestrictions.parse(Map.of("expiry-time", expiry)));
    assertTrue(e.getMessage().contains("expiry-time '" + expiry + "'"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"10.0.0.0/33", "example.org/8", "'  ,  '"})
  void a_bad_from_skips_the_line(String from) {
    assertThrows(AuthorizedKeys.Skipped.class, () -> KeyRestrictions.parse(Map.of("from", from)));
  }

  @ParameterizedTest(name = "{0}: no pty {1}")
  @CsvSource({"restrict, true", "no-pty, true", "restrict pty, false", "no-port-forwarding, false"})
  void pty_follows_restrict_and_no_pty(String options, boolean noPty) {
    Map<String, String> m = new java.util.HashMap<>();
    for (String o : options.split(" ")) {
      m.put(o, "true");
    }
    assertEquals(noPty, KeyRestrictions.parse(m).noPty());
  }
}
