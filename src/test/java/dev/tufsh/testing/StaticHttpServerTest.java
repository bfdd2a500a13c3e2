package dev.tufsh.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test web server serves its folder and nothing outside it. */
class StaticHttpServerTest {
  @TempDir Path tmp;

  @Test
  void serves_files_and_refuses_everything_else() throws Exception {
    Path site = Files.createDirectories(tmp.resolve("site/metadata"));
    Files.writeString(site.resolve("1.root.json"), "{}", StandardCharsets.UTF_8);
    Files.writeString(tmp.resolve("secret.txt"), "secret", StandardCharsets.UTF_8);
    Files.createSymbolicLink(site.resolve("link.txt"), tmp.resolve("secret.txt"));
    try (StaticHttpServer server = StaticHttpServer.serve(tmp.resolve("site"))) {
      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<String> ok = client.send(
          HttpRequest.newBuilder(URI.create(server.url("metadata/1.root.json"))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ok.statusCode());
      assertEquals("{}", ok.body());
      assertEquals("127.0.0.1", server.baseUri().getHost());
      for (String path : new String[] {"/metadata/2.root.json", "/metadata", "/metadata/link.txt",
          "/../secret.txt", "/metadata/%2e%2e/%2e%2e/secret.txt", "/metadata/..%2f..%2fsecret.txt"}) {
        assertEquals(404, rawStatus(server, path), path);
      }
      assertEquals(405, client.send(
          HttpRequest.newBuilder(URI.create(server.url("metadata/1.root.json")))
              .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode());
      assertEquals("200 /metadata/1.root.json", server.requests().get(0));
    }
  }

  /** Sends {@code path} exactly as given (HttpClient would normalize dot segments away). */
  private static int rawStatus(StaticHttpServer server, String path) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.baseUri().getPort())) {
      s.getOutputStream().write(
          ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      return Integer.parseInt(status.substring(9, 12));
    }
  }
}
