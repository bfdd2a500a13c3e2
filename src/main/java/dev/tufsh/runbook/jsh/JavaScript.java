package dev.tufsh.runbook.jsh;

import dev.tufsh.errors.TufshException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.execution.LocalExecutionControlProvider;

/**
 * Evaluates Java snippets through the JShell API in this process, with {@code tufsh} bound to the
 * scripting API. A snippet that does not compile or throws stops the script with the file, the
 * line and the compiler's (or the exception's) message.
 */
public final class JavaScript implements AutoCloseable {
  private static final String PRELUDE =
      "import com.fasterxml.jackson.databind.JsonNode;\n"
          + "import java.util.*;\n"
          + "import java.time.*;\n"
          + "import dev.tufsh.ops.Status;\n"
          + "import dev.tufsh.ops.Resign;\n"
          + "import dev.tufsh.repo.Plan;\n"
          + "import dev.tufsh.repo.PublishResult;\n"
          + "var tufsh = dev.tufsh.runbook.jsh.Tufsh.INSTANCE;\n";

  private final JShell shell;
  private final PrintWriter out;

  public JavaScript(ScriptHost host, PrintWriter out) {
    Tufsh.bind(host);
    this.out = out;
    java.io.PrintStream stream =
        new java.io.PrintStream(new WriterStream(out), true, java.nio.charset.StandardCharsets.UTF_8);
    // Snippets run in this JVM: their System.out is routed to this session's output while it lasts.
    ScriptOutput.install();
    ScriptOutput.route(stream);
    this.shell =
        JShell.builder()
            .executionEngine(new LocalExecutionControlProvider(), null)
            .compilerOptions("-classpath", System.getProperty("java.class.path"))
            .out(stream)
            .err(stream)
            .build();
    evalScript(PRELUDE, "<prelude>");
  }

  /** Evaluates the whole script text; {@code source} names it in errors. */
  public void evalScript(String text, String source) {
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    String remaining = text;
    int line = 1;
    while (!remaining.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
      String snippet = info.source();
      if (snippet == null || info.completeness() == SourceCodeAnalysis.Completeness.DEFINITELY_INCOMPLETE) {
        throw new TufshException(source + ":" + (line + leadingLines(remaining)) + ": incomplete Java statement at end of script");
      }
      int consumed = remaining.length() - info.remaining().length();
      String chunk = remaining.substring(0, consumed);
      eval(snippet, source, line);
      line += count(chunk, '\n');
      remaining = info.remaining();
    }
  }

  /** Evaluates one snippet typed interactively; returns the value's text, if any. */
  public String evalInteractive(String snippet) {
    return eval(snippet, "jshell", 1);
  }

  private String eval(String snippet, String source, int line) {
    List<SnippetEvent> events = shell.eval(snippet);
    String value = null;
    for (SnippetEvent e : events) {
      if (e.status() == Snippet.Status.REJECTED) {
        List<String> msgs = new ArrayList<>();
        shell.diagnostics(e.snippet()).forEach(d -> msgs.add(message(d, snippet, line)));
        throw new TufshException(source + ":" + (msgs.isEmpty() ? line + ": rejected" : msgs.get(0)));
      }
      if (e.exception() != null) {
        Throwable ex = e.exception();
        String msg = ex instanceof EvalException ee ? ee.getExceptionClassName() + ": " + ex.getMessage() : ex.getMessage();
        throw new TufshException(source + ":" + (line + codeStart(snippet)) + ": " + msg);
      }
      if (e.value() != null && e.snippet().kind() == Snippet.Kind.EXPRESSION) {
        value = e.value();
      }
    }
    return value;
  }

  private static String message(Diag d, String snippet, int firstLine) {
    long pos = Math.max(0, d.getStartPosition());
    int line = firstLine + count(snippet.substring(0, (int) Math.min(pos, snippet.length())), '\n');
    return line + ": " + d.getMessage(java.util.Locale.ROOT).lines().findFirst().orElse("error");
  }

  /** Lines before the first line of code in {@code s} (blank lines and // comments). */
  private static int codeStart(String s) {
    int n = 0;
    for (String l : s.split("\n", -1)) {
      String t = l.strip();
      if (!t.isEmpty() && !t.startsWith("//")) {
        return n;
      }
      n++;
    }
    return 0;
  }

  private static int leadingLines(String s) {
    int n = 0;
    for (int i = 0; i < s.length() && Character.isWhitespace(s.charAt(i)); i++) {
      if (s.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  private static int count(String s, char c) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == c) {
        n++;
      }
    }
    return n;
  }

  /** Names of the variables and methods defined so far (for completion in the jshell command). */
  public List<String> names() {
    return shell.variables().map(v -> v.name()).collect(Collectors.toList());
  }

  @Override
  public void close() {
    shell.close();
    ScriptOutput.route(null);
    out.flush();
  }

  /** Runs a {@code .jsh} file. */
  public static void runFile(Path file, ScriptHost host, PrintWriter out) {
    String text;
    try {
      if (java.nio.file.Files.size(file) > 16L << 20) {
        throw new TufshException("script " + file + " is larger than the 16 MiB a script may be");
      }
      text = java.nio.file.Files.readString(file);
    } catch (java.io.IOException e) {
      throw new TufshException("cannot read script " + file + ": " + e.getMessage(), e);
    }
    try (JavaScript js = new JavaScript(host, out)) {
      js.evalScript(text, file.toString());
    }
  }

  /** Adapts a PrintWriter to the PrintStream JShell wants for the snippets' System.out. */
  private static final class WriterStream extends java.io.OutputStream {
    private final PrintWriter w;
    private final java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();

    WriterStream(PrintWriter w) {
      this.w = w;
    }

    @Override
    public synchronized void write(int b) {
      buf.write(b);
      if (b == '\n') {
        flush();
      }
    }

    @Override
    public synchronized void flush() {
      w.print(buf.toString(java.nio.charset.StandardCharsets.UTF_8));
      w.flush();
      buf.reset();
    }
  }
}
