package dev.tufsh.trust;

import static dev.tufsh.trust.Fixtures.ALL_PREFIXES;
import static dev.tufsh.trust.Fixtures.NOW;
import static dev.tufsh.trust.Fixtures.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tufsh.testing.TestRepository;
import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * PEP 458's recommended size: targets -> bins -> 16 384 succinct bins (bit_length 14, ed25519).
 * Asserts what was verified, not how fast; prints the time so a slowdown shows in the build log.
 */
class HashedBinsScaleTest {
  private static final int PACKAGES = 200;

  @Test
  void sixteenThousandBinsVerify() {
    TestRepository r = TestRepository.create(NOW);
    r.delegatePrefixes("targets", "bins", ALL_PREFIXES);
    r.delegateSuccinct("bins", 14, "bin");
    Set<String> binsUsed = new HashSet<>();
    for (int i = 0; i < PACKAGES; i++) {
      binsUsed.add(r.addBinTarget("bins", "pkgs/p" + i + "/p" + i + "-1.0.tar.gz", bytes("package " + i)));
    }
    r.publish();

    // Wall time depends on what else the machine runs; process CPU and GC time show the work
    // itself. The first run includes JIT warm-up, as a one-shot `tufsh verify` would.
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long best = Long.MAX_VALUE;
    TrustReport report = null;
    for (int run = 1; run <= 2; run++) {
      long gc0 = gcMillis();
      long cpu0 = os.getProcessCpuTime();
      long start = System.nanoTime();
      report = new ClientVerifier(NOW).verify(r.trustedRoot(), r::readMetadata, r::readTarget, null);
      long ms = (System.nanoTime() - start) / 1_000_000;
      long cpuMs = (os.getProcessCpuTime() - cpu0) / 1_000_000;
      long gcMs = gcMillis() - gc0;
      best = Math.min(best, ms);
      System.out.printf(
          "16384-bin verification, run %d: %d ms wall, %d ms CPU, %d ms GC, %d processors, load average %.1f%n",
          run, ms, cpuMs, gcMs, os.getAvailableProcessors(), os.getSystemLoadAverage());
    }
    System.out.printf("16384-bin verification: best %d ms wall%n", best);

    assertEquals(2 + 16_384, report.targetsRolesVerified());
    assertEquals(PACKAGES, report.targetsListed());
    assertEquals(PACKAGES, report.targetFilesVerified());
    assertEquals(3 + 2 + 16_384, report.roleVersions().size());
    assertEquals(1, report.roleVersions().get("bin-3fff"));
    for (String bin : binsUsed) {
      assertEquals(r.role(bin), report.metadata().get(bin).signed());
    }
  }

  private static long gcMillis() {
    long total = 0;
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }
}
