package dev.tufsh.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.crypto.Key;
import dev.tufsh.errors.TufshException;
import dev.tufsh.json.Json;
import dev.tufsh.keys.file.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code .tufsh/keys.json}: the keys held by PKCS#11 tokens, Vault Transit and offline holders,
 * with their public keys, so listing keys and planning signatures need no token, server or PIN.
 * The file holds no secret. Each change rewrites it atomically.
 *
 * <pre>{"keys": [{"name": "hsm-1", "backend": "pkcs11", "uri": "pkcs11:token=tuf;object=ec1",
 *   "keyid": "...", "public": {TUF key object}, "options": {"module": "/usr/lib/..."}}]}</pre>
 */
public final class KeyRegistry {
  public static final String FILE = "keys.json";
  private static final long MAX_BYTES = 16L << 20;

  private final Path file;

  public KeyRegistry(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** Every registered key, sorted by name; an absent file is an empty registry. */
  public synchronized List<RegisteredKey> list() {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new KeyStoreError(file + " is larger than a key registry can be");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new KeyStoreError("cannot read " + file + ": " + e.getMessage(), e);
    }
    return parse(bytes);
  }

  public Optional<RegisteredKey> find(String name) {
    return list().stream().filter(k -> k.name().equals(name)).findFirst();
  }

  /** Adds {@code key}; its name must be new in the registry. */
  public synchronized void add(RegisteredKey key) {
    List<RegisteredKey> keys = new ArrayList<>(list());
    if (keys.stream().anyMatch(k -> k.name().equals(key.name()))) {
      throw new KeyStoreError("a key named " + key.name() + " is already registered in " + file);
    }
    keys.add(key);
    write(keys);
  }

  /** Removes the key named {@code name}; false when there was none. */
  public synchronized boolean remove(String name) {
    List<RegisteredKey> keys = new ArrayList<>(list());
    boolean removed = keys.removeIf(k -> k.name().equals(name));
    if (removed) {
      write(keys);
    }
    return removed;
  }

  private void write(List<RegisteredKey> keys) {
    ObjectNode root = Json.object();
    ArrayNode arr = root.putArray("keys");
    keys.stream().sorted(Comparator.comparing(RegisteredKey::name)).forEach(k -> {
      ObjectNode o = arr.addObject();
      o.put("name", k.name());
      o.put("backend", k.backend());
      o.put("uri", k.uri());
      o.put("keyid", k.key().keyId());
      o.set("public", k.key().toJson());
      if (!k.options().isEmpty()) {
        ObjectNode opts = o.putObject("options");
        new java.util.TreeMap<>(k.options()).forEach(opts::put);
      }
    });
    Path dir = file.toAbsolutePath().getParent();
    PrivateFiles.createDirectory(dir);
    PrivateFiles.write(file, (Json.pretty(root) + "\n").getBytes(StandardCharsets.UTF_8), true);
  }

  private List<RegisteredKey> parse(byte[] bytes) {
    String src = file.toString();
    JsonNode root;
    try {
      root = Json.parse(bytes, src);
    } catch (TufshException e) {
      throw new KeyStoreError(src + " is not valid JSON: " + e.getMessage(), e);
    }
    dev.tufsh.json.FormatMember.check(root, src, "key registry", 1);
    JsonNode arr = root.get("keys");
    if (arr == null || !arr.isArray()) {
      throw new KeyStoreError(src + ": field 'keys' is missing or not a list");
    }
    List<RegisteredKey> out = new ArrayList<>();
    int i = 0;
    for (JsonNode n : arr) {
      String at = src + ": keys[" + i++ + "]";
      String name = text(n, "name", at);
      Key key;
      try {
        key = Key.fromJson(n.get("public"), "public");
      } catch (TufshException e) {
        throw new KeyStoreError(at + " (" + name + "): " + e.getMessage(), e);
      }
      String keyId = text(n, "keyid", at);
      if (!keyId.equals(key.keyId())) {
        throw new KeyStoreError(at + " (" + name + "): field 'keyid' is not the key id of field 'public' ("
            + key.keyId() + "); the file was edited by hand");
      }
      Map<String, String> opts = new LinkedHashMap<>();
      JsonNode o = n.get("options");
      if (o != null && o.isObject()) {
        o.fields().forEachRemaining(e -> opts.put(e.getKey(), e.getValue().asText()));
      }
      try {
        out.add(new RegisteredKey(name, text(n, "backend", at), text(n, "uri", at), key, opts));
      } catch (KeyStoreError e) {
        throw new KeyStoreError(at + ": " + e.getMessage(), e);
      }
    }
    out.sort(Comparator.comparing(RegisteredKey::name));
    return List.copyOf(out);
  }

  private static String text(JsonNode n, String field, String at) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
      throw new KeyStoreError(at + ": field '" + field + "' is missing or not a string");
    }
    return v.textValue();
  }
}
