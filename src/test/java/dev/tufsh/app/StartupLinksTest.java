package dev.tufsh.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.testing.CliRepo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A one-shot upload (its own JVM, as cron runs it) links no record's equals, hashCode or toString
 * through ObjectMethods: the first such call spins ~26 method-handle classes and C1 compiles the
 * bytecode generator that made them, all start-up a one-shot command pays (Expiry, KnownRole and
 * Repository.Source write theirs out). Read from the JVM's own log of invokedynamic links.
 */
class StartupLinksTest {
  private static final Pattern RECORD_LINK =
      Pattern.compile("resolve_invokedynamic Bootstrap in (\\S+) \\S+ (equals|hashCode|toString):");

  @Test
  void a_one_shot_upload_links_no_record_method(@TempDir Path dir) throws Exception {
    CliRepo repo = CliRepo.published(dir, 16, Instant.now());
    Path log = dir.resolve("indy.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-Xlog:methodhandles+indy=debug:file=" + log, "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "--repo", repo.repo().toString(), "--passphrase-file", repo.pass().toString(),
        "--yes", "-c", "target add --path a/b-1.0.tar.gz --length 1 --sha256 " + "ab".repeat(32) + "; publish")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the upload ended");
    assertEquals(0, p.exitValue(), "the upload's exit status");
    String text = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(text.contains("resolve_invokedynamic"), "the JVM logged its links");
    List<String> links = RECORD_LINK.matcher(text).results().map(m -> m.group(1) + "." + m.group(2)).distinct()
        .toList();
    assertEquals(List.of(), links, "record methods linked through ObjectMethods in a one-shot upload");
  }
}
