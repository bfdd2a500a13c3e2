package dev.tufsh.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves one folder read-only over HTTP on 127.0.0.1 at an ephemeral port, as a TUF repository's
 * web server would. GET and HEAD only; 404 for anything missing, for folders, and for any path that
 * would leave the folder (dot segments, encoded or not, and symbolic links pointing out).
 */
public final class StaticHttpServer implements AutoCloseable {
  private final Path root;
  private final HttpServer server;
  private final ExecutorService pool;
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

  private StaticHttpServer(Path root) throws IOException {
    this.root = root.toRealPath();
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    this.pool = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "static-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts serving {@code folder}. */
  public static StaticHttpServer serve(Path folder) {
    try {
      return new StaticHttpServer(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve " + folder, e);
    }
  }

  /** The base URL, ending in {@code /}. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** The folder served. */
  public Path folder() {
    return root;
  }

  /** The URL of {@code relative} (a folder below the served one, say {@code metadata}). */
  public String url(String relative) {
    return baseUri().resolve(relative).toString();
  }

  /** Decoded paths requested so far, in order, with the status each got ({@code "200 /x"}). */
  public List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getPath();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        requests.add("405 " + path);
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        ex.sendResponseHeaders(405, -1);
        return;
      }
      Path file = resolve(path);
      if (file == null) {
        requests.add("404 " + path);
        ex.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body = Files.readAllBytes(file);
      requests.add("200 " + path);
      ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
      if (method.equals("HEAD")) {
        ex.getResponseHeaders().set("Content-Length", Long.toString(body.length));
        ex.sendResponseHeaders(200, -1);
        return;
      }
      ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The regular file inside the served folder that {@code path} names, or null. */
  private Path resolve(String path) {
    if (path == null || !path.startsWith("/") || path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
      return null;
    }
    for (String seg : path.substring(1).split("/", -1)) {
      if (seg.equals("..") || seg.equals(".")) {
        return null;
      }
    }
    try {
      Path p = root.resolve(path.substring(1)).normalize();
      if (!p.startsWith(root) || !Files.isRegularFile(p)) {
        return null;
      }
      Path real = p.toRealPath();
      return real.startsWith(root) ? real : null;
    } catch (IOException | java.nio.file.InvalidPathException e) {
      return null;
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
