/**
 * The benchmark harness behind {@code scripts/bench}: named {@link dev.tufsh.bench.Suite}s of
 * {@link dev.tufsh.bench.Measurement}s, each warmed up, then timed over several fixed-length rounds,
 * and reported as the median rate with its spread and a ratio against a baseline measured in the
 * same run. Plain Java rather than JMH: one command, no annotation processing, and figures that are
 * meant to compare alternatives on one machine, not to be quoted to the nanosecond.
 *
 * <p>To add a suite, write one class implementing {@link dev.tufsh.bench.Suite} and add it to
 * {@link dev.tufsh.bench.Suites#ALL}. Lives in the test source tree so it never ships in the jar.
 */
package dev.tufsh.bench;
