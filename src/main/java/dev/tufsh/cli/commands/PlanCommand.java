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
    Publishing.Review r = Publishing.review(bench());
    Plan p = r.plan();
    session().noteResult(p);
    print(PlanView.json(p, r.invalid()), () -> PlanView.print(p, r.invalid(), style(), out()));
    return 0;
  }
}
