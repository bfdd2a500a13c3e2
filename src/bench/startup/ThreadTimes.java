import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Java agent that prints, at exit, the CPU each thread of the JVM used (from /proc/self/task: the
 * compiler, GC and VM threads included, which java.lang.management does not show), grouped by
 * thread name, and the CPU of threads that ended before (the whole process's CPU less the live
 * threads'). Build: javac -d D ThreadTimes.java && printf 'Premain-Class: ThreadTimes\n' >m &&
 * jar cfm threadtimes.jar m -C D . ; use: TUFSH_JAVA_OPTS=-javaagent:threadtimes.jar scripts/tufsh ...
 * (On Java 25 an agent disables the AOT cache: java.instrument changes the module graph it was made with.)
 */
public final class ThreadTimes {
  public static void premain(String args) {
    long start = System.nanoTime();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        long tick = 10; // ms per clock tick (USER_HZ 100)
        Map<String, Long> by = new TreeMap<>();
        long live = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
          for (Path t : (Iterable<Path>) tasks::iterator) {
            String stat;
            try {
              stat = Files.readString(t.resolve("stat"));
            } catch (java.io.IOException gone) {
              continue; // ended meanwhile: counted with the ended threads
            }
            String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ms = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * tick;
            name = name.replaceAll("[0-9]+$", "#");
            by.merge(name, ms, Long::sum);
            live += ms;
          }
        }
        String self = Files.readString(Path.of("/proc/self/stat"));
        String[] f = self.substring(self.lastIndexOf(')') + 2).split(" ");
        long all = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * tick;
        StringBuilder out = new StringBuilder("threadtimes: process " + all + " ms CPU, agent to exit "
            + (System.nanoTime() - start) / 1_000_000 + " ms wall; ended threads " + (all - live) + " ms");
        by.forEach((n, ms) -> { if (ms > 0) out.append("; ").append(n).append(' ').append(ms); });
        System.err.println(out);
      } catch (Exception e) {
        System.err.println("threadtimes: " + e);
      }
    }, "threadtimes"));
  }
}
