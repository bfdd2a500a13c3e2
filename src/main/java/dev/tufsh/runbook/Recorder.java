package dev.tufsh.runbook;

import dev.tufsh.errors.TufshException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      BufferedWriter w =
          Files.newBufferedWriter(
              file, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
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
