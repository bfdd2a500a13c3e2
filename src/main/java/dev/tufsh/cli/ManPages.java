package dev.tufsh.cli;

import dev.tufsh.repo.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Writes troff man pages ({@code man -l man/tufsh-rotate.1}) from the picocli model, so the pages
 * and {@code help} can never disagree. Run by Maven at build time. A small writer of our own:
 * picocli's generator emits AsciiDoc, which would need Asciidoctor to become troff.
 */
public final class ManPages {
  private static final String DATE = "2026-11-24";

  private ManPages() {}

  /** Writes one page per command into {@code dir}, replacing the pages there. */
  public static void write(Path dir) throws IOException {
    AtomicFiles.publicDirs(dir); // 0755 whatever the umask: pages are for everyone
    for (Path old : listPages(dir)) {
      Files.delete(old);
    }
    Session s =
        new Session(Path.of("."), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
            Interaction.NONE, Clock.systemUTC(), "man", false);
    CommandLine root = CommandLines.create(s);
    List<CommandSpec> all = new ArrayList<>();
    collect(root.getCommandSpec(), all);
    for (CommandSpec spec : all) {
      Files.writeString(dir.resolve(pageName(spec) + ".1"), page(spec, all), StandardCharsets.UTF_8);
    }
  }

  private static List<Path> listPages(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().matches("tufsh.*\\.1")).toList();
    }
  }

  private static void collect(CommandSpec spec, List<CommandSpec> out) {
    if (spec.name().equals("help") && spec.parent() != null) {
      return;
    }
    out.add(spec);
    for (CommandLine sub : spec.subcommands().values()) {
      if (sub.getCommandSpec().name().equals(sub.getCommandName()) && !out.contains(sub.getCommandSpec())) {
        collect(sub.getCommandSpec(), out);
      }
    }
  }

  static String pageName(CommandSpec spec) {
    return spec.qualifiedName("-");
  }

  static String page(CommandSpec spec, List<CommandSpec> all) {
    StringBuilder sb = new StringBuilder();
    String name = pageName(spec);
    sb.append(".TH ").append(name.toUpperCase(Locale.ROOT)).append(" 1 \"").append(DATE)
        .append("\" \"tufsh ").append(Version.get()).append("\" \"tufsh manual\"\n");
    sb.append(".SH NAME\n").append(esc(name)).append(" \\- ")
        .append(esc(String.join(" ", spec.usageMessage().description()))).append('\n');
    sb.append(".SH SYNOPSIS\n.B ").append(esc(spec.qualifiedName(" "))).append('\n');
    if (!spec.options().isEmpty()) {
      sb.append("[\\fIOPTIONS\\fR]\n");
    }
    for (PositionalParamSpec p : spec.positionalParameters()) {
      sb.append(p.arity().min() == 0 ? "[" : "").append("\\fI").append(esc(p.paramLabel())).append("\\fR")
          .append(p.arity().max() > 1 ? "..." : "").append(p.arity().min() == 0 ? "]" : "").append('\n');
    }
    if (!spec.subcommands().isEmpty()) {
      sb.append("\\fICOMMAND\\fR\n");
    }
    sb.append(".SH DESCRIPTION\n");
    for (String line : spec.usageMessage().description()) {
      sb.append(esc(line)).append('\n');
    }
    if (!spec.positionalParameters().isEmpty()) {
      sb.append(".SH ARGUMENTS\n");
      for (PositionalParamSpec p : spec.positionalParameters()) {
        sb.append(".TP\n\\fI").append(esc(p.paramLabel())).append("\\fR\n")
            .append(esc(String.join(" ", p.description()))).append('\n');
      }
    }
    if (!spec.options().isEmpty()) {
      sb.append(".SH OPTIONS\n");
      // Sorted as help sorts them: reflection gives setter-method options in no fixed order.
      List<OptionSpec> sorted = new ArrayList<>(spec.options());
      sorted.sort(java.util.Comparator.comparing(o -> o.shortestName().replaceFirst("^-+", "").toLowerCase(Locale.ROOT)));
      for (OptionSpec o : sorted) {
        if (o.hidden()) {
          continue; // test hooks such as --now are not part of the manual
        }
        sb.append(".TP\n\\fB").append(esc(String.join(", ", o.names()))).append("\\fR");
        if (o.arity().max() > 0) {
          sb.append(" \\fI").append(esc(o.paramLabel())).append("\\fR");
        }
        sb.append('\n').append(esc(String.join(" ", o.description()))).append('\n');
      }
    }
    if (!spec.subcommands().isEmpty()) {
      sb.append(".SH COMMANDS\n");
      for (var e : spec.subcommands().entrySet()) {
        CommandSpec sub = e.getValue().getCommandSpec();
        if (!sub.name().equals(e.getKey())) {
          continue;
        }
        sb.append(".TP\n\\fB").append(esc(e.getKey())).append("\\fR\n")
            .append(esc(String.join(" ", sub.usageMessage().description()))).append('\n');
      }
    }
    String[] footer = spec.usageMessage().footer();
    if (footer.length > 0) {
      sb.append(".SH NOTES\n");
      for (String line : footer) {
        if (!line.isBlank()) {
          sb.append(esc(line)).append("\n.PP\n");
        }
      }
    }
    common(sb, spec);
    sb.append(".SH SEE ALSO\n");
    List<String> related = new ArrayList<>();
    if (spec.parent() != null) {
      related.add("\\fB" + esc(pageName(spec.parent())) + "\\fR(1)");
    }
    for (CommandSpec other : all) {
      if (other.parent() == spec && !other.name().equals("help")) {
        related.add("\\fB" + esc(pageName(other)) + "\\fR(1)");
      }
    }
    sb.append(related.isEmpty() ? "\\fBtufsh\\fR(1)" : String.join(", ", related)).append('\n');
    return sb.toString();
  }

  /** Examples by command (as typed after "tufsh"); pages without one show how to get help. */
  static final java.util.Map<String, List<String>> EXAMPLES = java.util.Map.ofEntries(
      java.util.Map.entry("", List.of("tufsh --repo ./demo-repo init --bins 256", "tufsh status --json",
          "tufsh -c 'plan; publish'", "tufsh < runbook.tufsh")),
      java.util.Map.entry("init", List.of("tufsh init --bins 16384", "tufsh init --bins 256 --expiry bin=7d")),
      java.util.Map.entry("status", List.of("tufsh status", "tufsh status --all --json")),
      java.util.Map.entry("plan", List.of("tufsh plan", "tufsh plan --json")),
      java.util.Map.entry("publish", List.of("tufsh publish", "tufsh --yes --wait 5m publish")),
      java.util.Map.entry("bump", List.of("tufsh bump --expiring-within 7d", "tufsh bump targets --by 365d")),
      java.util.Map.entry("resign", List.of("tufsh resign 'bin-*'", "tufsh resign --signed-by bin-n-1")),
      java.util.Map.entry("rotate", List.of("tufsh rotate timestamp", "tufsh rotate root --add-keys 2 --threshold 2")),
      java.util.Map.entry("revoke", List.of("tufsh revoke bin-n-1 --generate")),
      java.util.Map.entry("verify", List.of("tufsh verify")),
      java.util.Map.entry("run", List.of("tufsh run --var BIN_KEY=bin-n-1 examples/compromised-bin-key.tufsh",
          "tufsh run --dry-run examples/root-rotation.tufsh")),
      java.util.Map.entry("target add", List.of("tufsh target add --prefix packages dist/demo-1.0.tar.gz",
          "tufsh target add --prefix packages dist/", "tufsh target add --list uploads.txt")),
      java.util.Map.entry("reshape", List.of("tufsh reshape --bins 16384", "tufsh reshape --bins 4096 --layout rstuf",
          "tufsh reshape --bins 256 --layout succinct --bins-key bins-1")),
      java.util.Map.entry("target rehash", List.of("tufsh target rehash --add sha512",
          "tufsh target rehash --drop sha256")),
      java.util.Map.entry("target list", List.of("tufsh target list --prefix packages/")),
      java.util.Map.entry("target show", List.of("tufsh target show packages/demo-1.0.tar.gz")),
      java.util.Map.entry("key generate", List.of("tufsh key generate timestamp-2 --scheme ecdsa")),
      java.util.Map.entry("key list", List.of("tufsh key list")),
      java.util.Map.entry("key rename", List.of("tufsh key rename timestamp-2 ts-hsm-backup")),
      java.util.Map.entry("sign export", List.of("tufsh sign export --out /media/usb")),
      java.util.Map.entry("sign import", List.of("tufsh sign import /media/usb/root.json")),
      java.util.Map.entry("serve ssh", List.of("tufsh --repo /srv/tuf serve ssh --port 2222 --host-key hk"
          + " --authorized-keys authorized_keys")));

  /** The sections every page shares: examples, environment, files, exit status, JSON output. */
  private static void common(StringBuilder sb, CommandSpec spec) {
    String typed = spec.qualifiedName(" ").replaceFirst("^tufsh ?", "");
    sb.append(".SH EXAMPLES\n");
    for (String ex : EXAMPLES.getOrDefault(typed, List.of("tufsh help " + typed))) {
      sb.append(".nf\n").append(esc(ex)).append("\n.fi\n");
    }
    sb.append(".SH ENVIRONMENT\n");
    definitions(sb, new String[][] {
        {"TUFSH_REPO", "the repository folder when --repo is not given"},
        {"TUFSH_PASSPHRASE", "the passphrase of every file key without its own"},
        {"TUFSH_PASSPHRASE_<KEY>", "the passphrase of key KEY (upper case, other characters as _)"},
        {"TUFSH_PIN", "the PIN of PKCS#11 tokens"},
        {"TUFSH_HISTORY", "the shell's history file (default ~/.tufsh_history)"},
        {"NO_COLOR", "no colour in output when set"},
        {"VAULT_ADDR, VAULT_TOKEN, VAULT_NAMESPACE", "Vault Transit's address, token and namespace"}});
    sb.append(".SH FILES\n");
    definitions(sb, new String[][] {
        {"metadata/, targets/", "what clients fetch"},
        {".tufsh/keys/NAME.key.json", "encrypted file keys (owner-only)"},
        {".tufsh/keys.json", "PKCS#11, Vault and offline keys: public keys and URIs only"},
        {".tufsh/staged/", "changes not yet published"},
        {".tufsh/audit.log", "the hash-chained audit log"},
        {".tufsh/lock", "the writer lock; its text names the holder"},
        {"~/.tufsh_history", "shell history (0600; passphrases never kept)"}});
    sb.append(".SH EXIT STATUS\n");
    for (ExitCodes.Code c : ExitCodes.TABLE) {
      sb.append(".TP\n\\fB").append(c.status()).append("\\fR\n").append(esc(c.meaning())).append('\n');
    }
    sb.append(".SH JSON OUTPUT\n").append(esc("With --json, stdout is one object: {\"tufsh_json\": 1, \"command\":"
        + " ..., \"ok\": ..., \"exit\": ..., \"result\": ..., \"error\": {\"kind\": ..., \"message\": ...} or null},"
        + " errors included. Members are snake_case; docs/json.md gives each command's result.")).append('\n');
  }

  /** A troff definition list: each term in bold, its meaning indented below. */
  private static void definitions(StringBuilder sb, String[][] terms) {
    for (String[] t : terms) {
      sb.append(".TP\n\\fB").append(esc(t[0])).append("\\fR\n").append(esc(t[1])).append('\n');
    }
  }

  /** Escapes text for troff: backslashes, hyphens, and a leading dot or quote. */
  static String esc(String s) {
    String t = s.replace("\\", "\\e").replace("-", "\\-");
    if (t.startsWith(".") || t.startsWith("'")) {
      t = "\\&" + t;
    }
    return t.replace("\n.", "\n\\&.");
  }
}
