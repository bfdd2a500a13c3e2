package dev.tufsh.app;

import dev.tufsh.cli.ManPages;
import java.io.IOException;
import java.nio.file.Path;

/** Build-time entry point: writes man/ from the full command model (extensions included). */
public final class ManPagesMain {
  private ManPagesMain() {}

  public static void main(String[] args) throws IOException {
    Extensions.registerAll();
    ManPages.write(Path.of(args.length > 0 ? args[0] : "man"));
  }
}
