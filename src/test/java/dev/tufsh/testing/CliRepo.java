package dev.tufsh.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A workspace driven through tufsh's command line with a passphrase file, optionally at a chosen
 * instant (the hidden {@code --now}): the set-up the operations' CLI tests share.
 */
public record CliRepo(Path repo, Path pass) {
  /** A fresh PEP 458 repository with {@code bins} bins under {@code dir}, initialised and published at {@code now}. */
  public static CliRepo published(Path dir, int bins, Instant now) {
    return published(dir.resolve("repo"), dir.resolve("pass"), "s3cret passphrase", bins, now);
  }

  /**
   * A fresh PEP 458 repository with {@code bins} bins at {@code repo}, its keys under {@code
   * passphrase} (written owner-only to {@code pass}), initialised and published at {@code now}
   * (null: the real clock).
   */
  public static CliRepo published(Path repo, Path pass, String passphrase, int bins, Instant now) {
    CliRepo r = new CliRepo(repo, pass);
    try {
      PassphraseFiles.write(r.pass, passphrase + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    r.at(now, "init", "--bins", Integer.toString(bins)).assertOk();
    r.at(now, "publish").assertOk();
    return r;
  }

  /** The same passphrase against another folder (one that holds no repository, say). */
  public CliRepo elsewhere(Path other) {
    return new CliRepo(other, pass);
  }

  public Cli.Result run(String... args) {
    return at(null, args);
  }

  /** Runs {@code args} with the clock at {@code now} (null: the real clock). */
  public Cli.Result at(Instant now, String... args) {
    List<String> all = new ArrayList<>(List.of("--repo", repo.toString(), "--passphrase-file", pass.toString()));
    if (now != null) {
      all.addAll(List.of("--now", now.toString()));
    }
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }
}
