package dev.tufsh.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.json.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks an audit log's hash chain, reading it byte by byte (invalid UTF-8, an overlong or torn line
 * are named by line number), and checks it against heads kept elsewhere ({@link Anchor}s): a log
 * that was emptied, truncated, or rewritten and rehashed no longer reaches an anchored head.
 */
public final class AuditVerifier {
  private AuditVerifier() {}

  /** A head kept outside the log, and where it came from ("the published timestamp (version 7)"). */
  public record Anchor(AuditLog.Head head, String source) {}

  /**
   * The outcome: the lines checked, the first broken line (1-based, 0 when intact) with why, and
   * notes that are not breaks (repairs of torn lines, intents a crash left without an outcome).
   */
  public record Result(int lines, int brokenLine, String problem, List<String> notes) {
    public Result {
      notes = List.copyOf(notes);
    }

    public Result(int lines, int brokenLine, String problem) {
      this(lines, brokenLine, problem, List.of());
    }

    public boolean ok() {
      return brokenLine == 0;
    }
  }

  public static Result verify(Path file) throws IOException {
    return verify(file, List.of());
  }

  /** Notes beyond this many are counted, not listed. */
  static final int MAX_NOTES = 20;

  public static Result verify(Path file, List<Anchor> anchors) throws IOException {
    Map<Long, String> hashes = new LinkedHashMap<>();
    for (Anchor a : anchors) {
      hashes.put(a.head().seq(), null);
    }
    List<String> notes = new ArrayList<>();
    Map<Long, String> open = new LinkedHashMap<>();
    int n = 0;
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        return new Result(0, 1, file + " is not a regular file");
      }
      CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
      String prev = AuditLog.GENESIS;
      try (InputStream in = new BufferedInputStream(Files.newInputStream(file, StandardOpenOption.READ,
          LinkOption.NOFOLLOW_LINKS), 1 << 16)) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(512);
        boolean tooLong = false;
        int b;
        while (true) {
          b = in.read();
          if (b == -1) {
            if (line.size() > 0 || tooLong) {
              n++;
              return new Result(n, n, "line is torn (no final newline: a crash or a full disk during an append);"
                  + " the next change repairs it and keeps the fragment aside", notes);
            }
            break;
          }
          if (b != '\n') {
            if (line.size() < AuditLog.MAX_LINE) {
              line.write(b);
            } else {
              tooLong = true;
            }
            continue;
          }
          n++;
          if (tooLong) {
            return new Result(n, n, "line is longer than " + AuditLog.MAX_LINE + " bytes", notes);
          }
          String text;
          try {
            text = decode(utf8, line.toByteArray());
          } catch (MalformedInputException e) {
            return new Result(n, n, "line is not valid UTF-8 (" + e.getMessage() + ")", notes);
          }
          line.reset();
          String problem = check(text, n, prev);
          if (problem != null) {
            return new Result(n, n, problem, notes);
          }
          JsonNode j = Json.parse(text, file + ":" + n);
          prev = j.path("hash").asText();
          if (hashes.containsKey((long) n)) {
            hashes.put((long) n, prev);
          }
          note(j, n, open, notes);
        }
      }
    }
    for (Anchor a : anchors) {
      String h = hashes.get(a.head().seq());
      if (h == null) {
        return new Result(n, n + 1, "the log ends at line " + n + " but " + a.source() + " records line "
            + a.head().seq() + ": lines were removed (the log was truncated, emptied or replaced)", notes);
      }
      if (!h.equals(a.head().hash())) {
        return new Result(n, (int) a.head().seq(), "line " + a.head().seq() + " is not the line " + a.source()
            + " records (hash " + a.head().hash().substring(0, 16) + "...): the log was rewritten", notes);
      }
    }
    open.forEach((seq, cmd) -> addNote(notes, "line " + seq + ": '" + cmd + "' has no outcome (interrupted)"));
    return new Result(n, 0, null, notes);
  }

  private static String decode(CharsetDecoder utf8, byte[] bytes) throws CharacterCodingException {
    try {
      CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(bytes));
      return chars.toString();
    } catch (MalformedInputException e) {
      int at = firstBad(bytes);
      throw new MalformedInputException(at) {
        @Override
        public String getMessage() {
          return "bad byte 0x" + String.format(java.util.Locale.ROOT, "%02x", bytes[at] & 0xff) + " at byte "
              + (at + 1) + " of the line";
        }
      };
    }
  }

  private static int firstBad(byte[] bytes) {
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    d.decode(in, out, true);
    return Math.min(in.position(), bytes.length - 1);
  }

  /** Why line {@code n} breaks the chain after {@code prev}, or null. */
  private static String check(String text, int n, String prev) {
    JsonNode line;
    try {
      line = Json.parse(text, "line " + n);
    } catch (RuntimeException e) {
      return "line is not valid JSON";
    }
    if (!line.isObject()) {
      return "line is not a JSON object";
    }
    if (!prev.equals(line.path("prev").asText())) {
      return "chain broken: line does not follow line " + (n - 1) + " (a line was edited, removed or inserted)";
    }
    if (!AuditLog.hashOf(line).equals(line.path("hash").asText())) {
      return "line was edited: its content does not match its hash";
    }
    if (line.path("seq").asLong() != n) {
      return "sequence number " + line.path("seq").asLong() + " on line " + n + " (lines were removed before it)";
    }
    return null;
  }

  private static void note(JsonNode j, int n, Map<Long, String> open, List<String> notes) {
    String outcome = j.path("outcome").asText();
    if (AuditEntry.INTENT.equals(outcome)) {
      open.put((long) n, j.path("command").asText());
    } else if (j.has("intent")) {
      open.remove(j.path("intent").asLong());
    } else if ("audit repair".equals(j.path("command").asText())) {
      addNote(notes, "line " + n + ": " + outcome);
    }
  }

  private static void addNote(List<String> notes, String note) {
    if (notes.size() < MAX_NOTES) {
      notes.add(note);
    } else if (notes.size() == MAX_NOTES) {
      notes.add("... more notes left out");
    }
  }
}
