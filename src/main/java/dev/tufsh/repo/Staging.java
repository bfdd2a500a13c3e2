package dev.tufsh.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.json.Json;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.Signed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Changes not yet published, kept in {@code .tufsh/staged/} so that they survive the process:
 * one file per changed role (the metadata with the signatures collected so far) and a list of
 * target files to copy at publish. Nothing here is visible to clients.
 */
public final class Staging {
  private static final String FILES = "files.json";

  private final Path dir;
  private final Map<String, Metadata<? extends Signed>> roles = new ConcurrentHashMap<>();
  private final Map<String, StagedFile> files = new TreeMap<>();
  private final Set<String> dirty = Collections.newSetFromMap(new ConcurrentHashMap<>());
  private final Set<String> removed = new HashSet<>();
  private boolean filesDirty;

  private Staging(Path dir) {
    this.dir = dir;
  }

  public static Staging load(Path dir) {
    Staging s = new Staging(dir);
    Path rolesDir = dir.resolve("roles");
    if (Files.isDirectory(rolesDir)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(rolesDir, "*.json")) {
        var list = new java.util.ArrayList<Path>();
        ds.forEach(list::add);
        list.parallelStream().forEach(p -> {
          String file = p.getFileName().toString();
          String role = file.substring(0, file.length() - ".json".length());
          s.roles.put(role, MetadataCodec.decode(AtomicFiles.read(p), "staged " + file));
        });
      } catch (IOException e) {
        throw new WorkspaceError("cannot read staged changes in " + rolesDir + ": " + AtomicFiles.reason(e), e);
      }
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

  public Map<String, Metadata<? extends Signed>> roles() {
    return Collections.unmodifiableMap(roles);
  }

  public Metadata<? extends Signed> role(String name) {
    return roles.get(name);
  }

  public boolean has(String name) {
    return roles.containsKey(name);
  }

  public void put(String name, Metadata<? extends Signed> md) {
    roles.put(name, md);
    dirty.add(name);
    synchronized (removed) {
      removed.remove(name);
    }
  }

  public void remove(String name) {
    if (roles.remove(name) != null) {
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

  /** Writes what changed since loading. */
  public void save() {
    Path rolesDir = dir.resolve("roles");
    try {
      Workspace.ownerOnlyDir(dir);
      Workspace.ownerOnlyDir(rolesDir);
    } catch (IOException e) {
      throw new WorkspaceError("cannot create " + rolesDir + ": " + AtomicFiles.reason(e), e);
    }
    try {
      dirty.parallelStream().forEach(name -> {
        Metadata<? extends Signed> md = roles.get(name);
        if (md != null) {
          AtomicFiles.write(rolesDir.resolve(name + ".json"), MetadataCodec.fileBytes(md));
        }
      });
      for (String name : removed) {
        Files.deleteIfExists(rolesDir.resolve(name + ".json"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    dirty.clear();
    removed.clear();
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
