package dev.tufsh.cli.commands;

import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.ops.Publishing;
import dev.tufsh.repo.Plan;
import picocli.CommandLine.Command;

@Command(name = "plan", description = "Show what 'publish' would write: roles, versions, expiries, signatures.")
public final class PlanCommand extends BaseCommand {
  @Override
  public Access access() {
    return Access.read();
  }

  @Override
  protected int execute() {
    Plan p = Publishing.plan(bench());
    session().noteResult(p);
    print(PlanView.json(p), () -> PlanView.print(p, style(), out()));
    // Nothing staged is fine (cron: "plan; publish"); staged but unpublishable needs a person.
    return p.isEmpty() || p.complete() ? 0 : dev.tufsh.cli.ExitCodes.ATTENTION;
  }
}
