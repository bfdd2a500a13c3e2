package dev.tufsh.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The clean stamp a publish keeps in .tufsh/ for the next process, and when it is not trusted. */
class LeftoversTest {
  @TempDir Path tmp;
  Path meta;
  Path priv;

  @BeforeEach
  void folders() throws Exception {
    meta = Files.createDirectories(tmp.resolve("metadata"));
    priv = Files.createDirectories(tmp.resolve(".tufsh"));
    Files.writeString(meta.resolve("timestamp.json"), "{}");
  }

  @AfterEach
  void forget() {
    Leftovers.forgetHeld();
  }

  private Path debris(String name) throws Exception {
    return Files.write(meta.resolve("." + name + AtomicFiles.TEMP_MARK + "killed"), new byte[] {1});
  }

  @Test
  void a_new_process_trusts_the_kept_stamp_of_an_unchanged_folder() throws Exception {
    // What the stamp vouches for is "no name came or went since": a debris name planted before the
    // stamp stands in for one that was not there, so it staying shows the folder was not listed.
    Path planted = debris("1.bin-0.json");
    Leftovers.clean(meta, priv);
    Path stamp = priv.resolve("metadata.clean");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(stamp)));
    Leftovers.forgetHeld();
    Leftovers.remove(meta, priv);
    assertTrue(Files.exists(planted), "an unchanged folder is not listed by the next process");
  }

  @Test
  void a_name_that_came_since_the_stamp_makes_the_next_process_list_the_folder() throws Exception {
    Leftovers.clean(meta, priv);
    Path killed = debris("2.bin-0.json"); // a killed publish of another process
    Leftovers.forgetHeld();
    Leftovers.remove(meta, priv);
    assertFalse(Files.exists(killed), "the folder changed since it was left clean: it is listed");
  }

  @Test
  void a_damaged_empty_or_foreign_stamp_is_no_stamp() throws Exception {
    Map<String, UnaryOperator<String>> damage = new LinkedHashMap<>();
    damage.put("as written (the control)", s -> s);
    damage.put("empty", s -> "");
    damage.put("torn", String::trim);
    damage.put("a later format", s -> s.replace("clean 1", "clean 2"));
    damage.put("not a stamp", s -> "x\n");
    damage.put("another ctime", s -> s.replaceAll(" \\d+\n$", " 12\n"));
    damage.put("another folder", s -> s.replaceFirst(":\\d+ ", ":1 "));
    Path stamp = priv.resolve("metadata.clean");
    for (var d : damage.entrySet()) {
      Path planted = debris("1.bin-0.json");
      Leftovers.clean(meta, priv); // a stamp of the folder as it is, planted name and all
      Files.writeString(stamp, d.getValue().apply(Files.readString(stamp)));
      Leftovers.forgetHeld();
      Leftovers.remove(meta, priv);
      assertEquals(d.getKey().startsWith("as written"), Files.exists(planted), "the stamp " + d.getKey());
      Files.deleteIfExists(planted);
    }
    debris("1.bin-0.json");
    Leftovers.clean(meta, priv);
    Files.delete(stamp);
    Leftovers.forgetHeld();
    Leftovers.remove(meta, priv);
    assertFalse(Files.exists(meta.resolve(".1.bin-0.json" + AtomicFiles.TEMP_MARK + "killed")), "no stamp");
  }
}
