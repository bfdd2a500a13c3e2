package dev.tufsh.app;

import dev.tufsh.cli.CommandLines;

/** Registers the commands that live above the cli layer (they may not be named from it). */
final class Extensions {
  private static boolean done;

  private Extensions() {}

  static synchronized void registerAll() {
    if (done) {
      return;
    }
    done = true;
    register(dev.tufsh.ssh.ServeCommand::new);
  }

  static void register(java.util.function.Supplier<Object> factory) {
    CommandLines.register(factory);
  }
}
