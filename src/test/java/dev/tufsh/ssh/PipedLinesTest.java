package dev.tufsh.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** How a piped shell's input is cut into lines, and the bound on one line. */
class PipedLinesTest {
  record Case(String name, String input, List<String> lines) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("empty input", "", List.of()),
        new Case("lines", "status\nplan\n", List.of("status", "plan")),
        new Case("CRLF", "status\r\nplan\r\n", List.of("status", "plan")),
        new Case("last line without a newline", "status\nplan", List.of("status", "plan")),
        new Case("blank lines kept (the runner skips them)", "\n\nstatus\n", List.of("", "", "status")),
        new Case("UTF-8", "target show caf\u00e9\n", List.of("target show caf\u00e9")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void cuts_input_into_lines(Case c) throws IOException {
    PipedLines p = new PipedLines(new ByteArrayInputStream(c.input().getBytes(StandardCharsets.UTF_8)), 100);
    List<String> got = new ArrayList<>();
    for (String l = p.next(); l != null; l = p.next()) {
      got.add(l);
    }
    assertEquals(c.lines(), got);
  }

  @Test
  void a_line_past_the_bound_is_refused_without_reading_on() {
    byte[] input = ("x".repeat(401) + "\nstatus\n").getBytes(StandardCharsets.UTF_8);
    PipedLines p = new PipedLines(new ByteArrayInputStream(input), 100);
    IOException e = assertThrows(IOException.class, p::next);
    assertEquals("input line longer than 400 bytes; nothing more is read", e.getMessage());
  }
}
