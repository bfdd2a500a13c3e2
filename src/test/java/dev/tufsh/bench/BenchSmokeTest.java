package dev.tufsh.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every registered suite in smoke mode so the harness cannot rot unnoticed. */
class BenchSmokeTest {
  @Test
  void everySuiteProducesPositiveFigures() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    List<Result> results;
    try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      results = Bench.run(Suites.ALL, Mode.SMOKE, false, 2, out, null);
    }
    String table = buf.toString(StandardCharsets.UTF_8);
    for (Suite s : Suites.ALL) {
      assertTrue(results.stream().anyMatch(r -> r.suite().equals(s.name())), s.name() + " produced no result");
      assertTrue(table.contains("== " + s.name() + ":"), "no table for " + s.name());
    }
    for (Result r : results) {
      assertTrue(r.medianOps() > 0 && Double.isFinite(r.medianOps()), r.id() + ": ops/s " + r.medianOps());
      assertTrue(r.totalOps() > 0, r.id() + " ran no operation");
      if (r.unit() != null) {
        assertTrue(r.medianUnits() > 0, r.id() + ": " + r.unit() + " " + r.medianUnits());
      }
      if (r.baseline() != null) {
        assertTrue(r.ratio() > 0 && Double.isFinite(r.ratio()), r.id() + ": ratio " + r.ratio());
      }
      assertTrue(table.contains(r.name()), "table lacks " + r.id());
    }
    // Two threads were asked for, so the crypto suite measured its parallel figures too.
    assertTrue(results.stream().anyMatch(r -> r.suite().equals("crypto") && r.threads() == 2));
  }

  @Test
  void perOperationSetupIsNotTimedAndRunsBeforeEachOperation() throws Exception {
    AtomicInteger setups = new AtomicInteger();
    AtomicInteger ops = new AtomicInteger();
    class Sleepy implements Task, Measurement.Setup {
      @Override
      public void before() throws InterruptedException {
        setups.incrementAndGet();
        Thread.sleep(5); // would cap the rate near 200 ops/s if it were timed
      }

      @Override
      public Object run() {
        return ops.incrementAndGet();
      }
    }
    Measurement m = Measurement.perThread("setup each op", Sleepy::new).setupEachOp();
    Result r = Runner.run("test", m, Mode.SMOKE, false);
    assertEquals(setups.get(), ops.get());
    assertTrue(r.medianOps() > 10_000, "setup time leaked into the figure: " + r.medianOps() + " ops/s");
  }

  @Test
  void baselineRatiosAndJsonReport(@TempDir Path dir) throws Exception {
    Suite twoSpeeds = new Suite() {
      @Override
      public String name() {
        return "twospeeds";
      }

      @Override
      public String description() {
        return "a fast and a slow loop";
      }

      @Override
      public List<Measurement> prepare(Context ctx) {
        return List.of(
            Measurement.of("slow", () -> spin(20_000)),
            Measurement.of("fast", () -> spin(2_000)).baseline("slow").bytes(1_000_000));
      }
    };
    List<Result> results =
        Bench.run(List.of(twoSpeeds), Mode.SMOKE, true, 1, new PrintStream(new ByteArrayOutputStream()), null);
    Result fast = results.get(1);
    assertEquals("slow", fast.baseline());
    assertTrue(fast.ratio() > 2, "a loop 10x shorter measured only " + fast.ratio() + "x faster");
    assertEquals(fast.medianOps(), fast.medianUnits(), 1e-6 * fast.medianOps()); // 1 MB per op
    Path file = dir.resolve("out/bench.json");
    JsonReport.write(file, Mode.SMOKE, true, 1, 0.5, results);
    JsonNode json = Json.parse(Files.readAllBytes(file), file.toString());
    assertEquals(2, json.get("results").size());
    assertEquals("fast", json.get("results").get(1).get("name").textValue());
    assertTrue(json.get("results").get(1).get("ratio").doubleValue() > 2);
    assertFalse(json.get("results").get(0).has("ratio"));
    assertEquals("thread-cpu", json.get("clock").textValue());
  }

  private static long spin(int n) {
    long x = 1;
    for (int i = 0; i < n; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
    }
    return x;
  }
}
