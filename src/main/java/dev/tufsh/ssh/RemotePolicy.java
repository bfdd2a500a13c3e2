package dev.tufsh.ssh;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The remote policy, as data: every command a remote key holder may run, and for each the options
 * and positional arguments it may use and what kind of value each takes. Anything not named here
 * is refused, so a command or option added later stays local until it is given a line. Hidden and
 * local-only options ({@code --now}, {@code --repo}, {@code --passphrase-file}, {@code --debug},
 * {@code -c}) are simply absent. {@code RemotePolicyTest} fails for any command or option of the
 * picocli model without a decision here (allowed, or refused with a reason).
 */
final class RemotePolicy {
  /** What a key must be granted to run a command: any authorized key, or one with tufsh-roles. */
  enum Need {
    READ,
    CHANGE
  }

  /** How an allowed option's or positional's value is checked. */
  enum Value {
    /** A word the command validates itself (role name, key name, number, duration). */
    WORD,
    /** A file to read: must resolve (real path) into the workspace's incoming/ folder. */
    INCOMING,
    /** A folder to write into: must resolve into the workspace's outgoing/ folder. */
    OUTGOING,
    /** A backend name the server's operator configured; never an address or a path. */
    BACKEND
  }

  /**
   * One command: who may run it, its options, its positionals (null: none), options it must be
   * given, options refused with a reason, and flags that make a changing command read only
   * ({@code gc --dry-run}: then a key that may only read may run it).
   */
  record Rule(String command, Need need, Map<String, Value> options, Value positionals, Set<String> required,
      Map<String, String> refusedOptions, Set<String> readOnlyWith) {
    Rule {
      options = Map.copyOf(options);
      required = Set.copyOf(required);
      refusedOptions = Map.copyOf(refusedOptions);
      readOnlyWith = Set.copyOf(readOnlyWith);
    }

    Rule(String command, Need need, Map<String, Value> options, Value positionals, Set<String> required,
        Map<String, String> refusedOptions) {
      this(command, need, options, positionals, required, refusedOptions, Set.of());
    }

    /** {@code flag} (an allowed option) makes the command change nothing: any key may run it so. */
    Rule readOnlyWith(String flag) {
      if (!options.containsKey(flag)) {
        throw new IllegalStateException(command + ": " + flag + " must be an allowed option first");
      }
      return new Rule(command, need, options, positionals, required, refusedOptions, Set.of(flag));
    }

    Rule option(String name, Value v) {
      Map<String, Value> o = new LinkedHashMap<>(options);
      o.put(name, v);
      return new Rule(command, need, o, positionals, required, refusedOptions, readOnlyWith);
    }

    Rule options(String... names) {
      Rule r = this;
      for (String n : names) {
        r = r.option(n, Value.WORD);
      }
      return r;
    }

    Rule positionals(Value v) {
      return new Rule(command, need, options, v, required, refusedOptions, readOnlyWith);
    }

    Rule requires(String name) {
      return new Rule(command, need, options, positionals, Set.of(name), refusedOptions, readOnlyWith);
    }

    /** An option deliberately kept local, with the reason a remote caller is told. */
    Rule refuse(String name, String why) {
      Map<String, String> r = new LinkedHashMap<>(refusedOptions);
      r.put(name, why);
      return new Rule(command, need, options, positionals, required, r, readOnlyWith);
    }
  }

  private static Rule read(String command) {
    return new Rule(command, Need.READ, Map.of(), null, Set.of(), Map.of());
  }

  private static Rule change(String command) {
    return new Rule(command, Need.CHANGE, Map.of(), null, Set.of(), Map.of());
  }

  /** Options of the root, inherited by every command, that a remote caller may give. */
  static final Set<String> GLOBAL = Set.of("--json", "--yes", "--no-color", "--help", "--version", "--wait");

  /**
   * The longest {@code --wait} a remote caller may ask for. A waiting command holds its channel and
   * a server thread; past this a remote caller is told to retry, and a lock held longer is a matter
   * for the repository host's console (docs/threat-model.md). Longer values are refused, not cut,
   * so the caller is never surprised by a shorter wait than it asked for.
   */
  static final java.time.Duration MAX_WAIT = java.time.Duration.ofMinutes(2);

  /** Root options a remote caller may not give, and why. */
  static final Map<String, String> GLOBAL_REFUSED = Map.of(
      "--repo", "the server sets the workspace",
      "--passphrase-file", "the server sets where passphrases come from",
      "--debug", "stack traces show the server's internals",
      "--now", "the server's clock decides expiries",
      "-c", "send commands separated by ';' instead");

  /** Commands that only group others ({@code key generate}); the empty name is the root. */
  static final Set<String> GROUPS = Set.of("", "key", "target", "sign", "audit", "ceremony", "ceremony root",
      "delegation");

  private static final String CEREMONY = "a root key ceremony runs on the admin's and the holders' own consoles";

  /** Commands that run only on the server's own console, and why. */
  static final Map<String, String> LOCAL_ONLY = Map.ofEntries(
      Map.entry("init", "the server's workspace exists already"),
      Map.entry("adopt", "the server's workspace exists already"),
      Map.entry("key remove", "it deletes key material on the server"),
      Map.entry("key rename", "key names are the server operator's to choose"),
      Map.entry("jshell", "it runs code on the server"),
      Map.entry("run", "it runs a runbook file of the server's"),
      Map.entry("record", "it writes runbook files on the server"),
      Map.entry("record start", "it writes runbook files on the server"),
      Map.entry("record stop", "it writes runbook files on the server"),
      // Both restage every bin in one change that a person reviews at the host: a reshape re-signs a
      // delegating role with an offline key, a hash transition reads every target copy on the server.
      Map.entry("reshape", "reshaping the hashed bins is decided at the repository host"),
      Map.entry("target rehash", "a target-hash transition is decided at the repository host"),
      Map.entry("serve", "it starts servers"),
      Map.entry("serve ssh", "it starts servers"),
      Map.entry("key export-private", "a private key leaves the server only on its own console"),
      Map.entry("ceremony root start", CEREMONY),
      Map.entry("ceremony root sign", CEREMONY),
      Map.entry("ceremony root add-signature", CEREMONY),
      Map.entry("ceremony root status", CEREMONY),
      Map.entry("ceremony root finish", CEREMONY));

  private static final String KEYSTORE = "a personal key store is the key holder's own, used on their console";
  private static final String NOT_YET = "the payload form is not in the remote policy yet";
  private static final String BY_PERIOD = "remote bumps use the workspace's expiry periods (a chosen date could"
      + " open a freeze-attack window)";

  private static final String RETRUST = "trusting a revoked key again is decided at the repository host";

  static final List<Rule> RULES = List.of(
      read(""),
      read("help").positionals(Value.WORD),
      read("status").options("--all"),
      read("plan"),
      read("verify").options("--no-targets", "--at").option("--root", Value.INCOMING),
      read("audit verify").options("--head"),
      read("audit show").options("--last"),
      read("key list").refuse("--keystore", KEYSTORE),
      read("key show").positionals(Value.WORD).refuse("--keystore", KEYSTORE),
      read("target list").options("--prefix"),
      read("target show").positionals(Value.WORD),
      read("key export-public").options("--pem").positionals(Value.WORD).refuse("--keystore", KEYSTORE)
          .refuse("--out", "a remote caller gets the key printed and saves it on their side"),
      read("sign export").positionals(Value.WORD).option("--out", Value.OUTGOING).refuse("--payload", NOT_YET),
      change("sign import").positionals(Value.INCOMING).refuse("--role", NOT_YET).refuse("--signature", NOT_YET),
      change("target add").options("--prefix", "--path", "--length", "--sha256", "--sha512", "--blake2b-256",
          "--hash", "--strict", "--if-exists")
          .option("--list", Value.INCOMING).positionals(Value.INCOMING),
      change("target remove").positionals(Value.WORD),
      change("resign").options("--signed-by").positionals(Value.WORD),
      change("bump").options("--expiring-within", "--signed-by", "--allow-shorter").positionals(Value.WORD)
          .refuse("--to", BY_PERIOD).refuse("--by", BY_PERIOD),
      change("rotate").options("--old", "--new", "--scheme", "--threshold", "--add-keys").positionals(Value.WORD)
          .refuse("--force", RETRUST),
      // Its dry run shows the blast radius only (Access read then): a read-only key may plan an incident.
      change("revoke").options("--role", "--replace-with", "--generate", "--scheme", "--dry-run")
          .positionals(Value.WORD).refuse("--force", RETRUST).readOnlyWith("--dry-run"),
      // Delegations: role-limited through Access (the role, its delegator, --parent); names and
      // patterns are words the operation checks (role names file-safe, patterns without '..').
      read("delegation show").positionals(Value.WORD),
      change("delegation add").options("--parent", "--path", "--hash-prefix", "--key", "--threshold", "--terminating",
          "--before").positionals(Value.WORD),
      change("delegation set").options("--key", "--threshold", "--terminating", "--path", "--hash-prefix")
          .positionals(Value.WORD),
      change("delegation move").options("--parent", "--before").positionals(Value.WORD),
      change("delegation remove").positionals(Value.WORD),
      change("publish").refuse("--after-restore", "publishing over a metadata/ restored from a backup is decided at"
          + " the repository host"),
      change("discard"),
      // refresh needs a grant covering timestamp, snapshot and bin-*; gc an admin ("*") grant; their
      // dry runs only read (the commands' own Access says so too), so a read-only key may run those.
      change("refresh").options("--dry-run").readOnlyWith("--dry-run"),
      read("check").options("--warn-within", "--crit-within", "--staged-older-than").option("--metrics", Value.OUTGOING),
      change("gc").options("--retention", "--dry-run").readOnlyWith("--dry-run"),
      read("lint").options("--cadence", "--outage"),
      // checkpoint signs with a key of the server's store; a key holder's own store stays on their console.
      change("checkpoint").options("--key").option("--out", Value.OUTGOING).refuse("--keystore", KEYSTORE),
      read("diff").options("--key", "--only").option("--against", Value.INCOMING).refuse("--keystore", KEYSTORE),
      change("restore").options("--key", "--only").option("--from", Value.INCOMING).refuse("--keystore", KEYSTORE),
      change("key generate").options("--scheme").positionals(Value.WORD).refuse("--keystore", KEYSTORE),
      change("key import").options("--name", "--overwrite").positionals(Value.INCOMING).refuse("--keystore", KEYSTORE),
      change("key add-offline").options("--name").positionals(Value.INCOMING).refuse("--keystore", KEYSTORE),
      change("key add-pkcs11").options("--token", "--slot", "--label", "--name").option("--backend", Value.BACKEND)
          .requires("--backend").refuse("--keystore", KEYSTORE).refuse("--module", "the server loads only the PKCS#11 modules its operator"
              + " configured: give --backend NAME"),
      change("key add-vault").options("--key", "--version", "--mount", "--name").option("--backend", Value.BACKEND)
          .requires("--backend").refuse("--keystore", KEYSTORE)
          .refuse("--address", "the server contacts only the Vaults its operator configured: give --backend NAME")
          .refuse("--namespace", "the configured backend fixes the namespace")
          .refuse("--token-file", "the server's own VAULT_TOKEN or ~/.vault-token is used"),
      change("key change-passphrase").positionals(Value.WORD).refuse("--keystore", KEYSTORE));

  private static final Map<String, Rule> BY_COMMAND = index();

  private static Map<String, Rule> index() {
    Map<String, Rule> m = new LinkedHashMap<>();
    for (Rule r : RULES) {
      if (m.put(r.command(), r) != null) {
        throw new IllegalStateException("two remote policy rules for '" + r.command() + "'");
      }
    }
    return Map.copyOf(m);
  }

  private RemotePolicy() {}

  /** The rule for a command path ("key add-vault"), or null when it is not available remotely. */
  static Rule rule(String command) {
    return BY_COMMAND.get(command);
  }
}
