package dev.tufsh.keys.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.Signer;
import dev.tufsh.json.Json;
import dev.tufsh.keys.KeyBackendError;
import dev.tufsh.keys.RegisteredKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Signs through Transit's sign endpoint with one pinned key version, in TUF's encodings: Ed25519
 * as the raw 64 bytes; ECDSA as DER ({@code marshaling_algorithm=asn1}, not Vault's default JWS
 * form); RSA as PSS with a 32-byte salt ({@code signature_algorithm=pss}, {@code salt_length=32};
 * Vault's default "auto" salt is the longest that fits, which some clients refuse). ECDSA and RSA
 * send the SHA-256 digest ({@code prehashed=true}) so a request stays small whatever the message.
 * {@link #signAll} sends {@code batch_input} in chunks of {@value #BATCH} messages, inside the
 * JSON limits the servers enforce by default: OpenBao refuses a request body with more than 1,000
 * JSON strings (keys included, so about 496 batch entries: measured against OpenBao 2.7), recent
 * Vault releases arrays of more than 10,000 elements and strings of more than 1 MiB. An Ed25519 key must get the whole message (prehashed Ed25519 is not TUF's ed25519), so a
 * message whose base64 passes 1 MiB (about 768 KiB of metadata) is refused here, before any
 * request, rather than by the server halfway through a batch. OpenBao has no such default; the
 * same cap keeps a repository portable between the two.
 */
final class VaultSigner implements Signer {
  static final int BATCH = 480;
  /** Keeps an Ed25519 batch well under Vault's default 32 MiB request limit. */
  static final long BATCH_BYTES = 16L << 20;
  /** Vault's default {@code max_json_string_value_length}: the longest base64 input it takes. */
  static final int MAX_STRING = 1 << 20;

  private final RegisteredKey entry;
  private final VaultKeyRef ref;
  private final Key presented;
  private final Map<String, String> env;
  private VaultClient client;
  private Scheme scheme;

  /** Connects on the first signature, so resolving an unused signer makes no request. */
  VaultSigner(RegisteredKey entry, Key presented, Map<String, String> env) {
    this.entry = entry;
    this.ref = VaultKeyRef.parse(entry.uri());
    this.presented = presented;
    this.env = env;
  }

  /** Reads the key once, checking that Vault still has the registered public key. */
  private synchronized VaultClient connect() {
    if (client == null) {
      VaultClient c = new VaultClient(VaultSettings.resolve(entry.options(), env), ref.uri());
      TransitKey tk = TransitKey.read(c, ref.mount(), ref.name(), ref.uri());
      Key now = tk.publicKey(ref.version(), ref.uri());
      if (!now.keyId().equals(entry.key().keyId())) {
        throw new KeyBackendError(ref.uri(), "Vault's public key for version " + ref.version() + " is now "
            + now.shortId() + ", not the registered " + entry.key().shortId() + "; the Transit key was replaced");
      }
      scheme = tk.scheme(ref.uri());
      client = c;
    }
    return client;
  }

  @Override
  public Key key() {
    return presented;
  }

  @Override
  public byte[] sign(byte[] message) {
    return signAll(List.of(message)).get(0);
  }

  @Override
  public int preferredBatch() {
    return BATCH;
  }

  @Override
  public List<byte[]> signAll(List<byte[]> messages) {
    VaultClient c = connect();
    if (scheme == Scheme.ED25519) {
      for (int k = 0; k < messages.size(); k++) {
        long b64 = 4L * ((messages.get(k).length + 2) / 3);
        if (b64 > MAX_STRING) {
          throw new KeyBackendError(ref.uri(), "message " + k + " is " + messages.get(k).length + " bytes: an"
              + " ed25519 Transit key must be sent the whole message, and Vault takes at most 1 MiB of base64"
              + " (" + (MAX_STRING / 4 * 3 / 1024) + " KiB); sign this role with an ecdsa-p256 or rsa Transit key,"
              + " which is sent a SHA-256 digest");
        }
      }
    }
    List<byte[]> out = new ArrayList<>(messages.size());
    int i = 0;
    while (i < messages.size()) {
      int start = i;
      long bytes = 0;
      ArrayNode batch = Json.nodes().arrayNode();
      while (i < messages.size() && batch.size() < BATCH && (batch.isEmpty() || bytes < BATCH_BYTES)) {
        String input = Base64.getEncoder().encodeToString(input(messages.get(i)));
        bytes += input.length();
        batch.addObject().put("input", input);
        i++;
      }
      out.addAll(request(c, batch, start));
    }
    return out;
  }

  private byte[] input(byte[] message) {
    return scheme == Scheme.ED25519 ? message : Crypto.sha256(message);
  }

  private List<byte[]> request(VaultClient c, ArrayNode batch, int offset) {
    ObjectNode body = Json.object();
    body.put("key_version", ref.version());
    String path = ref.mount() + "/sign/" + ref.name();
    if (scheme != Scheme.ED25519) {
      path += "/sha2-256";
      body.put("prehashed", true);
    }
    if (scheme == Scheme.ECDSA_P256) {
      body.put("marshaling_algorithm", "asn1");
    } else if (scheme == Scheme.RSA_PSS_SHA256) {
      body.put("signature_algorithm", "pss");
      body.put("salt_length", "32");
    }
    body.set("batch_input", batch);
    JsonNode results = c.post(path, body).get("batch_results");
    if (results == null || !results.isArray() || results.size() != batch.size()) {
      throw new KeyBackendError(ref.uri(), "Vault answered " + batch.size() + " inputs with "
          + (results == null ? "no batch_results" : results.size() + " results"));
    }
    List<byte[]> out = new ArrayList<>(batch.size());
    for (int j = 0; j < results.size(); j++) {
      out.add(decode(results.get(j), offset + j));
    }
    return out;
  }

  /** {@code vault:vN:BASE64} to the signature bytes, checking that version N is the pinned one. */
  private byte[] decode(JsonNode result, int index) {
    String err = result.path("error").asText("");
    if (!err.isEmpty()) {
      throw new KeyBackendError(ref.uri(), "Vault refused message " + index + ": " + err);
    }
    String sig = result.path("signature").asText("");
    String prefix = "vault:v" + ref.version() + ":";
    if (!sig.startsWith(prefix)) {
      throw new KeyBackendError(ref.uri(), "Vault's signature for message " + index + " is not '" + prefix
          + "...' (got '" + sig.substring(0, Math.min(sig.length(), 16)) + "...')");
    }
    try {
      return Base64.getDecoder().decode(sig.substring(prefix.length()));
    } catch (IllegalArgumentException e) {
      throw new KeyBackendError(ref.uri(), "Vault's signature for message " + index + " is not base64");
    }
  }

  @Override
  public String describe() {
    return ref.uri() + " (" + presented + ")";
  }
}
