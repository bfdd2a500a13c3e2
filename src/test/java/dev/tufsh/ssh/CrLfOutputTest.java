package dev.tufsh.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A pty's ONLCR: LF becomes CR LF, a CR LF stays one, whether written in one call, split, or a byte at a time. */
class CrLfOutputTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "a\\nb\\n|a\\r\\nb\\r\\n",
      "a\\r\\nb|a\\r\\nb",
      "\\n\\n|\\r\\n\\r\\n",
      "\\r|\\r",
      "no newline|no newline",
  })
  void each_lf_goes_out_as_cr_lf(String in, String want) throws IOException {
    String text = in.replace("\\n", "\n").replace("\\r", "\r");
    String expected = want.replace("\\n", "\n").replace("\\r", "\r");
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    for (int split = 0; split <= b.length; split++) {
      ByteArrayOutputStream whole = new ByteArrayOutputStream();
      try (CrLfOutput out = new CrLfOutput(whole)) {
        out.write(b, 0, split); // a CR at the end of one write and its LF at the start of the next
        out.write(b, split, b.length - split);
      }
      assertEquals(expected, whole.toString(StandardCharsets.UTF_8), "split at " + split);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (CrLfOutput out = new CrLfOutput(bytes)) {
      for (byte x : b) {
        out.write(x);
      }
    }
    assertEquals(expected, bytes.toString(StandardCharsets.UTF_8), "a byte at a time");
  }
}
