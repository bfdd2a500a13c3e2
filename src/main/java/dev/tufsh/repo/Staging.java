package dev.tufsh.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.crypto.Hex;
import dev.tufsh.json.ByteSink;
import dev.tufsh.json.Json;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.Signed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Changes not yet published, kept in {@code .tufsh/staged/} so that they survive the process:
 * every changed role (the metadata with the signatures collected so far) in one file written
 * atomically, and a list of target files to copy at publish. Nothing here is visible to clients.
 */
public final class Staging {
  private static final String FILES = "files.json";
  private static final String ROLES = "roles.staged";

  private final Path dir;
  private final Map<String, Metadata<? extends Signed>> roles = new ConcurrentHashMap<>();
  private final Map<String, StagedFile> files = new TreeMap<>();
  private final Map<String, byte[]> bytes = new ConcurrentHashMap<>();
  private final Set<String> dirty = Collections.newSetFromMap(new ConcurrentHashMap<>());
  private final Set<String> removed = new HashSet<>();
  private boolean filesDirty;

  private Staging(Path dir) {
    this.dir = dir;
  }

  public static Staging load(Path dir) {
    Staging s = new Staging(dir);
    Path rolesFile = dir.resolve(ROLES);
    if (Files.exists(rolesFile)) {
      byte[] all = AtomicFiles.read(rolesFile);
      List<int[]> lines = new ArrayList<>();
      int from = 0;
      for (int i = 0; i < all.length; i++) {
        if (all[i] == '\n') {
          lines.add(new int[] {from, i});
          from = i + 1;
        }
      }
      lines.parallelStream().forEach(l -> {
        int sp = l[0];
        while (sp < l[1] && all[sp] != ' ') {
          sp++;
        }
        if (sp >= l[1]) {
          throw new WorkspaceError(rolesFile + ": damaged staged entry; run 'discard' to drop staged changes");
        }
        String role = new String(Hex.decode(new String(all, l[0], sp - l[0], StandardCharsets.US_ASCII), "role"),
            StandardCharsets.UTF_8);
        byte[] env = Arrays.copyOfRange(all, sp + 1, l[1]);
        s.roles.put(role, MetadataCodec.decode(env, "staged " + role));
        s.bytes.put(role, env);
      });
    }
    Path f = dir.resolve(FILES);
    if (Files.exists(f)) {
      JsonNode n = Json.parse(AtomicFiles.read(f), f.toString());
      for (JsonNode e : n) {
        Map<String, String> h = new LinkedHashMap<>();
        e.get("hashes").fields().forEachRemaining(x -> h.put(x.getKey(), x.getValue().asText()));
        s.files.put(e.get("path").asText(),
            new StagedFile(e.get("path").asText(), e.get("source").asText(), e.get("length").asLong(), h));
      }
    }
    return s;
  }

  /**
   * How many roles and files are staged in {@code dir}, counted without decoding anything (the
   * shell's prompt asks after every command).
   */
  public static int count(Path dir) {
    int n = names(dir).size();
    Path f = dir.resolve(FILES);
    if (Files.exists(f)) {
      n += Json.parse(AtomicFiles.read(f), f.toString()).size();
    }
    return n;
  }

  /** The names of the roles staged in {@code dir}, read without decoding their metadata. */
  public static java.util.Set<String> names(Path dir) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    Path roles = dir.resolve(ROLES);
    if (!Files.exists(roles)) {
      return out;
    }
    byte[] all = AtomicFiles.read(roles);
    int start = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == '\n') {
        int sp = start;
        while (sp < i && all[sp] != ' ') {
          sp++;
        }
        out.add(new String(Hex.decode(new String(all, start, sp - start, StandardCharsets.US_ASCII), "role"),
            StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    return out;
  }

  public Map<String, Metadata<? extends Signed>> roles() {
    return Collections.unmodifiableMap(roles);
  }

  public Metadata<? extends Signed> role(String name) {
    return roles.get(name);
  }

  /**
   * The file bytes of staged role {@code name}: as read from or last written to the staging file,
   * so a publish does not encode again what staging already encoded.
   */
  public byte[] fileBytes(String name) {
    return bytes.computeIfAbsent(name, n -> MetadataCodec.fileBytes(roles.get(n)));
  }

  public boolean has(String name) {
    return roles.containsKey(name);
  }

  public void put(String name, Metadata<? extends Signed> md) {
    roles.put(name, md);
    bytes.remove(name);
    dirty.add(name);
    synchronized (removed) {
      removed.remove(name);
    }
  }

  public void remove(String name) {
    if (roles.remove(name) != null) {
      bytes.remove(name);
      synchronized (removed) {
        removed.add(name);
      }
      dirty.remove(name);
    }
  }

  public Map<String, StagedFile> files() {
    return Collections.unmodifiableMap(files);
  }

  public void putFile(StagedFile f) {
    files.put(f.path(), f);
    filesDirty = true;
  }

  public void removeFile(String path) {
    if (files.remove(path) != null) {
      filesDirty = true;
    }
  }

  public boolean isEmpty() {
    return roles.isEmpty() && files.isEmpty();
  }

  /**
   * Writes the staged roles as one file, atomically: a line per role, its name in hex and its
   * metadata as published JSON (which holds no raw newline). Only changed roles are encoded.
   */
  public void save() {
    try {
      Workspace.ownerOnlyDir(dir);
    } catch (IOException e) {
      throw new WorkspaceError("cannot create " + dir + ": " + AtomicFiles.reason(e), e);
    }
    if (!dirty.isEmpty() || !removed.isEmpty()) {
      dirty.parallelStream().forEach(name -> {
        Metadata<? extends Signed> md = roles.get(name);
        if (md != null) {
          bytes.put(name, MetadataCodec.fileBytes(md));
        }
      });
      removed.forEach(bytes::remove);
      ByteSink out = new ByteSink(bytes.values().stream().mapToInt(b -> b.length + 80).sum() + 16);
      for (String name : new TreeMap<>(bytes).keySet()) {
        out.writeAscii(Hex.encode(name.getBytes(StandardCharsets.UTF_8)));
        out.write(' ');
        out.write(bytes.get(name));
        out.write('\n');
      }
      AtomicFiles.write(dir.resolve(ROLES), out.toByteArray());
      dirty.clear();
      removed.clear();
    }
    if (filesDirty) {
      ArrayNode a = Json.nodes().arrayNode();
      for (StagedFile f : files.values()) {
        ObjectNode o = a.addObject();
        o.put("path", f.path());
        o.put("source", f.source());
        o.put("length", f.length());
        ObjectNode h = o.putObject("hashes");
        f.hashes().forEach(h::put);
      }
      AtomicFiles.write(dir.resolve(FILES), Json.pretty(a).getBytes(StandardCharsets.UTF_8));
      filesDirty = false;
    }
  }

  /** Drops every staged change, on disk too. */
  /**
   * Removes every file of a staging area that cannot be read (damaged by hand or by a disk
   * error), so {@code discard} still works; returns how many files it removed.
   */
  public static int wipe(Path dir) {
    int n = 0;
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (var list = Files.list(dir)) {
      for (Path p : (Iterable<Path>) list::iterator) {
        if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p)) {
          Files.delete(p);
          n++;
        }
      }
    } catch (IOException e) {
      throw new WorkspaceError("cannot clear " + dir + ": " + AtomicFiles.reason(e), e);
    }
    return n;
  }

  public void clear() {
    for (String name : roles.keySet()) {
      remove(name);
    }
    files.clear();
    filesDirty = true;
    save();
    try {
      Files.deleteIfExists(dir.resolve(FILES));
    } catch (IOException e) {
      throw new WorkspaceError("cannot remove " + dir.resolve(FILES) + ": " + AtomicFiles.reason(e), e);
    }
    filesDirty = false;
  }
}
