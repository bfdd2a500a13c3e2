package dev.tufsh.keys.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Pem;
import dev.tufsh.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.util.PrivateKeyFactory;

/**
 * A stand-in for Vault's Transit secrets engine over real HTTP, following Vault's documented
 * request and response shapes, and signing with real keys so signatures verify:
 *
 * <ul>
 *   <li>{@code GET /v1/<mount>/keys/<name>}: {@code data.type}, {@code data.latest_version},
 *       {@code data.keys} (version to {@code {public_key, creation_time, name}}); Ed25519 public keys
 *       as base64 of the raw 32 bytes, ECDSA and RSA as PEM SubjectPublicKeyInfo.
 *   <li>{@code POST /v1/<mount>/sign/<name>[/<hash_algorithm>]}: {@code input} or
 *       {@code batch_input}, {@code key_version}, {@code hash_algorithm}, {@code prehashed},
 *       {@code signature_algorithm} (pss default, pkcs1v15 refused here), {@code
 *       marshaling_algorithm} (asn1 default, jws), {@code salt_length} (auto default: the longest
 *       salt, as Go's rsa.PSSSaltLengthAuto; hash; or a number). Answers {@code
 *       vault:vN:BASE64}, or {@code batch_results} in input order.
 *   <li>{@code GET /v1/auth/token/lookup-self}.
 *   <li>{@code X-Vault-Token} (403 "permission denied" when unknown or when its policy lacks the
 *       path), {@code X-Vault-Namespace} (a key made in a namespace is found only with it), a sealed
 *       state (503 "Vault is sealed"), unknown keys (404 on read, 400 "encryption key not found" on
 *       sign), and error bodies {@code {"errors":[...]}}.
 * </ul>
 */
public final class TransitStandIn implements AutoCloseable {
  /** One version of a Transit key. */
  private record Version(KeyPair jca, Ed25519PrivateKeyParameters ed, String publicKey) {}

  private record TransitKey(String type, List<Version> versions) {}

  private final HttpServer server;
  private final Map<String, TransitKey> keys = new ConcurrentHashMap<>();
  /** Token to the path prefixes its policy allows ("" allows everything). */
  private final Map<String, Set<String>> tokens = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final List<String> log = new CopyOnWriteArrayList<>();
  private volatile boolean sealed;

  public TransitStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/v1/", this::handle);
    server.start();
  }

  public String address() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public TransitStandIn token(String token, String... allowedPrefixes) {
    tokens.put(token, allowedPrefixes.length == 0 ? Set.of("") : Set.of(allowedPrefixes));
    return this;
  }

  void seal(boolean s) {
    sealed = s;
  }

  public int requests() {
    return requests.get();
  }

  /** "METHOD path namespace" of every request, for tests that check headers and paths. */
  List<String> log() {
    return List.copyOf(log);
  }

  /** Creates Transit key {@code name} of {@code type} in {@code namespace} (null: root). */
  public void createKey(String namespace, String mount, String name, String type) throws GeneralSecurityException {
    keys.put(id(namespace, mount, name), new TransitKey(type, new CopyOnWriteArrayList<>(List.of(newVersion(type)))));
  }

  /** Adds a version, as {@code POST /v1/<mount>/keys/<name>/rotate} does. */
  void rotate(String namespace, String mount, String name) throws GeneralSecurityException {
    TransitKey k = keys.get(id(namespace, mount, name));
    k.versions().add(newVersion(k.type()));
  }

  private static String id(String namespace, String mount, String name) {
    return (namespace == null ? "" : namespace) + "|" + mount + "|" + name;
  }

  private static Version newVersion(String type) throws GeneralSecurityException {
    switch (type) {
      case "ed25519" -> {
        Ed25519PrivateKeyParameters ed = new Ed25519PrivateKeyParameters(Crypto.random());
        return new Version(null, ed, Base64.getEncoder().encodeToString(ed.generatePublicKey().getEncoded()));
      }
      case "ecdsa-p256" -> {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        return new Version(kp, null, Pem.encode("PUBLIC KEY", kp.getPublic().getEncoded()));
      }
      case "rsa-2048", "rsa-3072", "rsa-4096" -> {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(Integer.parseInt(type.substring(4)));
        KeyPair kp = g.generateKeyPair();
        return new Version(kp, null, Pem.encode("PUBLIC KEY", kp.getPublic().getEncoded()));
      }
      case "aes256-gcm96" -> {
        return new Version(null, null, null);
      }
      default -> throw new IllegalArgumentException(type);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    try (ex) {
      String path = ex.getRequestURI().getPath().substring("/v1/".length());
      String ns = ex.getRequestHeaders().getFirst("X-Vault-Namespace");
      log.add(ex.getRequestMethod() + " " + path + " " + ns);
      byte[] body = ex.getRequestBody().readAllBytes();
      if (sealed) {
        reply(ex, 503, errors("Vault is sealed"));
        return;
      }
      String token = ex.getRequestHeaders().getFirst("X-Vault-Token");
      Set<String> policy = token == null ? null : tokens.get(token);
      if (policy == null) {
        reply(ex, 403, errors("permission denied"));
        return;
      }
      if (path.equals("auth/token/lookup-self")) {
        ObjectNode data = Json.object();
        data.putObject("data").put("id", "hidden").put("ttl", 3600);
        reply(ex, 200, data);
        return;
      }
      if (policy.stream().noneMatch(path::startsWith)) {
        reply(ex, 403, errors("1 error occurred:\n\t* permission denied\n\n"));
        return;
      }
      String[] parts = path.split("/");
      if (parts.length == 3 && parts[1].equals("keys") && ex.getRequestMethod().equals("GET")) {
        readKey(ex, ns, parts[0], parts[2]);
      } else if ((parts.length == 3 || parts.length == 4) && parts[1].equals("sign")
          && ex.getRequestMethod().equals("POST")) {
        sign(ex, ns, parts[0], parts[2], parts.length == 4 ? parts[3] : null, Json.parse(body, "request"));
      } else {
        reply(ex, 404, errors("no handler for route \"" + path + "\". route entry not found."));
      }
    } catch (RuntimeException | GeneralSecurityException e) {
      reply(ex, 500, errors("internal error: " + e));
    }
  }

  private void readKey(HttpExchange ex, String ns, String mount, String name) throws IOException {
    TransitKey k = keys.get(id(ns, mount, name));
    if (k == null) {
      reply(ex, 404, errors());
      return;
    }
    ObjectNode root = Json.object();
    ObjectNode data = root.putObject("data");
    data.put("name", name);
    data.put("type", k.type());
    data.put("latest_version", k.versions().size());
    data.put("min_decryption_version", 1);
    data.put("supports_signing", !k.type().startsWith("aes"));
    ObjectNode versions = data.putObject("keys");
    for (int i = 0; i < k.versions().size(); i++) {
      if (k.type().startsWith("aes")) {
        versions.put(Integer.toString(i + 1), 1_700_000_000L);
        continue;
      }
      ObjectNode v = versions.putObject(Integer.toString(i + 1));
      v.put("creation_time", "2030-01-01T00:00:00.000000000Z");
      v.put("name", k.type().startsWith("rsa") ? "rsa-" + k.type().substring(4) : k.type().equals("ed25519")
          ? "ed25519" : "P-256");
      v.put("public_key", k.versions().get(i).publicKey());
    }
    reply(ex, 200, root);
  }

  private void sign(HttpExchange ex, String ns, String mount, String name, String urlHash, JsonNode req)
      throws IOException, GeneralSecurityException {
    TransitKey k = keys.get(id(ns, mount, name));
    if (k == null) {
      reply(ex, 400, errors("encryption key not found"));
      return;
    }
    if (k.type().startsWith("aes")) {
      reply(ex, 400, errors("key type " + k.type() + " does not support signing"));
      return;
    }
    int version = req.path("key_version").asInt(0);
    if (version == 0) {
      version = k.versions().size();
    }
    if (version < 1 || version > k.versions().size()) {
      reply(ex, 400, errors("invalid key version"));
      return;
    }
    String hash = urlHash != null ? urlHash : req.path("hash_algorithm").asText("sha2-256");
    if (!hash.equals("sha2-256")) {
      reply(ex, 400, errors("unsupported hash algorithm " + hash + " in this stand-in"));
      return;
    }
    boolean prehashed = req.path("prehashed").asBoolean(false);
    String sigAlg = req.path("signature_algorithm").asText("pss");
    String marshal = req.path("marshaling_algorithm").asText("asn1");
    String salt = req.path("salt_length").asText("auto");
    if (k.type().equals("ed25519") && prehashed) {
      reply(ex, 400, errors("prehashed is not supported for ed25519 keys"));
      return;
    }
    Version v = k.versions().get(version - 1);
    List<String> inputs = new ArrayList<>();
    boolean batch = req.has("batch_input");
    if (batch) {
      for (JsonNode item : req.get("batch_input")) {
        inputs.add(item.path("input").asText(""));
      }
    } else {
      inputs.add(req.path("input").asText(""));
    }
    ArrayNode results = Json.nodes().arrayNode();
    for (String in : inputs) {
      ObjectNode r = results.addObject();
      byte[] input;
      try {
        input = Base64.getDecoder().decode(in);
      } catch (IllegalArgumentException e) {
        r.put("error", "unable to decode input as base64: " + e.getMessage());
        continue;
      }
      if (prehashed && input.length != 32) {
        r.put("error", "prehashed input is not a sha2-256 digest");
        continue;
      }
      byte[] sig = signOne(k.type(), v, input, prehashed, sigAlg, marshal, salt);
      String enc = marshal.equals("jws") ? Base64.getUrlEncoder().withoutPadding().encodeToString(sig)
          : Base64.getEncoder().encodeToString(sig);
      r.put("signature", "vault:v" + version + ":" + enc);
      r.put("key_version", version);
    }
    ObjectNode root = Json.object();
    ObjectNode data = root.putObject("data");
    if (batch) {
      data.set("batch_results", results);
    } else if (results.get(0).has("error")) {
      reply(ex, 400, errors(results.get(0).get("error").asText()));
      return;
    } else {
      data.setAll((ObjectNode) results.get(0));
    }
    reply(ex, 200, root);
  }

  private static byte[] signOne(String type, Version v, byte[] input, boolean prehashed, String sigAlg,
      String marshal, String salt) throws GeneralSecurityException, IOException {
    if (type.equals("ed25519")) {
      byte[] sig = new byte[64];
      v.ed().sign(org.bouncycastle.math.ec.rfc8032.Ed25519.Algorithm.Ed25519, null, input, 0, input.length, sig, 0);
      return sig;
    }
    byte[] digest = prehashed ? input : Crypto.sha256(input);
    if (type.equals("ecdsa-p256")) {
      Signature s = Signature.getInstance("NONEwithECDSA");
      s.initSign(v.jca().getPrivate(), Crypto.random());
      s.update(digest);
      byte[] der = s.sign();
      if (!marshal.equals("jws")) {
        return der;
      }
      ASN1Sequence seq = ASN1Sequence.getInstance(der);
      byte[] out = new byte[64];
      copy32(ASN1Integer.getInstance(seq.getObjectAt(0)).getValue(), out, 0);
      copy32(ASN1Integer.getInstance(seq.getObjectAt(1)).getValue(), out, 32);
      return out;
    }
    if (!sigAlg.equals("pss")) {
      throw new IllegalArgumentException("this stand-in signs RSA with pss only, not " + sigAlg);
    }
    AsymmetricKeyParameter priv = PrivateKeyFactory.createKey(v.jca().getPrivate().getEncoded());
    int modBytes = (((java.security.interfaces.RSAKey) v.jca().getPrivate()).getModulus().bitLength() + 7) / 8;
    int saltLen = switch (salt) {
      case "auto" -> modBytes - 32 - 2;
      case "hash" -> 32;
      default -> Integer.parseInt(salt);
    };
    PSSSigner signer = PSSSigner.createRawSigner(new RSABlindedEngine(), new SHA256Digest(), new SHA256Digest(),
        saltLen, PSSSigner.TRAILER_IMPLICIT);
    signer.init(true, new ParametersWithRandom(priv, Crypto.random()));
    signer.update(digest, 0, digest.length);
    try {
      return signer.generateSignature();
    } catch (org.bouncycastle.crypto.CryptoException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static void copy32(BigInteger v, byte[] out, int at) {
    byte[] b = v.toByteArray();
    int n = Math.min(b.length, 32);
    System.arraycopy(b, b.length - n, out, at + 32 - n, n);
  }

  private static ObjectNode errors(String... messages) {
    ObjectNode o = Json.object();
    ArrayNode a = o.putArray("errors");
    Arrays.stream(messages).forEach(a::add);
    return o;
  }

  private static void reply(HttpExchange ex, int status, ObjectNode body) throws IOException {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
