package dev.tufsh.runbook;

import dev.tufsh.errors.TufshException;
import dev.tufsh.files.FileModes;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Writes the commands typed in the shell to a runbook, each followed by its outcome as a comment.
 * Only command text is recorded: answers to passphrase prompts never pass through here.
 */
public final class Recorder implements AutoCloseable {
  private final Path file;
  private final BufferedWriter out;

  private Recorder(Path file, BufferedWriter out) {
    this.file = file;
    this.out = out;
  }

  /** Starts a recording with a header naming the date, repository and tufsh version. */
  public static Recorder start(Path file, String date, String repo, String version) {
    try {
      // Owner-only whatever the umask, folders too (the umask can only take bits away): a runbook
      // records what an operator did, and the operator decides whom to give it.
      if (file.getParent() != null) {
        FileModes.createOwnerOnlyDirs(file.getParent());
      }
      var channel = Files.newByteChannel(file,
          Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
          FileModes.ownerOnlyFile());
      BufferedWriter w = new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8));
      w.write("# tufsh runbook recorded " + date + "\n# repository: " + repo + "\n# tufsh " + version + "\n");
      w.flush();
      return new Recorder(file, w);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new TufshException("runbook " + file + " already exists; choose another name");
    } catch (IOException e) {
      throw new TufshException("cannot start recording to " + file + ": " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  /** Appends a command line and its outcome ("ok" or the one-line error). */
  public void record(String commandLine, String outcome) {
    try {
      out.write(commandLine + "\n# -> " + outcome.replace('\n', ' ') + "\n");
      out.flush();
    } catch (IOException e) {
      throw new TufshException("cannot write to runbook " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Keeps a line that failed as a comment, so the recording replays: what failed is still there to
   * read, but a replay does not stop at it.
   */
  public void recordFailed(String commandLine, String outcome) {
    try {
      out.write("# " + commandLine.replace('\n', ' ') + "\n# -> " + outcome.replace('\n', ' ')
          + " (kept as a comment; not replayed)\n");
      out.flush();
    } catch (IOException e) {
      throw new TufshException("cannot write to runbook " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new TufshException("cannot close runbook " + file + ": " + e.getMessage(), e);
    }
  }
}
