package dev.tufsh.cli;

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
    Files.createDirectories(dir);
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
      for (OptionSpec o : spec.options()) {
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

  /** Escapes text for troff: backslashes, hyphens, and a leading dot or quote. */
  static String esc(String s) {
    String t = s.replace("\\", "\\e").replace("-", "\\-");
    if (t.startsWith(".") || t.startsWith("'")) {
      t = "\\&" + t;
    }
    return t.replace("\n.", "\n\\&.");
  }
}
