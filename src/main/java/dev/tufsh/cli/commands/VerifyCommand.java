package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.json.Json;
import dev.tufsh.ops.Verify;
import dev.tufsh.trust.TrustReport;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "verify",
    description = "Run the full client workflow over the published repository from a trusted root: root chain,"
        + " timestamp, snapshot, every delegated role, every target file.")
public final class VerifyCommand extends BaseCommand {
  @Option(names = "--root", paramLabel = "FILE", description = "Trusted root to start from (default:"
      + " metadata/1.root.json, what clients ship with).")
  Path trustedRoot;

  @Option(names = "--no-targets", description = "Skip hashing the target files.")
  boolean noTargets;

  @Option(names = "--at", paramLabel = "TIME", converter = AtConverter.class, description = "Judge expiries as a"
      + " client would at TIME (YYYY-MM-DDTHH:MM:SSZ, or a date YYYY-MM-DD), e.g. to check an archived repository;"
      + " default now.")
  java.time.Instant at;

  @Override
  public Access access() {
    return Access.read();
  }

  @Override
  protected int execute() {
    java.time.Instant when = at == null ? root().clock().instant() : at;
    TrustReport r = Verify.run(bench(), trustedRoot, !noTargets, when);
    ObjectNode o = Json.object();
    o.put("ok", true);
    o.put("root_version", r.rootVersion());
    o.put("timestamp_version", r.timestampVersion());
    o.put("snapshot_version", r.snapshotVersion());
    o.put("targets_roles", r.targetsRolesVerified());
    o.put("targets_listed", r.targetsListed());
    o.put("target_files", r.targetFilesVerified());
    if (at != null) {
      o.put("at", when.toString());
    }
    print(o, () -> out().println("verified" + (at == null ? "" : " at " + when) + ": root v" + r.rootVersion() + ", timestamp v" + r.timestampVersion()
        + ", snapshot v" + r.snapshotVersion() + ", " + r.targetsRolesVerified() + " targets role(s), "
        + r.targetsListed() + " target(s), " + r.targetFilesVerified() + " target file(s) hashed"));
    return 0;
  }

  /** A UTC time or a date (midnight UTC); anything else is a usage error. */
  static final class AtConverter implements picocli.CommandLine.ITypeConverter<java.time.Instant> {
    @Override
    public java.time.Instant convert(String s) {
      try {
        return s.length() == 10 ? java.time.LocalDate.parse(s).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
            : java.time.Instant.parse(s);
      } catch (java.time.format.DateTimeParseException e) {
        throw new picocli.CommandLine.TypeConversionException(
            "'" + s + "' is not a time (YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DD)");
      }
    }
  }
}
