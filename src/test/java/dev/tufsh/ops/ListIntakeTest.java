package dev.tufsh.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.errors.TufshException;
import dev.tufsh.errors.UsageError;
import dev.tufsh.testing.Benches;
import dev.tufsh.testing.Trees;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A target list read in chunks on several threads gives what reading it a line at a time gave:
 * the same staged bytes, roles and count, and for a bad list the same first error with its line,
 * whichever thread read it. Chunks of a few dozen bytes on three threads force the parallel path on
 * a small list; a 512-byte spill budget forces records straight to the spill's files.
 */
class ListIntakeTest {
  private static final Clock CLOCK = Benches.fixed(Instant.parse("2030-01-01T00:00:00Z"));
  private static final String HEX = "ab".repeat(32);

  @TempDir static Path shared;
  @TempDir Path dir;
  private static Path published;

  /** One published repository of 32 bins (one old target), copied for each add. */
  @BeforeAll
  static void publish() throws Exception {
    published = shared.resolve("published");
    Workbench b = Benches.at(published, CLOCK);
    Init.run(b, Init.Request.defaults().withBins(32));
    TargetOps.add(b, List.of(TargetSpec.external("old/pkg-1.0.tar.gz", 7, Map.of("sha256", HEX))));
    Publishing.publish(b);
  }

  private Workbench copy(String name) throws Exception {
    Trees.copy(published, dir.resolve(name));
    return Benches.at(dir.resolve(name), CLOCK);
  }

  /**
   * The list format of {@code target add --list} ({@code PATH FILE}, or {@code PATH LENGTH SHA256},
   * words split at single spaces here: the command's own parser has its tests), its errors naming
   * the line as the command's do.
   */
  private record Listed(Path file) implements TargetLines {
    /** Its plain lines are split at single spaces as the add's byte path splits them: that path is tested here. */
    @Override
    public boolean plainLines() {
      return true;
    }

    @Override
    public TargetSpec parse(String line, int n) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        return null;
      }
      String[] w = l.split(" ");
      if (w.length == 2) {
        return TargetSpec.ofFile(w[0], file.resolveSibling(w[1]));
      }
      if (w.length != 3) {
        throw new UsageError(file + ":" + n + ": expected 'PATH LENGTH SHA256', found " + w.length
            + (w.length == 1 ? " word" : " words"));
      }
      try {
        return TargetSpec.external(w[0], Long.parseLong(w[1]), Map.of("sha256", w[2]));
      } catch (NumberFormatException e) {
        throw new UsageError(file + ":" + n + ": length '" + w[1] + "' is not a number");
      }
    }

    /** The list as the command read it before: a line at a time, each target naming its line. */
    List<TargetSpec> serially() throws Exception {
      List<TargetSpec> out = new ArrayList<>();
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        int n = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          n++;
          TargetSpec s = parse(line, n);
          if (s != null) {
            out.add(s.from(file + ":" + n));
          }
        }
      } catch (java.nio.charset.MalformedInputException e) {
        throw new UsageError("cannot read " + file + ": " + e.getMessage());
      }
      return out;
    }
  }

  private Listed list(String name, byte[] bytes) throws Exception {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return new Listed(p);
  }

  private static String target(int i) {
    return "pkgs/" + (i % 17) + "/p" + i + "-1.0.tar.gz " + (100 + i) + " " + String.format("%064x", i);
  }

  /** Lines ended every way a line reader ends them, comments, blanks, a path listed twice, no final end. */
  private static byte[] mixedList(int n) {
    StringBuilder sb = new StringBuilder("# a list\n\n");
    String[] ends = {"\n", "\r\n", "\r", "\n\n", "  \n"};
    for (int i = 0; i < n; i++) {
      sb.append(i % 50 == 7 ? "p\u00e9/\u4e2d" + i + ".whl 1 " + HEX : target(i)).append(ends[i % ends.length]);
      if (i == 300) {
        sb.append("a/\ufffd.whl 2 ").append(HEX).append('\n'); // a real U+FFFD: the strict decoding reads it
      }
      if (i % 97 == 0) {
        sb.append("# comment ").append(i).append('\n');
      }
      if (i % 113 == 5) { // lines the byte path hands to the line parser, which takes them
        sb.append("pct/%41").append(i).append(".whl 8 ").append(HEX).append('\n'); // a warning
        sb.append(" lead/l").append(i).append(".whl 9 ").append(HEX).append("  \n");
        sb.append("zeros/z").append(i).append(".whl 007 ").append(HEX).append('\n');
        sb.append("long/g").append(i).append(".whl 1234567890123456789 ").append(HEX).append('\n');
        sb.append("cr/c").append(i).append(".whl 10 ").append(HEX).append('\r');
      }
    }
    sb.append("pkgs/3/p3-1.0.tar.gz 9 ").append("cd".repeat(32)).append('\n'); // listed again: this one wins
    sb.append(target(n)); // no end
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void chunks_on_three_threads_stage_what_a_line_at_a_time_staged() throws Exception {
    Listed l = list("mixed.list", mixedList(600));
    Workbench serial = copy("serial");
    Workbench parallel = copy("parallel");
    Workbench inMemory = copy("in-memory");
    TargetOps.Result want = TargetOps.add(serial, l.serially());
    TargetOps.Result got = TargetOps.add(parallel, List.of(), l, TargetOps.AddOptions.DEFAULTS, 512, 3, 61);
    TargetOps.Result held = TargetOps.add(inMemory, List.of(), l, TargetOps.AddOptions.DEFAULTS, TargetSpill.BUDGET,
        2, 4096);
    assertEquals(632, want.count());
    for (TargetOps.Result r : List.of(got, held)) {
      assertEquals(want.count(), r.count());
      assertEquals(List.copyOf(want.roleByPath().entrySet()), List.copyOf(r.roleByPath().entrySet()), "in order");
      assertEquals(want.versions(), r.versions());
      assertEquals(want.warnings(), r.warnings());
    }
    Map<String, byte[]> a = Benches.stagedFiles(serial);
    for (Workbench w : List.of(parallel, inMemory)) {
      Map<String, byte[]> b = Benches.stagedFiles(w);
      assertEquals(a.keySet(), b.keySet());
      a.forEach((role, bytes) -> assertArrayEquals(bytes, b.get(role), role));
    }
    String bin = want.roleByPath().get("pkgs/3/p3-1.0.tar.gz");
    assertEquals(9, parallel.repository().requireTargets(bin).targets().get("pkgs/3/p3-1.0.tar.gz").length(),
        "the later line wins, as before");
  }

  @Test
  void files_listed_here_are_hashed_on_the_threads_and_staged_as_a_line_at_a_time_staged_them() throws Exception {
    StringBuilder sb = new StringBuilder();
    Files.createDirectories(dir.resolve("files"));
    for (int i = 0; i < 40; i++) {
      Files.writeString(dir.resolve("files/f" + i), "content " + i);
      sb.append("pkgs/f").append(i).append(".tar.gz files/f").append(i).append('\n');
      sb.append(target(i)).append('\n');
    }
    Listed l = list("files.list", sb.toString().getBytes(StandardCharsets.UTF_8));
    Workbench serial = copy("files-serial");
    Workbench parallel = copy("files-parallel");
    TargetOps.Result want = TargetOps.add(serial, l.serially());
    TargetOps.Result got = TargetOps.add(parallel, List.of(), l, TargetOps.AddOptions.DEFAULTS, 512, 3, 97);
    assertEquals(80, got.count());
    assertEquals(List.copyOf(want.roleByPath().entrySet()), List.copyOf(got.roleByPath().entrySet()));
    assertEquals(want.warnings(), got.warnings());
    Map<String, byte[]> a = Benches.stagedFiles(serial);
    Map<String, byte[]> b = Benches.stagedFiles(parallel);
    assertEquals(a.keySet(), b.keySet());
    a.forEach((role, bytes) -> assertArrayEquals(bytes, b.get(role), role));
    assertEquals(serial.repository().staging().files().toString(), parallel.repository().staging().files().toString(),
        "the same files to copy at publish");
    assertEquals(40, parallel.repository().staging().files().size());
  }

  @Test
  void an_empty_list_adds_nothing() throws Exception {
    for (String content : List.of("", "# only a comment\n\n  \r\n")) {
      Workbench b = copy("empty" + content.length());
      TargetOps.Result r = TargetOps.add(b, List.of(), list("e.list", content.getBytes(StandardCharsets.UTF_8)),
          TargetOps.AddOptions.DEFAULTS, 512, 2, 8);
      assertEquals(0, r.count());
      assertEquals(Map.of(), Benches.stagedFiles(b));
    }
  }

  /**
   * 40 good lines, then {@code bad} at line 41, then 40 more and (when {@code bad} is a bad line) a
   * second bad line, never the one reported.
   */
  static Stream<Arguments> badLists() {
    return Stream.of(
        Arguments.of("a negative length", "a/x.whl -1 " + HEX, ":41: target a/x.whl: --length must not be negative"),
        Arguments.of("upper-case hex", "a/x.whl 1 " + HEX.toUpperCase(),
            ":41: target a/x.whl: sha256 must be 64 lowercase hex digits"),
        Arguments.of("a short hash", "a/x.whl 1 abcd", ":41: target a/x.whl: sha256 must be 64 lowercase hex digits"),
        Arguments.of("a length that is no number", "a/x.whl 1x " + HEX, ":41: length '1x' is not a number"),
        Arguments.of("a line of four words", "a/x.whl 1 2 3", ":41: expected 'PATH LENGTH SHA256', found 4 words"),
        Arguments.of("an absolute path", "/etc/x.whl 1 " + HEX,
            ":41: field 'target path': target path '/etc/x.whl' is absolute"),
        Arguments.of("a '..' segment", "a/../x.whl 1 " + HEX,
            ":41: field 'target path': target path 'a/../x.whl' has a '..' segment"),
        Arguments.of("a published path with other content", "old/pkg-1.0.tar.gz 8 " + HEX,
            "target old/pkg-1.0.tar.gz is already listed in bin-"),
        Arguments.of("bytes that are not UTF-8", "a/\u00ff.whl 1 " + HEX, "Input length = 1"),
        // Each check the byte path makes, refused there as the line parser refuses it.
        Arguments.of("a path too long", "a/" + "x".repeat(4096) + " 1 " + HEX,
            ":41: field 'target path': target path is longer than 4096 bytes"),
        Arguments.of("an empty segment", "a//x.whl 1 " + HEX,
            ":41: field 'target path': target path 'a//x.whl' has an empty segment"),
        Arguments.of("a '.' segment", "a/./x.whl 1 " + HEX,
            ":41: field 'target path': target path 'a/./x.whl' has a '.' segment"),
        Arguments.of("a drive path", "C:/x.whl 1 " + HEX,
            ":41: field 'target path': target path 'C:/x.whl' is a drive path"),
        Arguments.of("a backslash", "a\\x.whl 1 " + HEX,
            ":41: field 'target path': target path 'a\\x.whl' contains a backslash"),
        Arguments.of("a control character", "a/\u0001x.whl 1 " + HEX,
            ":41: field 'target path': target path 'a/\\u0001x.whl' contains a control character"),
        Arguments.of("a hash one digit short", "a/x.whl 1 " + HEX.substring(1),
            ":41: target a/x.whl: sha256 must be 64 lowercase hex digits"),
        Arguments.of("a hash one digit long", "a/x.whl 1 " + HEX + "0",
            ":41: target a/x.whl: sha256 must be 64 lowercase hex digits"),
        Arguments.of("a hash that is not hex", "a/x.whl 1 " + HEX.substring(1) + "g",
            ":41: target a/x.whl: sha256 must be 64 lowercase hex digits"),
        Arguments.of("a length past a long", "a/x.whl 99999999999999999999 " + HEX,
            ":41: length '99999999999999999999' is not a number"),
        Arguments.of("a length with a sign", "a/x.whl +1x " + HEX, ":41: length '+1x' is not a number"),
        Arguments.of("a missing field", "a/x.whl", ":41: expected 'PATH LENGTH SHA256', found 1 word"),
        Arguments.of("a trailing slash", "a/x.whl/ 1 " + HEX,
            ":41: field 'target path': target path 'a/x.whl/' has an empty segment"),
        Arguments.of("a '..' last segment", "a/.. 1 " + HEX, ":41: field 'target path': target path 'a/..' has a '..' segment"),
        Arguments.of("a bad line ended by CR LF", "a/x.whl 1 abcd\r\nb/y.whl 2 " + HEX,
            ":41: target a/x.whl: sha256 must be 64 lowercase hex digits"),
        Arguments.of("a bad line ended by a CR alone", "a/x.whl 1 abcd\rb/y.whl 2 " + HEX,
            ":41: target a/x.whl: sha256 must be 64 lowercase hex digits"),
        Arguments.of("a CR inside a line ends it: the rest is a line of its own", "a/x.whl\r1 " + HEX,
            ":41: expected 'PATH LENGTH SHA256', found 1 word"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badLists")
  void a_bad_line_fails_as_it_did_a_line_at_a_time(String what, String bad, String message) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < 40; i++) {
      out.writeBytes((target(i) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    byte[] line = bad.getBytes(StandardCharsets.UTF_8);
    if (bad.contains("\u00ff")) {
      line = bad.getBytes(StandardCharsets.ISO_8859_1); // a lone 0xff byte
    }
    out.writeBytes(line);
    out.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
    for (int i = 41; i < 81; i++) {
      out.writeBytes((target(i) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    if (!message.contains("already listed")) {
      out.writeBytes("z/y.whl -5 00\n".getBytes(StandardCharsets.UTF_8));
    }
    Listed l = list("bad.list", out.toByteArray());
    Workbench b = copy("bad");
    TufshException serial = assertThrows(TufshException.class, () -> TargetOps.add(b, l.serially()));
    for (int threads : new int[] {1, 2, 3}) {
      TufshException e = assertThrows(TufshException.class,
          () -> TargetOps.add(b, List.of(), l, TargetOps.AddOptions.DEFAULTS, 512, threads, 53), what);
      assertEquals(serial.getMessage(), e.getMessage(), what + " on " + threads + " thread(s)");
      assertEquals(serial.getClass(), e.getClass());
    }
    assertTrue(serial.getMessage().contains(message), serial.getMessage());
    if (message.startsWith(":")) {
      assertEquals(l.file() + message, serial.getMessage());
    }
    assertEquals(Map.of(), Benches.stagedFiles(b), "nothing staged");
  }

  /**
   * A {@code PATH FILE} line whose FILE is missing is a bad line like the others: a usage error
   * (exit 2) naming the list's line, serially and on threads (it once named only the target, exit 1).
   */
  @Test
  void a_listed_file_that_does_not_exist_names_its_line() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      sb.append(target(i)).append('\n');
    }
    sb.append("a/x.whl missing.whl\n").append(target(41)).append('\n');
    Listed l = list("missing.list", sb.toString().getBytes(StandardCharsets.UTF_8));
    Workbench b = copy("missing");
    String want = l.file() + ":41: target a/x.whl: file '" + dir.resolve("missing.whl") + "' does not exist";
    FileScope.Refused serial = assertThrows(FileScope.Refused.class, () -> TargetOps.add(b, l.serially()));
    assertEquals(want, serial.getMessage());
    for (int threads : new int[] {1, 2, 3}) {
      FileScope.Refused e = assertThrows(FileScope.Refused.class,
          () -> TargetOps.add(b, List.of(), l, TargetOps.AddOptions.DEFAULTS, 512, threads, 53));
      assertEquals(want, e.getMessage(), threads + " thread(s)");
    }
    assertEquals(Map.of(), Benches.stagedFiles(b), "nothing staged");
  }

  /**
   * A path the first add staged, listed again by a second add: the same content is no change; other
   * content is refused naming the path and its bin (the merge into the staged bin leaves it to the
   * decode, which compares), with nothing of the second add staged.
   */
  @Test
  void a_second_add_listing_a_staged_path_with_another_hash_is_refused() throws Exception {
    StringBuilder first = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      first.append(target(i)).append('\n');
    }
    Workbench b = copy("twice");
    TargetOps.add(b, List.of(), list("first.list", first.toString().getBytes(StandardCharsets.UTF_8)),
        TargetOps.AddOptions.DEFAULTS, 512, 1, 61);
    Map<String, byte[]> staged = Benches.stagedFiles(b);
    Listed again = list("again.list", (target(100) + "\n" + target(7) + "\n").getBytes(StandardCharsets.UTF_8));
    assertEquals(2, TargetOps.add(copyOf(b, "twice-same"), List.of(), again, TargetOps.AddOptions.DEFAULTS, 512, 1, 61)
        .count(), "the same content again is taken");
    String other = "pkgs/7/p7-1.0.tar.gz 107 " + "cd".repeat(32);
    Listed conflict = list("conflict.list", (target(100) + "\n" + other + "\n").getBytes(StandardCharsets.UTF_8));
    UsageError e = assertThrows(UsageError.class, () -> TargetOps.add(b, List.of(), conflict,
        TargetOps.AddOptions.DEFAULTS, 512, 1, 61));
    assertTrue(e.getMessage().startsWith("target pkgs/7/p7-1.0.tar.gz is already listed in bin-"), e.getMessage());
    Map<String, byte[]> after = Benches.stagedFiles(b);
    assertEquals(staged.keySet(), after.keySet());
    staged.forEach((role, bytes) -> assertArrayEquals(bytes, after.get(role), role + ": nothing of the second add"));
  }

  private Workbench copyOf(Workbench from, String name) throws Exception {
    Trees.copy(from.workspace().root(), dir.resolve(name));
    return Benches.at(dir.resolve(name), CLOCK);
  }

  /** Routers sharing one router's roles, on several threads at once, route as a router of their own does. */
  @Test
  void routers_sharing_roles_on_threads_route_as_one_router_alone() throws Exception {
    Workbench b = copy("routes");
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      paths.add("pkgs/" + i + "/p-" + i + (i % 3 == 0 ? ".whl" : ".tar.gz"));
    }
    paths.add("p\u00e9/\u4e2d.whl");
    Map<String, String> want = new TreeMap<>();
    TargetRouter alone = new TargetRouter(b.repository());
    paths.forEach(p -> want.put(p, alone.roleFor(p)));
    assertTrue(new java.util.HashSet<>(want.values()).size() == 32, "every bin is some path's");

    TargetRouter first = new TargetRouter(b.repository());
    Map<String, String> got = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        int from = t;
        done.add(pool.submit(() -> {
          TargetRouter mine = new TargetRouter(first);
          for (int i = from; i < paths.size(); i += 3) {
            String p = paths.get(i);
            got.put(p, mine.roleFor(p, p.getBytes(StandardCharsets.UTF_8)));
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(want, new TreeMap<>(got));
  }
}
