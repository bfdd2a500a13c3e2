package dev.tufsh.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The root command. Its options are inherited by every subcommand, so {@code status --json} and
 * {@code --json status} mean the same, in the REPL and on the command line.
 */
@Command(
    name = "tufsh",
    versionProvider = Version.class,
    description = "Key management and repository administration for TUF repositories.",
    synopsisSubcommandLabel = "COMMAND",
    footer = {
      "",
      "Without a command, tufsh opens an interactive shell when standard input is a terminal, and"
          + " otherwise reads commands from standard input, one a line.",
      "Exit status: see EXIT STATUS in tufsh(1), or the table in README.md."
    })
public final class TufshCommand implements Runnable {
  /**
   * The top-level commands, in the order help lists them. Not in the annotation: picocli would
   * build every command's model for each command line, and {@link CommandLines#create(Session,
   * java.util.List)} builds only the one a line names.
   */
  static final java.util.List<Class<?>> COMMANDS = java.util.List.of(
      dev.tufsh.cli.HelpCommand.class,
      dev.tufsh.cli.commands.InitCommand.class,
      dev.tufsh.cli.commands.AdoptCommand.class,
      dev.tufsh.cli.commands.StatusCommand.class,
      dev.tufsh.cli.commands.KeyCommand.class,
      dev.tufsh.cli.commands.TargetCommand.class,
      dev.tufsh.cli.commands.ResignCommand.class,
      dev.tufsh.cli.commands.ResignCommand.Bump.class,
      dev.tufsh.cli.commands.RotateCommand.class,
      dev.tufsh.cli.commands.RevokeCommand.class,
      dev.tufsh.cli.commands.DelegationCommand.class,
      dev.tufsh.cli.commands.SignCommand.class,
      dev.tufsh.cli.commands.CeremonyCommand.class,
      dev.tufsh.cli.commands.PlanCommand.class,
      dev.tufsh.cli.commands.PublishCommand.class,
      dev.tufsh.cli.commands.RefreshCommand.class,
      dev.tufsh.cli.commands.CheckCommand.class,
      dev.tufsh.cli.commands.GcCommand.class,
      dev.tufsh.cli.commands.LintCommand.class,
      dev.tufsh.cli.commands.CheckpointCommand.class,
      dev.tufsh.cli.commands.DiffCommand.class,
      dev.tufsh.cli.commands.RestoreCommand.class,
      dev.tufsh.cli.commands.ReshapeCommand.class,
      dev.tufsh.cli.commands.DiscardCommand.class,
      dev.tufsh.cli.commands.VerifyCommand.class,
      dev.tufsh.cli.commands.RunCommand.class,
      dev.tufsh.cli.commands.RecordCommand.class,
      dev.tufsh.cli.commands.JshellCommand.class,
      dev.tufsh.cli.commands.AuditCommand.class);

  private final Session session;

  // Global options are setter methods that only ever switch a flag on: picocli flips an inherited
  // boolean field given twice (root and subcommand: "--yes run ... revoke --yes"), and a runbook
  // line or REPL command repeats the shell's start-up options. Given twice, an option means once.
  private Path repo;
  private boolean json;
  private boolean yes;
  private Path passphraseFile;
  private boolean noColor;
  private boolean debug;
  private java.time.Instant now;

  @Option(
      names = "--repo",
      paramLabel = "DIR",
      scope = ScopeType.INHERIT,
      description = "Repository workspace (default: $TUFSH_REPO, else the current folder).")
  void repo(Path dir) {
    repo = dir;
  }

  @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print results as JSON, for scripts.")
  void json(boolean on) {
    json |= on;
  }

  @Option(
      names = {"--yes", "-y"},
      scope = ScopeType.INHERIT,
      description = "Answer yes to confirmations (for scripts).")
  void yes(boolean on) {
    yes |= on;
  }

  @Option(
      names = "--passphrase-file",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "Read key passphrases from FILE (first line) instead of prompting.")
  void passphraseFile(Path file) {
    passphraseFile = file;
  }

  @Option(names = "--no-color", scope = ScopeType.INHERIT, description = "Do not colour output.")
  void noColor(boolean on) {
    noColor |= on;
  }

  @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Show stack traces on errors.")
  void debug(boolean on) {
    debug |= on;
  }

  private java.time.Duration lockWait;

  @Option(names = "--wait", paramLabel = "DURATION", scope = ScopeType.INHERIT,
      converter = Durations.Converter.class,
      description = "When another writer holds the repository lock, wait up to DURATION (e.g. 5m) for it.")
  void lockWait(java.time.Duration d) {
    lockWait = d;
  }

  /** How long a writer waits for the lock ({@code --wait}); zero refuses at once. */
  public java.time.Duration lockWait() {
    return lockWait == null ? java.time.Duration.ZERO : lockWait;
  }

  // For tests and rehearsals: operations see this instant as now, so signed bytes are reproducible.
  @Option(names = "--now", hidden = true, paramLabel = "TIME", scope = ScopeType.INHERIT,
      converter = Durations.InstantConverter.class, description = "Act as if it were TIME (UTC).")
  void now(java.time.Instant at) {
    now = at;
  }

  /**
   * The global options in effect, as arguments: what a nested command (a runbook line, a script's
   * command, a REPL line) repeats so it runs as its caller was asked to. {@code --repo} is left
   * out; callers name the repository themselves (a dry run uses a copy).
   */
  public java.util.List<String> asArgs() {
    java.util.List<String> g = new java.util.ArrayList<>();
    if (json) {
      g.add("--json");
    }
    if (yes) {
      g.add("--yes");
    }
    if (noColor) {
      g.add("--no-color");
    }
    if (debug) {
      g.add("--debug");
    }
    if (lockWait != null) {
      g.add("--wait");
      g.add(lockWait.toSeconds() + "s");
    }
    if (passphraseFile != null) {
      g.add("--passphrase-file");
      g.add(passphraseFile.toString());
    }
    if (now != null) {
      g.add("--now");
      g.add(now.toString());
    }
    return g;
  }

  @Option(
      names = "-c",
      paramLabel = "COMMANDS",
      description = "Run COMMANDS (separated by ';'), stop at the first failure, and exit.")
  String commands;

  @Option(
      names = {"--version", "-V"},
      versionHelp = true,
      description = "Print the version and exit.")
  boolean version;

  @Option(
      names = {"--help", "-h"},
      usageHelp = true,
      description = "Show help.")
  boolean help;

  public TufshCommand(Session session) {
    this.session = session;
  }

  public Session session() {
    return session;
  }

  /** The repository folder for this invocation: {@code --repo} wins over the session default. */
  public Path repo() {
    return repo != null ? repo.toAbsolutePath().normalize() : session.repo();
  }

  public boolean json() {
    return json;
  }

  public boolean yes() {
    return yes;
  }

  public Path passphraseFile() {
    return passphraseFile;
  }

  public boolean color() {
    return session.color() && !noColor && !json;
  }

  /** The commands given with {@code -c}, or null. */
  public String commands() {
    return commands;
  }

  public boolean debug() {
    return debug;
  }

  /** The instant given with the hidden {@code --now}, or null. */
  public java.time.Instant now() {
    return now;
  }

  /** The clock operations use: fixed at {@code --now} when given, else the session's. */
  public java.time.Clock clock() {
    return now != null ? java.time.Clock.fixed(now, java.time.ZoneOffset.UTC) : session.clock();
  }

  @Override
  public void run() {
    // Reached only for a bare "tufsh" with options; Main decides between REPL and stdin.
  }
}
