package dev.tufsh.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tufsh.errors.UsageError;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The limits on remote command lines that OpenSSH cannot carry in an exec request (a NUL ends a C
 * string): words as the shell channel's line reader hands them over.
 */
class RemoteLineTest {
  @ParameterizedTest(name = "U+{0}")
  @CsvSource({"0000, 7", "0007, 7", "001B, 7", "007F, 7", "0085, 7", "200B, 7", "202E, 7", "2028, 7", "FEFF, 7"})
  void invisible_characters_in_a_word_are_refused(String hex, int position) {
    String word = "status" + Character.toString(Integer.parseInt(hex, 16));
    UsageError e = assertThrows(UsageError.class, () -> RemoteLine.checkWords(List.of(word, "--json")));
    assertEquals("command line refused: character U+" + hex + " at position " + position
        + " is a control or formatting character", e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"status, --json", "target, incoming/caf\u00e9-1.0.tar.gz", "key, show"})
  void printable_words_pass(String a, String b) {
    RemoteLine.checkWords(List.of(a, b));
  }
}
