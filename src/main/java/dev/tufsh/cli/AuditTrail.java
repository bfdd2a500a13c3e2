package dev.tufsh.cli;

import dev.tufsh.audit.AuditEntry;
import dev.tufsh.audit.AuditLog;
import dev.tufsh.errors.AuditError;
import dev.tufsh.files.FileModes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The one mechanism by which every command is audited, the way Vault does it: a command that changes
 * anything gets an intent record before it runs ({@link BaseCommand} asks for it once permissions
 * allow the command) and an outcome record naming that intent after it; if the intent cannot be
 * appended the command does not run. Read-only commands get one record after they finish; failing
 * to write that one is a warning, since nothing changed. Commands nest (a runbook's lines), so
 * each {@link CommandLines#execute} opens a frame.
 */
final class AuditTrail {
  private static final class Frame {
    String text;
    Path log;
    long intent;
    boolean refused;
    /** Folders the intent of an init created, removed again if init fails (nothing to audit then). */
    final java.util.List<Path> created = new java.util.ArrayList<>();

    Frame(String text) {
      this.text = text;
    }
  }

  private final Deque<Frame> frames = new ArrayDeque<>();

  void begin(List<String> words) {
    frames.push(new Frame(CommandLines.text(words)));
  }

  /** Replaces the running command's words (a line that was not a command keeps none of them). */
  void withhold(String text) {
    Frame f = frames.peek();
    if (f != null) {
      f.text = text;
    }
  }

  /**
   * Appends the intent of the command now running in {@code repo}. Without a workspace there is
   * nothing a command could change, except for {@code init} ({@code createsWorkspace}), whose intent
   * goes into the new workspace's log, created first. Throws {@link AuditError} to stop the command.
   */
  void intent(Session s, Path repo, boolean createsWorkspace) {
    Frame f = frames.peek();
    if (f == null || f.intent > 0) {
      return;
    }
    Path dir = repo.resolve(".tufsh");
    if (!Files.isDirectory(dir)) {
      if (!createsWorkspace) {
        return;
      }
      try {
        for (Path p = repo.toAbsolutePath().normalize(); p != null && !Files.exists(p); p = p.getParent()) {
          f.created.add(0, p);
        }
        // 0755 whatever the umask, as init makes it: a folder others may write lets them swap .tufsh/ for their own.
        dev.tufsh.repo.AtomicFiles.publicDirs(repo);
        Files.createDirectory(dir, FileModes.ownerOnlyDir());
        f.created.add(dir);
      } catch (IOException e) {
        throw new AuditError("cannot create " + dir + " for the audit log: " + e.getMessage(), e);
      }
    }
    f.log = dir.resolve("audit.log");
    f.refused = true; // until the intent is on record: then nothing more is tried for this command
    f.intent = new AuditLog(f.log).append(AuditEntry.intent(now(s), s.actor(), s.id(), f.text)).seq();
    f.refused = false;
  }

  /**
   * Closes the frame of the command that just ended with {@code status}: its outcome (after an
   * intent) or its single record. Returns the status to report: a changing command whose outcome
   * cannot be recorded fails, though what it did stays done.
   */
  int end(Session s, Path repo, int status, String error, Map<String, Integer> published, boolean skip) {
    Frame f = frames.pop();
    if ((skip && f.intent == 0) || f.refused) {
      return status;
    }
    if (status != 0 && !f.created.isEmpty() && !Files.exists(f.created.get(f.created.size() - 1)
        .resolve("settings.json"))) {
      undoCreated(f);
      return status;
    }
    Path log = f.log != null ? f.log : repo.resolve(".tufsh").resolve("audit.log");
    if (!Files.isDirectory(log.getParent())) {
      return status; // init that failed and removed its folder, or no workspace at all
    }
    String outcome = status == 0 ? "ok" : "failed (exit " + status + ")" + (error == null ? "" : ": " + error);
    AuditEntry e = new AuditEntry(now(s), s.actor(), s.id(), f.text, outcome, published);
    try {
      new AuditLog(log).append(f.intent > 0 ? e.outcomeOf(f.intent) : e);
      return status;
    } catch (RuntimeException ex) {
      if (f.intent == 0) {
        s.err().println("tufsh: warning: " + Errors.message(ex));
        s.err().flush();
        return status;
      }
      s.err().println("tufsh: error: '" + f.text + "' ran (" + outcome + ") but its outcome is not on record: "
          + Errors.message(ex));
      s.err().flush();
      return status == 0 ? ExitCodes.FAILED : status;
    }
  }

  /** Removes the audit log and folders a failed init's intent made: a refused init leaves nothing. */
  private static void undoCreated(Frame f) {
    try {
      if (f.log != null) {
        Files.deleteIfExists(f.log);
      }
      for (int i = f.created.size() - 1; i >= 0; i--) {
        Files.deleteIfExists(f.created.get(i));
      }
    } catch (IOException e) {
      // a folder that is not empty any more holds something else: leave it
    }
  }

  private static String now(Session s) {
    return Instant.now(s.clock()).toString();
  }
}
