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
    // No passphrase is asked: a reviewer without the online keys reads the plan too.
    var bench = bench();
    Publishing.Review r = Publishing.review(bench);
    Plan p = r.plan();
    session().noteResult(p);
    var names = PlanView.names(bench);
    var cost = dev.tufsh.ops.Reshape.pendingCost(bench, p);
    var json = PlanView.json(p, names, r.invalid());
    // Always present, null unless a reshape is staged: a result's members do not come and go.
    json.set("client_cost", cost.map(CostView::json).orElse(null));
    print(json, () -> {
      PlanView.print(p, r.invalid(), style(), out(), names, true, bench);
      cost.ifPresent(c -> CostView.print(c, out()));
    });
    // Nothing staged is fine (cron: "plan; publish"); staged but unpublishable needs a person.
    return p.isEmpty() || p.complete() ? 0 : dev.tufsh.cli.ExitCodes.ATTENTION;
  }
}
