package dev.tufsh.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Everything a command needs that outlives one command: where the repository is, where output
 * goes, who is acting, how to ask the person, and the clock. Built by the application for a
 * process, or by the SSH frontend for each connection. Commands never reach past it.
 */
public final class Session {
  private final Path repo;
  private final PrintWriter out;
  private final PrintWriter err;
  private final Interaction interaction;
  private final Clock clock;
  private final String actor;
  private final boolean color;

  public Session(
      Path repo, PrintWriter out, PrintWriter err, Interaction interaction, Clock clock, String actor, boolean color) {
    this.repo = repo.toAbsolutePath().normalize();
    this.out = out;
    this.err = err;
    this.interaction = interaction;
    this.clock = clock;
    this.actor = actor;
    this.color = color;
  }

  public Path repo() {
    return repo;
  }

  public PrintWriter out() {
    return out;
  }

  public PrintWriter err() {
    return err;
  }

  public Interaction interaction() {
    return interaction;
  }

  public Clock clock() {
    return clock;
  }

  /** Who acts, for locks and the audit trail: a local user name or an SSH key's fingerprint. */
  public String actor() {
    return actor;
  }

  /** Whether output may use colour (a capable terminal and no NO_COLOR). */
  public boolean color() {
    return color;
  }
}
