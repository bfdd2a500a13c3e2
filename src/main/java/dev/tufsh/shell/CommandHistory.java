package dev.tufsh.shell;

import dev.tufsh.files.FileModes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Set;
import java.util.function.Supplier;
import org.jline.reader.impl.history.DefaultHistory;

/**
 * The shell's history: owner-only on disk (0600, like the keys), and only lines that begin with a
 * command. A line typed at the wrong prompt (a passphrase typed at "tufsh>" because the prompt
 * came a moment too late) is not a command, so it is never written down.
 */
final class CommandHistory extends DefaultHistory {
  private final Supplier<Set<String>> commands;

  CommandHistory(Supplier<Set<String>> commands) {
    this.commands = commands;
  }

  @Override
  public void add(Instant time, String line) {
    String first = line.strip().split("\\s+", 2)[0];
    if (commands.get().contains(first)) {
      super.add(time, line);
    }
  }

  /** Creates {@code file} owner-only, or takes group and others' access away from an existing one. */
  static void secure(Path file) {
    try {
      if (file.getParent() != null) {
        // Owner-only whatever the umask (which can only take bits away from 0700).
        FileModes.createOwnerOnlyDirs(file.getParent());
      }
      var owner = FileModes.OWNER_FILE;
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(owner));
      } else if (!Files.isSymbolicLink(file)) {
        Files.setPosixFilePermissions(file, owner);
      }
    } catch (IOException | UnsupportedOperationException e) {
      // A history that cannot be secured is still better kept than the shell refusing to start.
    }
  }
}
