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
  private final String id;
  private Permissions permissions = Permissions.ALL;
  private CommandPolicy policy = CommandPolicy.ANY;
  private boolean remote;
  private Path passphraseFile;
  private java.util.Map<String, String> vaultBackends = java.util.Map.of();
  private java.util.Map<String, String> pkcs11Backends = java.util.Map.of();
  private dev.tufsh.runbook.Recorder recorder;
  private int depth;
  private String lastError;
  private Object lastResult;
  private com.fasterxml.jackson.databind.JsonNode jsonResult;
  private final java.util.List<com.fasterxml.jackson.databind.JsonNode> nestedJson = new java.util.ArrayList<>();
  private boolean skipAudit;
  private final AuditTrail audit = new AuditTrail();
  private java.util.Map<String, Integer> published = java.util.Map.of();
  private java.util.function.BiFunction<dev.tufsh.repo.Workspace, dev.tufsh.crypto.SecretSource,
          dev.tufsh.keys.KeyStore> keyStores =
      (ws, secrets) -> dev.tufsh.keys.KeyStores.standard(ws.privateDir(), secrets, System.getenv());

  public Session(
      Path repo, PrintWriter out, PrintWriter err, Interaction interaction, Clock clock, String actor, boolean color) {
    this.repo = repo.toAbsolutePath().normalize();
    this.out = out;
    this.err = err;
    this.interaction = interaction;
    this.clock = clock;
    this.actor = actor;
    this.color = color;
    this.id = Long.toString(ProcessHandle.current().pid()) + "-" + Integer.toHexString(System.identityHashCode(this));
  }

  /** The same session writing its output to {@code newOut} (to capture a command's result). */
  public Session withOutput(PrintWriter newOut) {
    Session s = new Session(repo, newOut, err, interaction, clock, actor, false);
    s.permissions = permissions;
    s.shell = shell;
    s.keyStores = keyStores;
    s.policy = policy;
    s.remote = remote;
    s.passphraseFile = passphraseFile;
    s.vaultBackends = vaultBackends;
    s.pkcs11Backends = pkcs11Backends;
    s.width = width;
    return s;
  }

  /**
   * How a workspace's key store is opened. The default is the file keystore under .tufsh/keys
   * together with the PKCS#11, Vault and offline keys listed in .tufsh/keys.json.
   */
  public Session keyStores(
      java.util.function.BiFunction<dev.tufsh.repo.Workspace, dev.tufsh.crypto.SecretSource,
          dev.tufsh.keys.KeyStore> factory) {
    this.keyStores = factory;
    return this;
  }

  /**
   * The operations' view of {@code dir} for one command, with passphrases from {@code secrets}.
   * The key store is kept for the whole session (a shell, an SSH connection), so a key unlocked
   * once signs again without asking, like an agent; it is forgotten when the session ends.
   */
  public dev.tufsh.ops.Workbench workbench(Path dir, dev.tufsh.crypto.SecretSource secrets) {
    return workbench(dir, secrets, clock);
  }

  /** {@link #workbench(Path, dev.tufsh.crypto.SecretSource)} with another clock (the hidden --now). */
  public dev.tufsh.ops.Workbench workbench(Path dir, dev.tufsh.crypto.SecretSource secrets, Clock at) {
    currentSecrets = secrets;
    return new dev.tufsh.ops.Workbench(dir, ws -> keyStoreCache.computeIfAbsent(ws.root(),
        r -> keyStores.apply(ws, new dev.tufsh.crypto.SecretSource() {
          // The store outlives one command; each command brings its own source, asked through here.
          @Override
          public dev.tufsh.crypto.Secret secret(String purpose, boolean confirm) {
            return currentSecrets.secret(purpose, confirm);
          }

          @Override
          public dev.tufsh.crypto.Secret forKey(String key, String purpose, boolean confirm) {
            return currentSecrets.forKey(key, purpose, confirm);
          }

          @Override
          public boolean retry(String purpose) {
            return currentSecrets.retry(purpose);
          }

          @Override
          public boolean mayPrompt() {
            return currentSecrets.mayPrompt();
          }
        })), at, actor)
        .files(remote ? dev.tufsh.ops.FileScope.exchange(dir) : dev.tufsh.ops.FileScope.local(dir));
  }

  private volatile dev.tufsh.crypto.SecretSource currentSecrets = dev.tufsh.crypto.SecretSource.NONE;
  private final java.util.Map<Path, dev.tufsh.keys.KeyStore> keyStoreCache =
      new java.util.concurrent.ConcurrentHashMap<>();

  private boolean shell;

  /** The terminal's columns now (a shell's window can be resized), or 0 when unknown. */
  private java.util.function.IntSupplier width = () -> 0;

  /** Where the session's terminal says how wide it is (the shell's, local or over SSH). */
  public Session width(java.util.function.IntSupplier columns) {
    this.width = columns;
    return this;
  }

  /** The terminal's width in columns, or 0 when this session does not know it. */
  public int width() {
    return width.getAsInt();
  }

  /** Marks this session as an interactive shell's (its help lists the shell's keys). */
  public Session inShell(boolean b) {
    this.shell = b;
    return this;
  }

  public boolean inShell() {
    return shell;
  }

  /** Restricts what this session may do (SSH sessions are limited to their key's roles). */
  public Session permissions(Permissions p) {
    this.permissions = p;
    return this;
  }

  public Permissions permissions() {
    return permissions;
  }

  /**
   * Makes this a remote session (SSH): every command line is checked by {@code p} before it runs,
   * and operations take files only from the workspace's exchange folders.
   */
  public Session remote(CommandPolicy p) {
    this.policy = p;
    this.remote = true;
    return this;
  }

  public CommandPolicy policy() {
    return policy;
  }

  public boolean isRemote() {
    return remote;
  }

  /** The passphrase file the process was started with (the SSH server's), used when a command gives none. */
  public Session passphraseFile(Path file) {
    this.passphraseFile = file;
    return this;
  }

  public Path passphraseFile() {
    return passphraseFile;
  }

  /**
   * Key backends the operator configured, by name: Vault addresses and PKCS#11 module paths. A
   * remote key holder names one of these and never gives an address or a library itself.
   */
  public Session backends(java.util.Map<String, String> vault, java.util.Map<String, String> pkcs11) {
    this.vaultBackends = java.util.Map.copyOf(vault);
    this.pkcs11Backends = java.util.Map.copyOf(pkcs11);
    return this;
  }

  public java.util.Map<String, String> vaultBackends() {
    return vaultBackends;
  }

  public java.util.Map<String, String> pkcs11Backends() {
    return pkcs11Backends;
  }

  /** The runbook being recorded in this session, or null. */
  public dev.tufsh.runbook.Recorder recorder() {
    return recorder;
  }

  public void recorder(dev.tufsh.runbook.Recorder r) {
    this.recorder = r;
  }

  /** How deep commands are nested (a runbook line run by {@code run} is at depth 1). */
  int enter() {
    return depth++;
  }

  void leave() {
    depth--;
  }

  /** A label for this session in locks and the audit trail. */
  public String id() {
    return id;
  }

  private String failedCommand;

  /** Names the command a parse error was about (no parse result says so). */
  void noteCommand(String name) {
    this.failedCommand = name;
  }

  String takeCommand() {
    String c = failedCommand;
    failedCommand = null;
    return c;
  }

  /** Records the one-line error of the command that just failed, for the audit trail. */
  public void noteError(String message) {
    this.lastError = message;
  }

  /** Records the role versions the command just published, for the audit trail. */
  public void notePublished(java.util.Map<String, Integer> versions) {
    this.published = java.util.Map.copyOf(versions);
  }

  /** Records the operation's result of the command that just ran, for scripts that want values. */
  public void noteResult(Object result) {
    this.lastResult = result;
  }

  /** The {@code --json} result of the command now running, printed in its envelope when it ends. */
  public void noteJson(com.fasterxml.jackson.databind.JsonNode result) {
    this.jsonResult = result;
  }

  com.fasterxml.jackson.databind.JsonNode takeJson() {
    var j = jsonResult;
    jsonResult = null;
    return j;
  }

  /** Keeps the envelope of a nested command (a runbook line) for the command that ran it. */
  void addNestedJson(com.fasterxml.jackson.databind.JsonNode envelope) {
    nestedJson.add(envelope);
  }

  /** Returns and clears the envelopes of the commands this one ran (a runbook's lines). */
  public java.util.List<com.fasterxml.jackson.databind.JsonNode> takeNestedJson() {
    var l = java.util.List.copyOf(nestedJson);
    nestedJson.clear();
    return l;
  }

  /** Returns and clears the last command's result (null when it noted none). */
  public Object takeResult() {
    Object r = lastResult;
    lastResult = null;
    return r;
  }

  AuditTrail audit() {
    return audit;
  }

  /** Keeps the command now running out of the audit log (a dry run must leave the workspace as it was). */
  public void skipAudit() {
    this.skipAudit = true;
  }

  boolean takeSkipAudit() {
    boolean s = skipAudit;
    skipAudit = false;
    return s;
  }

  /** Returns and clears what the last command noted. */
  String takeError() {
    String e = lastError;
    lastError = null;
    return e;
  }

  java.util.Map<String, Integer> takePublished() {
    var p = published;
    published = java.util.Map.of();
    return p;
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
