package dev.tufsh.cli.commands;

import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.cli.Version;
import dev.tufsh.errors.TufshException;
import dev.tufsh.runbook.Recorder;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code record start FILE} / {@code record stop}: turn a shell session into a runbook. */
@Command(
    name = "record",
    description = "Record the commands typed from now on into a runbook file.",
    subcommands = {RecordCommand.Start.class, RecordCommand.Stop.class})
public final class RecordCommand {
  @Command(name = "start", description = "Start recording commands (and their outcomes) to FILE.")
  public static final class Start extends BaseCommand {
    @Parameters(paramLabel = "FILE", description = "The runbook to write (.tufsh); must not exist.")
    Path file;

    @Override
    public Access access() {
      return Access.read();
    }

    @Override
    protected int execute() {
      if (session().recorder() != null) {
        throw new TufshException("already recording to " + session().recorder().file() + "; 'record stop' first");
      }
      Recorder r =
          Recorder.start(file, Instant.now(session().clock()).toString(), root().repo().toString(), Version.get());
      session().recorder(r);
      print(java.util.Map.of("recording", file.toString()), () -> out().println("recording to " + file));
      return 0;
    }
  }

  @Command(name = "stop", description = "Stop recording and close the runbook file.")
  public static final class Stop extends BaseCommand {
    @Override
    public Access access() {
      return Access.read();
    }

    @Override
    protected int execute() {
      Recorder r = session().recorder();
      if (r == null) {
        throw new TufshException("not recording");
      }
      r.close();
      session().recorder(null);
      print(java.util.Map.of("recorded", r.file().toString()), () -> out().println("runbook written: " + r.file()));
      return 0;
    }
  }
}
