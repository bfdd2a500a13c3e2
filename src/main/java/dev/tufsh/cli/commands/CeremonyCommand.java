package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.cli.Durations;
import dev.tufsh.cli.ExitCodes;
import dev.tufsh.errors.SignatureError;
import dev.tufsh.errors.UsageError;
import dev.tufsh.json.Json;
import dev.tufsh.keys.KeyEntry;
import dev.tufsh.ops.HolderSigning;
import dev.tufsh.ops.OfflineSigning;
import dev.tufsh.ops.RootCeremony;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ceremony root}: the root key ceremony as steps that each end, with the state in a folder
 * that travels between the admin and the holders: start (admin), sign or add-signature (each
 * holder, whenever and wherever), status (anyone), finish (admin: publish).
 */
@Command(name = "ceremony", description = "Guided key ceremonies whose state lives in a folder (resumable).",
    subcommands = {CeremonyCommand.Root.class})
public final class CeremonyCommand {
  private CeremonyCommand() {}

  @Command(name = "root", description = "The root key ceremony: the first root, or a rotation to t-of-n held by"
      + " key holders (start, sign, add-signature, status, finish).",
      subcommands = {CeremonyCommand.Start.class, CeremonyCommand.Sign.class, CeremonyCommand.AddSignature.class,
          CeremonyCommand.Status.class, CeremonyCommand.Finish.class})
  public static final class Root {}

  static ObjectNode tallyJson(RootCeremony.Tally t) {
    ObjectNode o = Json.object();
    o.put("dir", t.dir().toString());
    o.put("version", t.state().version());
    o.put("sha256", t.state().sha256());
    o.put("expires", t.state().expires());
    ArrayNode counts = o.putArray("thresholds");
    for (RootCeremony.Count c : t.counts()) {
      ObjectNode x = counts.addObject();
      x.put("of", c.of());
      x.put("version", c.version());
      x.put("threshold", c.threshold());
      c.signed().forEach(x.putArray("signed")::add);
      c.missing().forEach(x.putArray("missing")::add);
    }
    o.put("complete", t.complete());
    return o;
  }

  @Command(name = "start", description = "Stage the new root (keys per role, thresholds, expiry), register the"
      + " holders' public keys, and write the ceremony folder: root.json to sign, root.payload, the previous root"
      + " and ceremony.json with the sha256 of the signed bytes.")
  public static final class Start extends BaseCommand {
    @Parameters(paramLabel = "DIR", description = "The ceremony folder to create.")
    Path dir;

    @Option(names = "--holder", paramLabel = "NAME=PUBLIC", description = "A key holder and their public key file"
        + " ('key export-public'); registered as an offline key named NAME. Repeat for each holder.")
    Map<String, Path> holders = new LinkedHashMap<>();

    @Option(names = "--role", paramLabel = "ROLE=KEYS:T", description = "A top-level role's keys"
        + " (holder or key store names, comma-separated) and threshold: root=alice,bob,carol:2. Repeat per role;"
        + " root is required (on a terminal, asked for when missing, with the holders and the expiry); roles not"
        + " named keep their keys.")
    Map<String, String> roles = new LinkedHashMap<>();

    @Option(names = "--expires", paramLabel = "DURATION", converter = Durations.Converter.class,
        description = "How long the new root is valid (365d; default: the root expiry period).")
    Duration expires;

    @Override
    public Access access() {
      return Access.writes("start a root key ceremony", List.of("*"));
    }

    @Override
    protected int execute() {
      if (!roles.containsKey("root")) {
        if (!session().interaction().interactive()) {
          throw new UsageError("give --role root=KEYS:T (the root keys and threshold), or run on a terminal to be"
              + " asked");
        }
        ask();
      }
      Map<String, RootCeremony.RoleSpec> specs = new LinkedHashMap<>();
      roles.forEach((role, v) -> specs.put(role, spec(role, v)));
      confirm("Stage a new root for the ceremony in " + dir + "?");
      RootCeremony.Started s = RootCeremony.start(bench(), new RootCeremony.StartRequest(dir, holders, specs,
          expires));
      session().noteResult(s.tally().state());
      ObjectNode o = tallyJson(s.tally());
      ArrayNode files = o.putArray("files");
      s.files().forEach(f -> files.add(f.toString()));
      s.lines().forEach(o.putArray("summary")::add);
      print(o, () -> {
        out().println("started a root ceremony in " + dir + ":");
        s.lines().forEach(l -> out().println("  " + l));
        out().println("give each holder the folder; they run 'tufsh ceremony root sign " + dir + " --key NAME'"
            + " (or sign root.payload elsewhere and 'ceremony root add-signature'); then 'ceremony root finish'");
      });
      return 0;
    }

    /** On a terminal: the holders, the root keys and threshold, and the expiry, as the flags would give them. */
    private void ask() {
      var in = session().interaction();
      if (holders.isEmpty()) {
        for (String name = answer(in, "Holder name (empty when done): "); !name.isEmpty();
            name = answer(in, "Holder name (empty when done): ")) {
          holders.put(name, Path.of(answer(in, "Public key file of " + name + ": ")));
        }
      }
      String all = String.join(",", holders.keySet());
      String keys = answer(in, "Root keys, comma-separated" + (all.isEmpty() ? "" : " [" + all + "]") + ": ");
      keys = keys.isEmpty() ? all : keys;
      String t = answer(in, "Root threshold (signatures needed of " + keys.split(",").length + "): ");
      roles.put("root", keys + ":" + t);
      if (expires == null) {
        String e = answer(in, "Root valid for (365d; empty: the root expiry period): ");
        expires = e.isEmpty() ? null : Durations.parse(e);
      }
    }

    private static String answer(dev.tufsh.cli.Interaction in, String prompt) {
      String a = in.readLine(prompt);
      if (a == null) {
        throw new dev.tufsh.cli.CancelledException("no answer to '" + prompt.strip() + "'");
      }
      return a.strip();
    }

    static RootCeremony.RoleSpec spec(String role, String v) {
      int colon = v.lastIndexOf(':');
      if (colon < 0) {
        throw new UsageError("--role " + role + "=" + v + ": expected KEYS:THRESHOLD, as root=alice,bob,carol:2");
      }
      int t;
      try {
        t = Integer.parseInt(v.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new UsageError("--role " + role + "=" + v + ": the threshold '" + v.substring(colon + 1)
            + "' is not a number");
      }
      List<String> keys = Arrays.stream(v.substring(0, colon).split(",")).map(String::trim)
          .filter(k -> !k.isEmpty()).toList();
      return new RootCeremony.RoleSpec(keys, t);
    }
  }

  @Command(name = "sign", description = "A holder signs the ceremony's root with a key of theirs (no repository"
      + " needed; --keystore for a personal key store) after reading what changes; says how far the ceremony is.")
  public static final class Sign extends KeyHolderCommand {
    @Parameters(paramLabel = "DIR", description = "The ceremony folder.")
    Path dir;

    @Option(names = "--key", paramLabel = "NAME", required = true, description = "The key to sign with.")
    String key;

    @Option(names = "--sha256", paramLabel = "HEX", description = "The sha256 of the signed bytes the admin read"
        + " out at the start: refuse to sign anything else.")
    String sha256;

    @Override
    public Access access() {
      return Access.read(); // changes only the ceremony folder, never a repository
    }

    @Override
    protected int execute() {
      HolderSigning.Review r = RootCeremony.review(dir, sha256);
      KeyEntry e = find(key);
      RootCeremony.Tally t = RootCeremony.sign(dir, r, reviewed(r, e));
      ObjectNode o = tallyJson(t);
      o.put("key", e.name());
      o.put("keyid", e.key().keyId());
      print(o, () -> {
        out().println("signed root version " + t.state().version() + " with key " + e.name() + " ("
            + e.key().shortId() + ")");
        t.lines().forEach(l -> out().println("  " + l));
      });
      return 0;
    }
  }

  @Command(name = "add-signature", description = "Add detached signatures ({\"keyid\": ..., \"sig\": ...}) made"
      + " over the ceremony's root.payload by a signer that is not tufsh (python-tuf, an HSM tool).")
  public static final class AddSignature extends BaseCommand {
    @Parameters(index = "0", paramLabel = "DIR", description = "The ceremony folder.")
    Path dir;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "SIG", description = "Detached signature files.")
    List<Path> signatures = new ArrayList<>();

    @Override
    public Access access() {
      return Access.read(); // changes only the ceremony folder
    }

    @Override
    protected int execute() {
      OfflineSigning.Outcome r = RootCeremony.addSignatures(dir, signatures);
      RootCeremony.Tally t = RootCeremony.status(dir);
      ObjectNode o = tallyJson(t);
      r.used().forEach(o.putArray("used")::add);
      var ign = o.putArray("ignored");
      r.ignored().forEach(i -> ign.addObject().put("keyid", i.keyid()).put("why", i.why()));
      print(o, () -> {
        out().println("added " + r.used().size() + " signature(s) to " + r.file());
        r.ignored().forEach(i -> out().println("  ignored: " + i.why()));
        t.lines().forEach(l -> out().println("  " + l));
      });
      if (r.used().isEmpty()) {
        throw new SignatureError("no signature was used; nothing was added");
      }
      return 0;
    }
  }

  @Command(name = "status", description = "Who has signed the ceremony's root and who has not, against the new"
      + " root's threshold and the previous root's (exit 3 while signatures are missing).")
  public static final class Status extends BaseCommand {
    @Parameters(paramLabel = "DIR", description = "The ceremony folder.")
    Path dir;

    @Override
    public Access access() {
      return Access.read();
    }

    @Override
    protected int execute() {
      RootCeremony.Tally t = RootCeremony.status(dir);
      print(tallyJson(t), () -> t.lines().forEach(out()::println));
      return t.complete() ? 0 : ExitCodes.ATTENTION;
    }
  }

  @Command(name = "finish", description = "Add the ceremony's signatures to the staged root and publish it; prints"
      + " the summary to keep (version, signers, sha256 of the signed bytes and of the published file).")
  public static final class Finish extends BaseCommand {
    @Parameters(paramLabel = "DIR", description = "The ceremony folder.")
    Path dir;

    @Override
    public Access access() {
      return Access.writes("finish a root key ceremony", List.of("*"));
    }

    @Override
    protected int execute() {
      RootCeremony.Finished f = RootCeremony.finish(bench(), dir, p -> {
        if (!root().json()) {
          PlanView.print(p, Map.of(), style(), out(), PlanView.names(bench()), false, bench());
        }
        confirm("Publish root version " + p.entries().stream().filter(e -> e.role().equals("root"))
            .findFirst().map(e -> e.newVersion()).orElse(0) + "?");
      });
      session().noteResult(f.published());
      session().notePublished(PublishCommand.folded(f.published().versions()));
      ObjectNode o = Json.object();
      o.put("version", f.state().version());
      o.put("signed_sha256", f.state().sha256());
      o.put("file", f.publishedFile());
      o.put("file_sha256", f.publishedSha256());
      f.used().forEach(o.putArray("signed_now")::add);
      ObjectNode v = o.putObject("versions");
      f.published().versions().forEach(v::put);
      print(o, () -> {
        out().println("published root version " + f.state().version() + " (timestamp "
            + f.published().versions().get("timestamp") + ")");
        out().println("  signatures added now: " + (f.used().isEmpty() ? "none" : String.join(", ", f.used())));
        out().println("  sha256 of the signed bytes: " + f.state().sha256());
        out().println("  sha256 of " + f.publishedFile() + ": " + f.publishedSha256());
      });
      return 0;
    }
  }
}
