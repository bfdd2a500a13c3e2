package dev.tufsh.keys.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.errors.TufshException;
import dev.tufsh.json.Json;
import dev.tufsh.keys.KeyBackendError;
import io.github.jopenlibs.vault.rest.Rest;
import io.github.jopenlibs.vault.rest.RestException;
import io.github.jopenlibs.vault.rest.RestResponse;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Vault's HTTP API for one key: GET and POST under {@code /v1/}, with the token and namespace
 * headers, through vault-java-driver's {@link Rest} on one shared {@link HttpClient} (so requests
 * reuse a connection). Failures become one-line {@link KeyBackendError}s that say what to do: a
 * sealed Vault, a rejected token, a policy that denies the path, an unknown key, no server.
 */
final class VaultClient {
  private static final int CONNECT_TIMEOUT_S = 10;
  private static final int READ_TIMEOUT_S = 120;

  private final String address;
  private final String namespace;
  private final String token;
  private final String uri;
  private final HttpClient http;

  VaultClient(VaultSettings settings, String uri) {
    this.address = settings.requireAddress();
    this.namespace = settings.namespace();
    this.token = settings.token();
    this.uri = uri;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(CONNECT_TIMEOUT_S))
        .build();
  }

  String address() {
    return address;
  }

  /** {@code data} of a GET on {@code path} (below /v1/). */
  JsonNode get(String path) {
    return data(path, send(path, null));
  }

  /** {@code data} of a POST of {@code body} to {@code path}. */
  JsonNode post(String path, ObjectNode body) {
    return data(path, send(path, Json.mapper().valueToTree(body).toString().getBytes(StandardCharsets.UTF_8)));
  }

  private RestResponse send(String path, byte[] body) {
    Rest rest = new Rest(http)
        .url(address + "/v1/" + path)
        .header("X-Vault-Token", token)
        .header("X-Vault-Namespace", namespace)
        .header("X-Vault-Request", "true")
        .connectTimeoutSeconds(CONNECT_TIMEOUT_S)
        .readTimeoutSeconds(READ_TIMEOUT_S);
    try {
      if (body == null) {
        return rest.get();
      }
      return rest.header("Content-Type", "application/json").body(body).post();
    } catch (RestException e) {
      throw new KeyBackendError(uri, unreachable(e));
    }
  }

  private String unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return "cannot reach Vault at " + address + ": connection refused (is the server running, is VAULT_ADDR right?)";
      }
      if (t instanceof UnknownHostException) {
        return "cannot reach Vault at " + address + ": unknown host " + t.getMessage();
      }
      if (t instanceof HttpTimeoutException) {
        return "Vault at " + address + " did not answer in time";
      }
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return "cannot reach Vault at " + address + ": " + root.getClass().getSimpleName()
        + (root.getMessage() != null ? " " + root.getMessage() : "");
  }

  private JsonNode data(String path, RestResponse r) {
    int status = r.getStatus();
    JsonNode body = parse(r.getBody());
    if (status == 200) {
      JsonNode data = body == null ? null : body.get("data");
      if (data == null || !data.isObject()) {
        throw new KeyBackendError(uri, "Vault at " + address + " answered " + path + " without a 'data' object");
      }
      return data;
    }
    String errors = errors(body);
    String where = address + "/v1/" + path;
    switch (status) {
      case 503 -> {
        if (errors.contains("sealed")) {
          throw new KeyBackendError(uri, "Vault at " + address + " is sealed (503); unseal it and try again");
        }
        throw new KeyBackendError(uri, "Vault at " + address + " is unavailable (503" + detail(errors) + ")");
      }
      case 403 -> throw new KeyBackendError(uri, forbidden(path, errors));
      case 404 -> throw new KeyBackendError(uri, "no such key or path at " + where + " (404" + detail(errors)
          + "); check the key name and the Transit mount");
      default -> {
        if (errors.contains("encryption key not found") || errors.contains("signing key not found")) {
          throw new KeyBackendError(uri, "Vault has no Transit key for " + where + " (" + status + detail(errors) + ")");
        }
        throw new KeyBackendError(uri, "Vault answered " + status + " for " + where + detail(errors));
      }
    }
  }

  /**
   * Vault says "permission denied" both for a bad token and for a policy that lacks the path; one
   * look-up of the token itself tells them apart.
   */
  private String forbidden(String path, String errors) {
    RestResponse self;
    try {
      self = new Rest(http)
          .url(address + "/v1/auth/token/lookup-self")
          .header("X-Vault-Token", token)
          .header("X-Vault-Namespace", namespace)
          .connectTimeoutSeconds(CONNECT_TIMEOUT_S)
          .readTimeoutSeconds(READ_TIMEOUT_S)
          .get();
    } catch (RestException e) {
      self = null;
    }
    if (self != null && self.getStatus() == 403) {
      return "Vault at " + address + " rejected the token (403 bad token): VAULT_TOKEN is wrong, expired or revoked";
    }
    return "Vault at " + address + " denied " + path + " (403 permission denied" + detail(errors)
        + "): the token's policy must allow it";
  }

  private static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    try {
      return Json.parse(body, "Vault response");
    } catch (TufshException e) {
      return null;
    }
  }

  private static String errors(JsonNode body) {
    if (body == null || !body.path("errors").isArray()) {
      return "";
    }
    List<String> out = new ArrayList<>();
    body.get("errors").forEach(e -> out.add(e.asText()));
    return String.join("; ", out);
  }

  private static String detail(String errors) {
    return errors.isEmpty() ? "" : ": " + errors;
  }
}
