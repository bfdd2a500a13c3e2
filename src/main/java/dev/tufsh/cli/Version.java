package dev.tufsh.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** The version from the build, for {@code --version}, runbook headers and the audit trail. */
public final class Version implements CommandLine.IVersionProvider {
  public static String get() {
    Properties p = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("/dev/tufsh/version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return p.getProperty("version", "unknown");
  }

  @Override
  public String[] getVersion() {
    return new String[] {"tufsh " + get()};
  }
}
