package dev.tufsh.cli.commands;

import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.json.Json;
import dev.tufsh.ops.Publishing;
import picocli.CommandLine.Command;

@Command(name = "discard", description = "Drop every staged change; the published repository is untouched.")
public final class DiscardCommand extends BaseCommand {
  @Override
  public Access access() {
    return Access.writes("discard staged changes", java.util.List.of("*"));
  }

  @Override
  protected int execute() {
    int staged;
    try {
      var staging = bench().repository().staging();
      staged = staging.roles().size() + staging.files().size();
    } catch (dev.tufsh.errors.NewerFormatError e) {
      throw e; // a newer tufsh's staged changes: this one cannot tell what it would drop
    } catch (dev.tufsh.errors.TufshException e) {
      staged = -1; // a damaged staging area: discard is how it is thrown away
    }
    if (staged != 0) {
      confirm(staged > 0 ? "Drop " + staged + " staged change(s)?" : "Drop the damaged staging area?");
    }
    int n = staged == 0 ? 0 : Publishing.discard(bench());
    var o = Json.object();
    o.put("discarded", n);
    print(o, () -> out().println("discarded " + n + " staged change(s)"));
    return 0;
  }
}
