package dev.tufsh.keys.vault;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Pem;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.errors.TufshException;
import dev.tufsh.keys.KeyBackendError;
import dev.tufsh.keys.PublicKeys;
import java.util.Base64;

/**
 * A Transit key as {@code GET /v1/<mount>/keys/<name>} describes it: its type, latest version and
 * public key per version. Ed25519 public keys come as base64 of the raw 32 bytes (TUF writes them
 * as hex); ECDSA and RSA ones as PEM SubjectPublicKeyInfo, re-encoded in {@link Pem}'s layout so
 * the key id does not depend on how Vault wraps lines.
 */
record TransitKey(String type, int latestVersion, JsonNode versions) {
  static TransitKey read(VaultClient client, String mount, String name, String uri) {
    JsonNode data = client.get(mount + "/keys/" + name);
    String type = data.path("type").asText("");
    int latest = data.path("latest_version").asInt(0);
    JsonNode keys = data.get("keys");
    if (type.isEmpty() || latest < 1 || keys == null || !keys.isObject()) {
      throw new KeyBackendError(uri, "Vault's answer for " + mount + "/keys/" + name
          + " lacks type, latest_version or keys");
    }
    return new TransitKey(type, latest, keys);
  }

  /** The TUF scheme for this key type; an error for types TUF clients do not accept. */
  Scheme scheme(String uri) {
    return switch (type) {
      case "ed25519" -> Scheme.ED25519;
      case "ecdsa-p256" -> Scheme.ECDSA_P256;
      case "rsa-2048", "rsa-3072", "rsa-4096" -> Scheme.RSA_PSS_SHA256;
      case "ecdsa-p384", "ecdsa-p521" ->
          throw new KeyBackendError(uri, "Transit key type " + type + " is not accepted by TUF clients; "
              + "use ed25519, ecdsa-p256 or rsa-3072");
      default ->
          throw new KeyBackendError(uri, "Transit key type " + type + " cannot sign; use ed25519, ecdsa-p256 or rsa-3072");
    };
  }

  /** The public key of {@code version} as TUF metadata lists it. */
  Key publicKey(int version, String uri) {
    Scheme scheme = scheme(uri);
    JsonNode v = versions.get(Integer.toString(version));
    if (v == null) {
      throw new KeyBackendError(uri, "Transit key has no version " + version + " (latest is " + latestVersion
          + "; older versions may be trimmed)");
    }
    // Ed25519 keys list their public key as an object member; some versions list a bare timestamp.
    JsonNode pub = v.isObject() ? v.get("public_key") : null;
    if (pub == null || !pub.isTextual() || pub.textValue().isEmpty()) {
      throw new KeyBackendError(uri, "Vault lists no public key for version " + version);
    }
    try {
      if (scheme == Scheme.ED25519) {
        byte[] raw = Base64.getDecoder().decode(pub.textValue().strip());
        if (raw.length != 32) {
          throw new KeyBackendError(uri, "Vault's ed25519 public key is " + raw.length + " bytes, not 32");
        }
        return Key.of(Scheme.ED25519, Hex.encode(raw));
      }
      Key key = PublicKeys.fromSpki(Pem.decode(pub.textValue(), "PUBLIC KEY", "Vault public key"), uri);
      if (key.supportedScheme().orElseThrow() != scheme) {
        throw new KeyBackendError(uri, "Vault's public key does not match key type " + type);
      }
      return key;
    } catch (KeyBackendError e) {
      throw e;
    } catch (IllegalArgumentException | TufshException e) {
      throw new KeyBackendError(uri, "Vault's public key for version " + version + " is malformed: " + e.getMessage(), e);
    }
  }
}
