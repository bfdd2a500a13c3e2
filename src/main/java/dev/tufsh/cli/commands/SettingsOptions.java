package dev.tufsh.cli.commands;

import dev.tufsh.cli.Durations;
import dev.tufsh.crypto.HashAlgorithm;
import dev.tufsh.errors.UsageError;
import dev.tufsh.repo.Settings;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The workspace settings a command that creates one takes: {@code init} and {@code adopt}. */
public final class SettingsOptions {
  @Option(names = "--expiry", paramLabel = "KIND=DURATION", description = "How long a role kind stays valid"
      + " after signing: root, targets, delegated, bin, snapshot, timestamp (e.g. --expiry bin=7d). Defaults:"
      + " PEP 458 (a year offline, a day online).")
  Map<String, String> expiry = Map.of();

  @Option(names = "--target-hashes", paramLabel = "ALG", split = ",", description = "Hash algorithms 'target add'"
      + " lists by default: sha256, sha512, blake2b-256 (init: sha256,sha512; adopt: those the repository's"
      + " targets list; PyPI uses blake2b-256).")
  List<String> targetHashes;

  /** PEP 458's settings with these options applied. */
  Settings settings() {
    Settings settings = Settings.pep458();
    for (var e : expiry.entrySet()) {
      if (!Settings.KINDS.contains(e.getKey())) {
        throw new UsageError("--expiry: unknown role kind '" + e.getKey() + "' (use one of "
            + String.join(", ", Settings.KINDS) + ")");
      }
      java.time.Duration d;
      try {
        d = Durations.parse(e.getValue());
      } catch (picocli.CommandLine.TypeConversionException ex) {
        throw new UsageError("--expiry " + e.getKey() + ": " + ex.getMessage());
      }
      settings = settings.withExpiry(e.getKey(), d);
    }
    if (targetHashes != null) {
      for (String a : targetHashes) {
        if (HashAlgorithm.byName(a).isEmpty()) {
          throw new UsageError("--target-hashes: unknown algorithm '" + a + "' (use " + HashAlgorithm.names() + ")");
        }
      }
      settings = settings.withTargetHashes(targetHashes);
    }
    return settings;
  }
}
