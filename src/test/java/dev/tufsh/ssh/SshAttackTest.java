package dev.tufsh.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.testing.Cli;
import dev.tufsh.testing.PassphraseFiles;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The attack table: what an authorized (or unauthorized) SSH client tries, driven by the real
 * OpenSSH client against {@code serve ssh} over a 4-bin repository. Each row asserts the exact
 * refusal (first line of stderr) and exit status, that the workspace (published, staged, keys) is
 * byte-identical afterwards, and that no secret (the server's passphrase, a canary file outside the
 * workspace, the host key, a key file, /etc/passwd) reached stdout, stderr or the audit log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshAttackTest {
  private static final String PASSPHRASE = "attack-test-passphrase-7f3a";
  private static final String CANARY = "CANARY-9d2e-never-over-ssh";

  @TempDir static Path dir;
  private Path repo;
  private Path incoming;
  private final Map<String, Path> keys = new TreeMap<>();
  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private final List<String> outputs = new CopyOnWriteArrayList<>();
  private final List<String> secrets = new ArrayList<>();
  private SshFrontend server;
  private ServerSocket evilVault;
  private int port;

  /** One attack: who, what they send, and the exact outcome. {@code err} is stderr's first line. */
  record Row(String name, String key, List<String> args, int status, String err) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Row row(String name, String key, int status, String err, String... args) {
    return new Row(name, key, List.of(args), status, err);
  }

  @BeforeAll
  void start() throws Exception {
    repo = dir.resolve("pypi");
    Path pass = PassphraseFiles.write(dir.resolve("passphrase"), PASSPHRASE + "\n");
    Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-------"));
    Cli.run("--repo", repo.toString(), "--passphrase-file", pass.toString(), "init", "--bins", "4").assertOk();
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Path canary = Files.writeString(outside.resolve("secret.txt"), CANARY + "\n");
    for (String k : List.of("admin", "ops", "reader", "expired", "elsewhere", "notme", "local", "forced", "nopty",
        "stranger", "project")) {
      keys.put(k, OpenSsh.keygen(dir, k, k + "@host"));
    }
    Path authorized = dir.resolve("authorized_keys");
    Files.writeString(authorized, "# attack table\n"
        + "tufsh-roles=\"*\" " + pub("admin")
        + "tufsh-roles=\"bin-*,snapshot,timestamp\" " + pub("ops")
        + pub("reader")
        + "this line is not a key\n"
        + "expiry-time=\"20200101Z\",tufsh-roles=\"*\" " + pub("expired")
        + "from=\"10.9.9.9\",tufsh-roles=\"*\" " + pub("elsewhere")
        + "from=\"!127.0.0.1,*\",tufsh-roles=\"*\" " + pub("notme")
        + "from=\"127.0.0.0/8\" " + pub("local")
        + "command=\"status\",tufsh-roles=\"*\" " + pub("forced")
        + "restrict " + pub("nopty")
        + "tufsh-roles=\"proj-*\" " + pub("project"));
    Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-------"));
    evilVault = new ServerSocket(0);
    evilVault.setSoTimeout(200);
    Path hostKey = dir.resolve("host_key");
    server = SshFrontend.start(new SshFrontend.Options("127.0.0.1", 0, hostKey, authorized, Duration.ofMinutes(5),
        repo, pass, Map.of("prod", "http://127.0.0.1:" + evilVault.getLocalPort()), Map.of("hsm", "/nonexistent.so"),
        warnings::add, 1000));
    port = server.port();
    OpenSsh.Result first = OpenSsh.exec(port, keys.get("admin"), "publish");
    assertEquals(0, first.status(), first.toString());

    incoming = repo.resolve("incoming");
    Files.writeString(incoming.resolve("pkg-1.0.tar.gz"), "a package\n");
    Files.copy(repo.resolve("metadata/1.root.json"), incoming.resolve("1.root.json"));
    // One published target, added the allowed way, so the read-only commands have something to show.
    OpenSsh.Result added = OpenSsh.exec(port, keys.get("admin"), "target", "add", "incoming/pkg-1.0.tar.gz",
        "--prefix", "packages");
    assertEquals(0, added.status(), added.toString());
    OpenSsh.Result published = OpenSsh.exec(port, keys.get("admin"), "--yes", "publish");
    assertEquals(0, published.status(), published.toString());
    assertTrue(Files.isRegularFile(repo.resolve("targets/packages/pkg-1.0.tar.gz")), "the target was not published");
    Files.createSymbolicLink(incoming.resolve("secretlink"), canary);
    Files.createSymbolicLink(incoming.resolve("outdir"), outside);
    Files.createSymbolicLink(repo.resolve("outgoing").resolve("meta"), repo.resolve("metadata"));
    String rootKey;
    try (Stream<Path> s = Files.list(repo.resolve(".tufsh/keys"))) {
      rootKey = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("root")).findFirst().orElseThrow();
    }
    Files.writeString(incoming.resolve("list-escape.txt"), "pkg ../.tufsh/keys/" + rootKey + "\n");
    Files.writeString(incoming.resolve("list-link.txt"), "pkg secretlink\n");
    Files.writeString(incoming.resolve("list-abs.txt"), "pkg " + canary + "\n");

    secrets.add(PASSPHRASE);
    secrets.add(CANARY);
    secrets.add(longestToken(Files.readString(hostKey)));
    secrets.add(longestToken(Files.readString(repo.resolve(".tufsh/keys/" + rootKey))));
    secrets.add("root:x:0:0");
  }

  @AfterAll
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
    if (evilVault != null) {
      evilVault.close();
    }
  }

  private String pub(String name) throws IOException {
    return Files.readString(Path.of(keys.get(name) + ".pub")).strip() + "\n";
  }

  private static String longestToken(String text) {
    String best = "";
    for (String t : text.split("[\\s\"{}:,]+")) {
      if (t.length() > best.length() && !t.startsWith("-----")) {
        best = t;
      }
    }
    return best.length() > 40 ? best.substring(8, 40) : best;
  }

  Stream<Row> rows() {
    String in = "${incoming}";
    String readOnly = "tufsh: error: key reader@host may only read; '%s' changes the repository";
    String outsideIn = "tufsh: error: over SSH, %s must lie in incoming/ (" + in + "); '%s' does not";
    String outsideOut = "tufsh: error: over SSH, sign export --out must lie in outgoing/ (${outgoing}); '%s' does not";
    String metricsOut = "tufsh: error: over SSH, check --metrics must lie in outgoing/ (${outgoing}); '%s' does not";
    String keystore = "tufsh: error: option --keystore of '%s' is not available over SSH: a personal key store is the"
        + " key holder's own, used on their console";
    String longWait = "tufsh: error: --wait over SSH is at most 120s (asked for %ss): a remote command may not hold"
        + " its channel longer; retry later, or wait on the server's console";
    String global = "tufsh: error: %s cannot be given over SSH: %s";
    return Stream.of(
        // picocli's @-files: never expanded, so never read, echoed or audited.
        row("@file: /etc/passwd is not read", "reader", 2, "tufsh: unknown command '@/etc/passwd'",
            "@/etc/passwd"),
        row("@file: the server's passphrase file", "reader", 2,
            "tufsh: unknown command '@" + dir.resolve("passphrase") + "'", "@" + dir.resolve("passphrase")),
        row("@file: /dev/zero does not hang the server", "reader", 2,
            "tufsh: unknown command '@/dev/zero'", "@/dev/zero"),
        row("@file after a command", "reader", 2, "tufsh: unexpected argument '@/etc/passwd'", "status",
            "@/etc/passwd"),
        row("@file as a file argument", "ops", 1, outsideIn.formatted("target add FILE", "@" + dir.resolve("outside")
            .resolve("secret.txt")), "target", "add", "@" + dir.resolve("outside").resolve("secret.txt")),
        // Hidden and server-side global options, in every spelling.
        row("--now before the command (freeze window)", "ops", 1,
            global.formatted("--now", "the server's clock decides expiries"), "--now", "2099-01-01T00:00:00Z", "bump",
            "timestamp"),
        row("--now=VALUE after the command (expired timestamp)", "ops", 1,
            global.formatted("--now", "the server's clock decides expiries"), "bump", "timestamp",
            "--now=2000-01-01T00:00:00Z"),
        row("--repo elsewhere", "admin", 1, global.formatted("--repo", "the server sets the workspace"), "--repo",
            "/etc", "status"),
        row("--repo=VALUE after the command", "admin", 1, global.formatted("--repo", "the server sets the workspace"),
            "status", "--repo=" + dir),
        row("--passphrase-file of the attacker's choosing", "admin", 1,
            global.formatted("--passphrase-file", "the server sets where passphrases come from"), "status",
            "--passphrase-file", "/etc/passwd"),
        row("--debug for stack traces", "admin", 1,
            global.formatted("--debug", "stack traces show the server's internals"), "--debug", "status"),
        row("-c runs nested commands", "admin", 1,
            global.formatted("-c", "send commands separated by ';' instead"), "-c", "'rotate root'"),
        row("quoted option name is still the option", "admin", 1,
            global.formatted("--repo", "the server sets the workspace"), "'--re''po'", "/etc", "status"),
        // Abbreviations and look-alikes are not options.
        row("abbreviated command", "reader", 2, "tufsh: unknown command 'stat'; did you mean 'status'?", "stat"),
        row("abbreviated option", "reader", 2, "tufsh: unknown option '--al' for 'status'; did you mean '--all'?", "status",
            "--al"),
        row("unicode minus signs are not an option", "admin", 2,
            "tufsh: unknown command '\u2212\u2212repo'",
            "\u2212\u2212repo", "/etc", "status"),
        row("bidirectional override is refused", "reader", 2,
            "tufsh: command line refused: character U+202E at position 7 is a control or formatting character",
            "status\u202e --repo /etc"),
        row("escape character is refused", "reader", 2,
            "tufsh: command line refused: character U+001B at position 7 is a control or formatting character",
            "status\u001b[2J"),
        // Command-specific options kept local.
        row("bump --to a far date (freeze window)", "ops", 1, "tufsh: error: option --to of 'bump' is not available"
            + " over SSH: remote bumps use the workspace's expiry periods (a chosen date could open a freeze-attack"
            + " window)", "bump", "timestamp", "--to", "2099-01-01T00:00:00Z"),
        row("bump --by=VALUE", "ops", 1, "tufsh: error: option --by of 'bump' is not available over SSH: remote bumps"
            + " use the workspace's expiry periods (a chosen date could open a freeze-attack window)", "bump",
            "timestamp", "--by=3650d"),
        // Local-only commands.
        row("jshell runs code", "admin", 1, "tufsh: error: 'jshell' runs only on the server's own console, not over"
            + " SSH: it runs code on the server", "jshell"),
        row("run a server-side runbook", "admin", 1, "tufsh: error: 'run' runs only on the server's own console, not"
            + " over SSH: it runs a runbook file of the server's", "run", "/etc/passwd"),
        row("record writes server files", "admin", 1, "tufsh: error: 'record' runs only on the server's own console,"
            + " not over SSH: it writes runbook files on the server", "record", "start", dir.resolve("r.tufsh").toString()),
        row("serve another server", "admin", 1, "tufsh: error: 'serve' runs only on the server's own console, not over"
            + " SSH: it starts servers", "serve", "ssh", "--port", "0", "--host-key", "/tmp/k", "--authorized-keys",
            "/tmp/a"),
        row("init over the workspace", "admin", 1, "tufsh: error: 'init' runs only on the server's own console, not"
            + " over SSH: the server's workspace exists already", "init", "--bins", "2"),
        row("reshape the bins", "admin", 1, "tufsh: error: 'reshape' runs only on the server's own console, not over"
            + " SSH: reshaping the hashed bins is decided at the repository host", "reshape", "--bins", "8"),
        row("target-hash transition", "admin", 1, "tufsh: error: 'target rehash' runs only on the server's own"
            + " console, not over SSH: a target-hash transition is decided at the repository host", "target",
            "rehash", "--add", "blake2b-256"),
        // sign export writes only to outgoing/.
        row("sign export into metadata/", "reader", 1, outsideOut.formatted("metadata"), "sign", "export", "--out",
            "metadata"),
        row("sign export --out=outgoing/../metadata", "reader", 1, outsideOut.formatted("outgoing/../metadata"), "sign",
            "export", "--out=outgoing/../metadata"),
        row("sign export through a link in outgoing/", "reader", 1, outsideOut.formatted("outgoing/meta"), "sign",
            "export", "--out", "outgoing/meta"),
        row("sign export to an absolute path", "reader", 1, outsideOut.formatted("/tmp"), "sign", "export", "--out",
            "/tmp"),
        // check --metrics writes only into outgoing/ (the server's own timer writes the textfile collector's).
        row("check --metrics into metadata/", "reader", 1, metricsOut.formatted("metadata/x.prom"), "check",
            "--metrics", "metadata/x.prom"),
        row("check --metrics=outgoing/../.tufsh", "reader", 1, metricsOut.formatted("outgoing/../.tufsh/x.prom"),
            "check", "--metrics=outgoing/../.tufsh/x.prom"),
        row("check --metrics through a link in outgoing/", "reader", 1, metricsOut.formatted("outgoing/meta/x.prom"),
            "check", "--metrics", "outgoing/meta/x.prom"),
        row("check --metrics to an absolute path", "reader", 1, metricsOut.formatted("/etc/cron.d/x"), "check",
            "--metrics", "/etc/cron.d/x"),
        // --keystore (every key command's personal store) stays on the key holder's console.
        row("key list --keystore of the server's", "reader", 1, keystore.formatted("key list"), "key", "list",
            "--keystore", dir.toString()),
        row("key generate --keystore=DIR", "admin", 1, keystore.formatted("key generate"), "key", "generate", "x",
            "--keystore=/tmp"),
        row("key show --keystore (default store)", "reader", 1, keystore.formatted("key show"), "key", "show", "x",
            "--keystore"),
        // --wait holds a channel: capped.
        row("--wait beyond the cap", "ops", 1, longWait.formatted("3600"), "--wait", "1h", "refresh"),
        row("--wait=VALUE after the command, for ever", "ops", 1, longWait.formatted("3153600000"), "publish",
            "--wait=100y"),
        row("--wait within the cap", "reader", 0, "", "--wait", "2m", "status"),
        // refresh, gc: changing commands, each under its grant.
        row("read-only key refreshes", "reader", 1, readOnly.formatted("refresh"), "refresh"),
        row("read-only key collects garbage", "reader", 1, readOnly.formatted("gc"), "gc"),
        row("read-only key: gc --dry-run changes nothing", "reader", 0, "", "gc", "--dry-run"),
        row("read-only key: refresh --dry-run changes nothing", "reader", 0, "", "refresh", "--dry-run"),
        row("scoped key collects garbage", "ops", 1, "tufsh: error: key ops@host may change bin-*, snapshot,"
            + " timestamp; 'gc' needs every role (*)", "gc", "--retention", "1s"),
        row("refresh --dry-run by the online-roles key", "ops", 0, "", "refresh", "--dry-run"),
        // revoke: its dry run shows the blast radius only; the revoke itself stays the admin's.
        row("read-only key revokes", "reader", 1, readOnly.formatted("revoke"), "revoke", "bin-n-1", "--generate"),
        row("read-only key: revoke --dry-run changes nothing", "reader", 0, "", "revoke", "bin-n-1", "--dry-run"),
        row("gc --dry-run by an admin key", "admin", 0, "", "gc", "--dry-run"),
        // checkpoint writes only to outgoing/, with a key of the server's store; diff and restore read incoming/.
        row("checkpoint into metadata/", "admin", 1, "tufsh: error: over SSH, checkpoint --out must lie in outgoing/"
            + " (${outgoing}); 'metadata/cp.json' does not", "checkpoint", "--key", "targets-1", "--out", "metadata/cp.json"),
        row("checkpoint to an absolute path", "admin", 1, "tufsh: error: over SSH, checkpoint --out must lie in"
            + " outgoing/ (${outgoing}); '/tmp/cp.json' does not", "checkpoint", "--key", "targets-1", "--out", "/tmp/cp.json"),
        row("checkpoint --out=outgoing/../.tufsh", "admin", 1, "tufsh: error: over SSH, checkpoint --out must lie in"
            + " outgoing/ (${outgoing}); 'outgoing/../.tufsh/cp.json' does not", "checkpoint", "--key", "targets-1",
            "--out=outgoing/../.tufsh/cp.json"),
        row("checkpoint with a personal key store", "admin", 1, "tufsh: error: option --keystore of 'checkpoint' is"
            + " not available over SSH: a personal key store is the key holder's own, used on their console",
            "checkpoint", "--key", "targets-1", "--out", "outgoing/cp.json", "--keystore", "/tmp"),
        row("diff against a file outside incoming/", "reader", 1, outsideIn.formatted("diff --against", "/etc/passwd"),
            "diff", "--against", "/etc/passwd", "--key", "targets-1"),
        row("restore from the audit log", "admin", 1, outsideIn.formatted("restore --from", ".tufsh/audit.log"),
            "restore", "--from", ".tufsh/audit.log", "--key", "targets-1"),
        row("restore through a symlink in incoming/", "admin", 1, outsideIn.formatted("restore --from",
            "incoming/secretlink"), "restore", "--from", "incoming/secretlink", "--key", "targets-1"),
        // Files to read: only incoming/, on real paths.
        row("target add a private key", "admin", 1, outsideIn.formatted("target add FILE", ".tufsh/keys/x.key.json"),
            "target", "add", ".tufsh/keys/x.key.json"),
        row("target add incoming/../.tufsh", "admin", 1, outsideIn.formatted("target add FILE", "incoming/../.tufsh/audit.log"),
            "target", "add", "incoming/../.tufsh/audit.log"),
        row("target add a symlink in incoming/ to a file outside", "admin", 1,
            outsideIn.formatted("target add FILE", "incoming/secretlink"), "target", "add", "incoming/secretlink"),
        row("target add through a linked folder", "admin", 1,
            outsideIn.formatted("target add FILE", "incoming/outdir/secret.txt"), "target", "add",
            "incoming/outdir/secret.txt"),
        row("target add an absolute path", "admin", 1, outsideIn.formatted("target add FILE", "/etc/passwd"), "target",
            "add", "/etc/passwd"),
        row("--list outside incoming/", "admin", 1, outsideIn.formatted("target add --list", "/etc/passwd"), "target",
            "add", "--list", "/etc/passwd"),
        row("--list naming ../.tufsh/keys", "admin", 1, "tufsh: error: " + in + "/list-escape.txt:1: over SSH, "
            + "target pkg: file must lie in incoming/ ("
            + in + "); '" + in + "/../.tufsh/keys/${rootkey}' does not", "target", "add", "--list",
            "incoming/list-escape.txt"),
        row("--list naming a symlink out", "admin", 1, "tufsh: error: " + in + "/list-link.txt:1: over SSH, "
            + "target pkg: file must lie in incoming/ ("
            + in + "); '" + in + "/secretlink' does not", "target", "add", "--list", "incoming/list-link.txt"),
        row("--list naming an absolute path", "admin", 1, "tufsh: error: " + in + "/list-abs.txt:1: over SSH, "
            + "target pkg: file must lie in incoming/"
            + " (" + in + "); '" + dir.resolve("outside/secret.txt") + "' does not", "target", "add", "--list",
            "incoming/list-abs.txt"),
        row("verify --root outside incoming/", "reader", 1, outsideIn.formatted("verify --root", "/etc/hostname"),
            "verify", "--root", "/etc/hostname"),
        row("sign import from the staging area", "admin", 1, outsideIn.formatted("sign import FILE",
            ".tufsh/staged/timestamp.json"), "sign", "import", ".tufsh/staged/timestamp.json"),
        row("key import of the server's own key file", "admin", 1, outsideIn.formatted("key import FILE",
            ".tufsh/keys/${rootkey}"), "key", "import", ".tufsh/keys/${rootkey}", "--name", "stolen"),
        row("key add-offline of a server file", "admin", 1, outsideIn.formatted("key add-offline PUBLIC", "/etc/passwd"),
            "key", "add-offline", "/etc/passwd", "--name", "x"),
        // Backends: names the operator configured, never an address or a module.
        row("key add-vault --address of the attacker's", "admin", 1, "tufsh: error: option --address of 'key"
            + " add-vault' is not available over SSH: the server contacts only the Vaults its operator configured:"
            + " give --backend NAME", "key", "add-vault", "--key", "k", "--name", "v", "--address",
            "http://127.0.0.1:${evil}"),
        row("key add-vault without a backend (VAULT_ADDR)", "admin", 1, "tufsh: error: over SSH, 'key add-vault' needs"
            + " --backend NAME (a backend the server's operator configured)", "key", "add-vault", "--key", "k",
            "--name", "v"),
        row("key add-vault --token-file", "admin", 1, "tufsh: error: option --token-file of 'key add-vault' is not"
            + " available over SSH: the server's own VAULT_TOKEN or ~/.vault-token is used", "key", "add-vault",
            "--backend", "prod", "--key", "k", "--name", "v", "--token-file", "incoming/pkg-1.0.tar.gz"),
        row("key add-vault on an unknown backend", "admin", 2, "tufsh: error: no Vault backend named 'nope'; configured:"
            + " prod", "key", "add-vault", "--key", "k", "--name", "v", "--backend", "nope"),
        row("key add-pkcs11 --module dlopen()s a library", "admin", 1, "tufsh: error: option --module of 'key"
            + " add-pkcs11' is not available over SSH: the server loads only the PKCS#11 modules its operator"
            + " configured: give --backend NAME", "key", "add-pkcs11", "--module", "/tmp/evil.so", "--label", "l",
            "--name", "n"),
        row("key add-pkcs11 with the default module", "admin", 1, "tufsh: error: over SSH, 'key add-pkcs11' needs"
            + " --backend NAME (a backend the server's operator configured)", "key", "add-pkcs11", "--label", "l",
            "--name", "n"),
        // Grants.
        row("read-only key bumps", "reader", 1, readOnly.formatted("bump"), "bump", "snapshot"),
        row("read-only key publishes", "reader", 1, readOnly.formatted("publish"), "publish"),
        row("read-only key adds a target", "reader", 1, readOnly.formatted("target add"), "target", "add",
            "incoming/pkg-1.0.tar.gz"),
        row("read-only key imports signatures", "reader", 1, readOnly.formatted("sign import"), "sign", "import",
            "incoming/pkg-1.0.tar.gz"),
        row("scoped key rotates root", "ops", 1, "tufsh: error: key ops@host may change bin-*, snapshot, timestamp;"
            + " 'rotate a key of root' needs root", "rotate", "root", "--yes"),
        row("a key name that is a path", "reader", 2, "tufsh: error: no key named '../../../etc/passwd' (see 'key"
            + " list')", "key", "show", "../../../etc/passwd"),
        row("scoped key generates keys", "ops", 1, "tufsh: error: key ops@host may change bin-*, snapshot, timestamp;"
            + " 'key generate' needs every role (*)", "key", "generate", "mine"),
        // Separators: each command is checked on its own; the shell's metacharacters mean nothing.
        row("';' then a refused command", "ops", 1, "tufsh: error: key ops@host may change bin-*, snapshot, timestamp;"
            + " 'rotate a key of root' needs root", "status --json; rotate root --yes"),
        row("newline then a refused command", "reader", 1, readOnly.formatted("bump"), "status --json\nbump snapshot"),
        row("&& is a word, not an operator", "reader", 2, "tufsh: unexpected argument '&&'",
            "status && id"),
        row("$(...) is not expanded", "reader", 2,
            "tufsh: unexpected argument '$(cat'",
            "status $(cat /etc/passwd)"),
        row("backquotes are not expanded", "reader", 2, "tufsh: unexpected argument '`id`'", "status `id`"),
        row("unterminated quote", "reader", 2, "tufsh: unterminated single quote in: status 'x", "status 'x"),
        // Size.
        row("a very long line", "reader", 2, "tufsh: command line refused: 5007 characters; at most 4096",
            "status " + "x".repeat(5000)),
        row("too many words", "reader", 2, "tufsh: command refused: 301 words; at most 256",
            "status" + " x".repeat(300)),
        // Delegations: role-limited grants, and names and patterns that arrive remotely.
        row("scoped key delegates a role under targets", "ops", 1, "tufsh: error: key ops@host may change bin-*,"
            + " snapshot, timestamp; 'delegate proj' needs targets, proj", "delegation", "add", "proj", "--path", "p/*",
            "--key", "timestamp-1", "--before", "bins"),
        row("scoped key moves the bins' delegation", "ops", 1, "tufsh: error: key ops@host may change bin-*,"
            + " snapshot, timestamp; 'move delegations to targets' needs bins, targets", "delegation", "move", "bins",
            "--parent", "targets"),
        row("a delegated role name that is a path", "admin", 2, "tufsh: error: delegation add ../../etc: field 'role':"
            + " role name '../../etc' contains a path separator", "delegation", "add", "../../etc", "--path", "p/*",
            "--key", "timestamp-1", "--before", "bins"),
        row("a delegation path pattern that climbs", "admin", 2, "tufsh: error: delegation add proj: --path '../*' has"
            + " an empty, '.' or '..' segment", "delegation", "add", "proj", "--path", "../*", "--key", "timestamp-1",
            "--before", "bins"),
        row("a delegation key that is a server path", "admin", 2, "tufsh: error: delegation add proj: --key"
            + " '/etc/passwd': no key '/etc/passwd' in the key store", "delegation", "add", "proj", "--path", "p/*", "--key", "/etc/passwd", "--before", "bins"),
        row("scoped key re-paths the bins' delegation", "ops", 1, "tufsh: error: key ops@host may change bin-*,"
            + " snapshot, timestamp; 'change delegation bins' needs bins, targets", "delegation", "set", "bins",
            "--path", "*"),
        row("a new delegation path pattern that climbs", "admin", 2, "tufsh: error: delegation set bins: --path"
            + " 'x/../*' has an empty, '.' or '..' segment", "delegation", "set", "bins", "--path", "x/../*"),
        row("scoped key re-sets the bins' delegation's hash prefixes", "ops", 1, "tufsh: error: key ops@host may"
            + " change bin-*, snapshot, timestamp; 'change delegation bins' needs bins, targets", "delegation", "set",
            "bins", "--hash-prefix", "0"),
        row("hash prefixes that leave the hashed bins unreachable", "admin", 2, "tufsh: error: delegation set bins:"
            + " 'bins' delegates to succinct hashed bins, which cover every path hash; the new prefixes must too",
            "delegation", "set", "bins", "--hash-prefix", "0"),
        row("read-only key shows delegations", "reader", 0, "", "delegation", "show"),
        row("a project's key adds a target its role does not take", "project", 1, "tufsh: error: key project@host may"
            + " change proj-*; 'add targets' needs bin-1", "target", "add", "incoming/pkg-1.0.tar.gz", "--prefix", "other"),
        // What does work, to show the refusals are not blanket ones.
        row("help of an allowed command", "reader", 0, "", "status", "--help"),
        row("from= a matching CIDR block", "local", 0, "", "status"),
        row("read-only verify from a root in incoming/", "reader", 0, "", "verify", "--root", "incoming/1.root.json"),
        row("a control character (SOH) is refused", "reader", 2,
            "tufsh: command line refused: character U+0001 at position 7 is a control or formatting character",
            "status\u0001"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void attack_is_refused_exactly_and_changes_and_leaks_nothing(Row row) throws Exception {
    Map<String, String> before = workspace();
    int auditLines = auditLines().size();
    List<String> args = row.args().stream().map(this::expand).toList();
    OpenSsh.Result r = OpenSsh.exec(port, keys.get(row.key()), args.toArray(String[]::new));
    outputs.add(r.out());
    outputs.add(r.err());
    assertEquals(row.status(), r.status(), r.toString());
    String first = r.err().lines().findFirst().orElse("");
    assertEquals(expand(row.err()), first, r.toString());
    assertEquals(before, workspace(), "the workspace changed");
    List<String> added = auditLines().subList(auditLines, auditLines().size());
    for (String line : added) {
      assertTrue(line.length() <= 8192, "audit line of " + line.length() + " characters");
    }
    assertNoSecret(r.out() + r.err() + String.join("\n", added));
    if (row.name().contains("--address")) {
      try (var s = evilVault.accept()) {
        throw new AssertionError("the server contacted the address the client gave");
      } catch (SocketTimeoutException expected) {
        // nobody called
      }
    }
  }

  /** A server of its own, so that failed connections are counted from zero. */
  private SshFrontend fresh(int failureLimit) {
    return SshFrontend.start(new SshFrontend.Options("127.0.0.1", 0, dir.resolve("host_key"),
        dir.resolve("authorized_keys"), Duration.ofMinutes(5), repo, null, Map.of(), Map.of(), warnings::add,
        failureLimit));
  }

  /**
   * Read-only means read-only: every command the policy lets a key without tufsh-roles run, run
   * by such a key over a workspace with staged changes, leaves published, staged and private files
   * byte-identical (the audit log and the exchange folders aside). A READ rule added to the policy
   * fails here until it has a sample line.
   */
  @Test
  void a_read_only_key_runs_every_read_command_and_the_workspace_stays_byte_identical() throws Exception {
    OpenSsh.Result bump = OpenSsh.exec(port, keys.get("admin"), "bump", "timestamp", "snapshot");
    assertEquals(0, bump.status(), bump.toString());
    try {
      String key = dev.tufsh.json.Json.parse(OpenSsh.exec(port, keys.get("reader"), "key", "list", "--json").out(),
          "keys").get("result").get("keys").get(0).get("name").asText();
      Map<String, List<String>> samples = new TreeMap<>(Map.ofEntries(
          Map.entry("", List.of("--version")),
          Map.entry("help", List.of("help", "status")),
          Map.entry("status", List.of("status", "--all", "--json")),
          Map.entry("check", List.of("check", "--json", "--metrics", "outgoing/check.prom")),
          Map.entry("lint", List.of("lint", "--json")),
          Map.entry("diff", List.of("diff", "--against", "incoming/cp.json", "--key", "targets-1", "--json")),
          Map.entry("plan", List.of("plan", "--json")),
          Map.entry("verify", List.of("verify", "--root", "incoming/1.root.json")),
          Map.entry("audit verify", List.of("audit", "verify")),
          Map.entry("audit show", List.of("audit", "show", "--last", "5")),
          Map.entry("key list", List.of("key", "list", "--json")),
          Map.entry("target list", List.of("target", "list", "--json")),
          Map.entry("target show", List.of("target", "show", "packages/pkg-1.0.tar.gz")),
          Map.entry("delegation show", List.of("delegation", "show", "bins", "--json")),
          Map.entry("key show", List.of("key", "show", key)),
          Map.entry("key export-public", List.of("key", "export-public", key, "--pem")),
          Map.entry("sign export", List.of("sign", "export", "--out", "outgoing/review"))));
      assertEquals(RemotePolicy.RULES.stream().filter(r -> r.need() == RemotePolicy.Need.READ)
          .map(RemotePolicy.Rule::command).sorted().toList(), List.copyOf(samples.keySet()),
          "every read-only command needs a sample here");
      OpenSsh.Result cp = OpenSsh.exec(port, keys.get("admin"), "checkpoint", "--key", "targets-1", "--out",
          "outgoing/cp.json");
      assertEquals(0, cp.status(), cp.toString());
      Files.copy(repo.resolve("outgoing/cp.json"), incoming.resolve("cp.json"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Map<String, String> before = workspace();
      for (List<String> line : samples.values()) {
        OpenSsh.Result r = OpenSsh.exec(port, keys.get("reader"), line.toArray(String[]::new));
        outputs.add(r.out());
        outputs.add(r.err());
        assertEquals(0, r.status(), line + ": " + r);
        assertNoSecret(r.out() + r.err());
      }
      assertEquals(before, workspace(), "a read-only command changed the workspace");
      assertTrue(Files.isRegularFile(repo.resolve("outgoing/review/timestamp.json")), "sign export wrote nothing");
      assertTrue(Files.readString(repo.resolve("outgoing/check.prom")).contains("tufsh_check_status "),
          "check --metrics wrote nothing into outgoing/");
    } finally {
      OpenSsh.Result discard = OpenSsh.exec(port, keys.get("admin"), "--yes", "discard");
      assertEquals(0, discard.status(), discard.toString());
    }
  }

  /**
   * Fails closed: when the audit log cannot take the intent (here a folder stands where the log
   * file was, which even root cannot append to), a remote publish does not run: exit 1, the refusal
   * named, metadata/ and the staging area byte-identical.
   */
  @Test
  void a_remote_publish_with_an_unwritable_audit_log_fails_closed_and_publishes_nothing() throws Exception {
    OpenSsh.Result bump = OpenSsh.exec(port, keys.get("ops"), "bump", "timestamp");
    assertEquals(0, bump.status(), bump.toString());
    Path log = repo.resolve(".tufsh/audit.log");
    Path kept = dir.resolve("audit.log.kept"); // outside the workspace, so the digest compares like with like
    Map<String, String> before = workspace();
    Files.move(log, kept);
    try {
      Files.createDirectory(log);
      OpenSsh.Result r = OpenSsh.exec(port, keys.get("ops"), "--yes", "publish");
      assertEquals(1, r.status(), r.toString());
      assertEquals("tufsh: error: cannot append to audit log " + real(log) + ": Is a directory",
          r.err().lines().findFirst().orElse(""), r.toString());
      assertEquals(before, workspace(), "published or staged files changed without an audit record");
      assertNoSecret(r.out() + r.err());
    } finally {
      Files.delete(log);
      Files.move(kept, log);
      OpenSsh.Result discard = OpenSsh.exec(port, keys.get("admin"), "--yes", "discard");
      assertEquals(0, discard.status(), discard.toString());
    }
  }

  /** The allowed way: a PKCS#11 module the operator named, by name (softhsm2, the PIN from the server's file). */
  @Test
  void a_key_on_a_configured_pkcs11_backend_is_registered_by_name() throws Exception {
    dev.tufsh.keys.pkcs11.SoftHsm.get();
    Path pin = Files.writeString(dir.resolve("pin"), dev.tufsh.keys.pkcs11.SoftHsm.PIN + "\n");
    Files.setPosixFilePermissions(pin, PosixFilePermissions.fromString("rw-------"));
    try (SshFrontend hsm = SshFrontend.start(new SshFrontend.Options("127.0.0.1", 0, dir.resolve("host_key"),
        dir.resolve("authorized_keys"), Duration.ofMinutes(5), repo, pin, Map.of(),
        Map.of("hsm", dev.tufsh.keys.pkcs11.SoftHsm.MODULE), warnings::add, 100))) {
      OpenSsh.Result r = OpenSsh.exec(hsm.port(), keys.get("admin"), "key", "add-pkcs11", "--backend", "hsm",
          "--token", dev.tufsh.keys.pkcs11.SoftHsm.TOKEN, "--label", "ec-1", "--name", "hsm-ts", "--json");
      assertEquals(0, r.status(), r.toString());
      assertTrue(r.out().contains("module-path=" + dev.tufsh.keys.pkcs11.SoftHsm.MODULE), r.out());
      OpenSsh.Result unknown = OpenSsh.exec(hsm.port(), keys.get("admin"), "key", "add-pkcs11", "--backend",
          "other", "--label", "ec-1", "--name", "hsm-2");
      assertEquals("tufsh: error: no PKCS#11 module backend named 'other'; configured: hsm",
          unknown.err().lines().findFirst().orElse(""), unknown.toString());
    }
  }

  @Test
  void keys_outside_their_restrictions_do_not_authenticate() throws Exception {
    try (SshFrontend own = fresh(100)) {
      for (String k : List.of("expired", "elsewhere", "notme", "forced", "stranger")) {
        OpenSsh.Result r = OpenSsh.exec(own.port(), keys.get(k), "status");
        assertEquals(255, r.status(), k + ": " + r);
        assertTrue(r.err().contains("Permission denied (publickey)"), k + ": " + r.err());
      }
    }
    List<String> audit = auditLines();
    assertTrue(audit.stream().anyMatch(l -> l.contains("expired@host") && l.contains("the key expired at"
        + " 2020-01-01T00:00:00Z (expiry-time=)")), String.join("\n", audit));
    assertTrue(audit.stream().anyMatch(l -> l.contains("elsewhere@host")
        && l.contains("connections from 127.0.0.1 may not use this key (from=)")));
    assertTrue(audit.stream().anyMatch(l -> l.contains("notme@host") && l.contains("(from=)")));
    // The bad line and the forced-command line are skipped, each named, and the other keys still work.
    assertTrue(warnings.stream().anyMatch(w -> w.endsWith("line 5 skipped: not a key this server can read"
        + " (IllegalArgumentException)")), warnings.toString());
    assertTrue(warnings.stream().anyMatch(w -> w.endsWith("line 10 skipped: command= (a forced command) is not"
        + " supported, so the key is not accepted")), warnings.toString());
  }

  @Test
  void restrict_refuses_a_pty_and_the_key_still_runs_commands_without_one() throws Exception {
    List<String> cmd = OpenSsh.base(port, keys.get("nopty"));
    cmd.addAll(List.of("-tt", "127.0.0.1", "status", "--json"));
    OpenSsh.Result forced = OpenSsh.run(cmd, 60);
    // ssh -tt gives up when the pty is refused, as it does against sshd with no-pty.
    assertEquals(255, forced.status(), forced.toString());
    assertTrue(forced.err().contains("PTY allocation request failed"), forced.err());
    assertTrue(auditLines().stream().anyMatch(l -> l.contains("nopty@host") && l.contains("pty-req")));
    OpenSsh.Result plain = OpenSsh.exec(port, keys.get("nopty"), "status", "--json");
    assertEquals(0, plain.status(), plain.toString());
  }

  @Test
  void a_user_name_of_any_length_costs_one_bounded_audit_line() throws Exception {
    int before = auditLines().size();
    try (SshFrontend own = fresh(100)) {
      List<String> cmd = OpenSsh.base(own.port(), keys.get("stranger"));
      cmd.addAll(List.of("-l", "m".repeat(3000), "127.0.0.1", "status"));
      OpenSsh.Result r = OpenSsh.run(cmd, 60);
      assertEquals(255, r.status(), r.toString());
    }
    List<String> added = auditLines().subList(before, auditLines().size());
    assertEquals(1, added.size(), String.join("\n", added));
    assertTrue(added.get(0).length() < 1500, added.get(0).length() + " characters");
  }

  @Test
  void failed_connections_shut_their_source_out_and_stop_being_audited() throws Exception {
    try (SshFrontend strict = fresh(4)) {
      int before = auditLines().size();
      for (int i = 0; i < 4; i++) {
        OpenSsh.Result r = OpenSsh.exec(strict.port(), keys.get("stranger"), "status");
        assertTrue(r.err().contains("Permission denied (publickey)"), i + ": " + r);
      }
      // The server counts a failure when it closes the session, which can be after the client has
      // exited (a loaded machine): wait for the block to be recorded, not for a guessed time.
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (auditLines().size() < before + FailedAttempts.AUDITED_PER_WINDOW + 1 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      for (int i = 0; i < 3; i++) {
        OpenSsh.Result r = OpenSsh.exec(strict.port(), keys.get("reader"), "status");
        assertEquals(255, r.status(), r.toString());
        assertFalse(r.err().contains("Permission denied"), "the source was not shut out: " + r.err());
      }
      List<String> added = auditLines().subList(before, auditLines().size());
      assertEquals(FailedAttempts.AUDITED_PER_WINDOW + 1, added.size(), String.join("\n", added));
      assertTrue(added.get(added.size() - 1).contains("4 failed connections within 60 s; further connections from"
          + " 127.0.0.1 are closed unaudited"), added.get(added.size() - 1));
    }
  }

  @Test
  void no_secret_reached_any_output_the_audit_log_or_a_file_in_the_workspace() throws Exception {
    List<String> all = new ArrayList<>(outputs);
    all.addAll(warnings);
    assertNoSecret(String.join("\n", all));
    try (Stream<Path> files = Files.walk(repo)) {
      for (Path f : files.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
        if (f.startsWith(repo.resolve(".tufsh/keys"))) {
          continue; // the key files themselves
        }
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        for (String s : List.of(PASSPHRASE, CANARY)) {
          assertFalse(text.contains(s), f + " holds a secret");
        }
      }
    }
  }

  private void assertNoSecret(String text) {
    for (String s : secrets) {
      assertFalse(text.contains(s), "a secret leaked: " + s.substring(0, Math.min(6, s.length())) + "...");
    }
  }

  private String expand(String s) {
    String rootKey;
    try (Stream<Path> st = Files.list(repo.resolve(".tufsh/keys"))) {
      rootKey = st.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("root")).findFirst().orElseThrow();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return s.replace("${incoming}", real(incoming).toString())
        .replace("${outgoing}", real(repo.resolve("outgoing")).toString())
        .replace("${rootkey}", rootKey)
        .replace("${evil}", Integer.toString(evilVault.getLocalPort()));
  }

  private static Path real(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private List<String> auditLines() throws IOException {
    return Files.readAllLines(repo.resolve(".tufsh/audit.log"));
  }

  /** Digest of every published, staged and private file (audit log, lock and exchange folders aside). */
  private Map<String, String> workspace() throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(repo)) {
      for (Path f : files.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
        String rel = repo.relativize(f).toString();
        if (rel.equals(".tufsh/audit.log") || rel.equals(".tufsh/lock") || rel.startsWith("incoming/")
            || rel.startsWith("outgoing/")) {
          continue;
        }
        out.put(rel, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
      }
    }
    return out;
  }
}
