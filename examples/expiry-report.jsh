// Expiry report: every role by expiry, soonest first, then renew whatever expires within a week.
//
// When to use this: before a release or a holiday, or from cron in place of the weekly bump
// when you want the report in the log; rehearse with --dry-run to see the report and the plan
// without publishing anything:  tufsh run --dry-run examples/expiry-report.jsh
//
// Follows PEP 458 "Metadata Expiry Times" (offline roles a year, online roles a day) and TUF
// specification section 6.3 (a new expiry is a new version); tuf-reference.md sections 7.3 and
// 8.5. Java, evaluated through the JShell API with the 'tufsh' scripting API bound (see
// src/main/java/dev/tufsh/runbook/jsh/Tufsh.java): status(), expiringWithin(), bump(), publish().

Duration window = Duration.ofDays(7);
Status.Result status = tufsh.status();
System.out.println("Expiry report for " + status.repository() + " at " + status.now());

// Hashed bins are many and alike: one line for all of them, one line for every other role.
List<Status.RoleStatus> bins = new ArrayList<>();
for (Status.RoleStatus r : status.roles()) {
  if (r.kind().equals("bin")) {
    bins.add(r);
    continue;
  }
  Duration left = Duration.between(status.now(), r.expires().instant());
  System.out.println(String.format(Locale.ROOT, "  %-10s v%-4d expires %s  in %4dh  %s",
      r.role(), r.version(), r.expires().text(), left.toHours(), r.health()));
}
if (!bins.isEmpty()) {
  Status.RoleStatus first = bins.get(0);
  long left = Duration.between(status.now(), first.expires().instant()).toHours();
  System.out.println(String.format(Locale.ROOT, "  %-10s       expires %s  in %4dh  (soonest of %d bins)",
      "bin-*", first.expires().text(), left, bins.size()));
}

List<Status.RoleStatus> soon = tufsh.expiringWithin(window);
System.out.println(soon.size() + " role(s) expire within " + window.toDays() + " days; soonest: "
    + (soon.isEmpty() ? "none" : soon.get(0).role() + " at " + soon.get(0).expires().text()));

// Renew them: new expiries and versions are staged, then published (timestamp last).
if (!soon.isEmpty()) {
  Resign.Result bumped = tufsh.bump("--expiring-within", window.toDays() + "d");
  PublishResult published = tufsh.publish();
  System.out.println("renewed " + bumped.versions().size() + " role(s); published timestamp v"
      + published.versions().get("timestamp") + ", " + published.metadataFiles() + " metadata file(s)");
}
