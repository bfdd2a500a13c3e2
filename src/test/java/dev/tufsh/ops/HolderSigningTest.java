package dev.tufsh.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.errors.TufshException;
import dev.tufsh.json.Json;
import dev.tufsh.testing.PassphraseFiles;
import dev.tufsh.testing.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a key holder is shown before signing, and the exported files that are refused because what
 * a signature would cover is not what is shown. Each case edits a root that {@code sign export}
 * wrote, as someone between the admin and the holder might.
 */
class HolderSigningTest {
  @TempDir static Path tmp;
  static String exported;

  /** An edit of the exported file's text, and what review must say (or refuse with). */
  record Case(String name, UnaryOperator<String> edit, boolean refused, String expect) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  static void export() throws Exception {
    Path pass = PassphraseFiles.write(tmp.resolve("pass"), "pw\n");
    Path repo = tmp.resolve("repo");
    List<String> g = List.of("--repo", repo.toString(), "--passphrase-file", pass.toString());
    Cli.run(Stream.concat(g.stream(), Stream.of("init", "--bins", "2")).toArray(String[]::new)).assertOk();
    Cli.run(Stream.concat(g.stream(), Stream.of("sign", "export", "root", "--out", tmp.resolve("out").toString()))
        .toArray(String[]::new)).assertOk();
    exported = Files.readString(tmp.resolve("out/root.json"), StandardCharsets.UTF_8);
  }

  static String editSigned(String text, java.util.function.Consumer<ObjectNode> f) {
    ObjectNode root = (ObjectNode) Json.parse(text, "t");
    f.accept((ObjectNode) root.get("signed"));
    return root.toString();
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("as exported", t -> t, false, "root metadata, version 1"),
        new Case("every role listed without --previous", t -> t, false, "timestamp: threshold 1 of 1 key(s)"),
        new Case("hash of the signed bytes", t -> t, false, "sha256 of the signed bytes: "),
        new Case("unknown field is shown", t -> editSigned(t, s -> s.put("x_note", "hello")), false,
            "also signs fields tufsh does not interpret: x_note"),
        new Case("duplicate member", t -> t.replaceFirst("\"_type\":\"root\"", "\"_type\":\"root\",\"_type\":\"root\""),
            true, "_type"),
        new Case("float in signed", t -> editSigned(t, s -> s.put("x_ratio", 0.5)), true, "non-integer"),
        new Case("hidden field in a key value", t -> editSigned(t, s -> s.get("keys").fields().forEachRemaining(
            e -> ((ObjectNode) e.getValue().get("keyval")).put("x_hidden", "1"))), false, "also carries: keyval.x_hidden"),
        new Case("root lists a key id it does not define", t -> editSigned(t, s -> ((com.fasterxml.jackson.databind.node
            .ArrayNode) s.get("roles").get("root").get("keyids")).add("00".repeat(32))), true, "is not in keys"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void review(Case c) throws Exception {
    Path f = Files.writeString(tmp.resolve(c.name().replace(' ', '-') + ".json"), c.edit().apply(exported),
        StandardCharsets.UTF_8);
    if (c.refused()) {
      TufshException e = assertThrows(TufshException.class, () -> HolderSigning.review(f, null));
      assertTrue(e.getMessage().contains(c.expect()), e.getMessage());
      assertTrue(e.getMessage().contains(f.toString()), "the error names the file: " + e.getMessage());
    } else {
      HolderSigning.Review r = HolderSigning.review(f, null);
      assertTrue(r.lines().stream().anyMatch(l -> l.contains(c.expect())), String.join("\n", r.lines()));
    }
  }
}
