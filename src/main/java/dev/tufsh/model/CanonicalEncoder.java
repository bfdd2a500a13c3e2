package dev.tufsh.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.crypto.Key;
import dev.tufsh.json.ByteSink;
import dev.tufsh.json.CanonicalJson;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The records written straight to canonical bytes, with no tree in between: the same bytes as
 * {@link CanonicalJson} writes for {@link MetadataCodec#encodeSigned} and {@link
 * MetadataCodec#encode} (members sorted by code point; a known member written replaces an unknown
 * one of the same name, as the tree's later put did). Keys, {@code custom} and unknown members are
 * trees already and are written by {@link CanonicalJson}.
 */
final class CanonicalEncoder {
  private final ByteSink out;
  /** File layout: control characters escaped (valid JSON); otherwise the bytes that are signed. */
  private final boolean file;

  private CanonicalEncoder(ByteSink out, boolean file) {
    this.out = out;
    this.file = file;
  }

  static byte[] signed(Signed s) {
    ByteSink sink = new ByteSink(sizeHint(s));
    new CanonicalEncoder(sink, false).signed0(s);
    return sink.toByteArray();
  }

  static byte[] file(Metadata<?> md) {
    ByteSink sink = new ByteSink(sizeHint(md.signed()) + 128 * md.signatures().size() + 64);
    CanonicalEncoder e = new CanonicalEncoder(sink, true);
    e.new Obj().add("signatures", (Runnable) () -> e.signatures(md.signatures()))
        .add("signed", (Runnable) () -> e.signed0(md.signed()))
        .write(md.extras());
    return sink.toByteArray();
  }

  /** Enough for a typical entry, so a bin's buffer is rarely copied while it grows. */
  private static int sizeHint(Signed s) {
    if (s instanceof Targets t) {
      return 256 + 220 * t.targets().size();
    }
    if (s instanceof Snapshot sn) {
      return 256 + 40 * sn.meta().size();
    }
    return 1024;
  }

  private void signatures(List<Signature> sigs) {
    out.write('[');
    for (int i = 0; i < sigs.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      Signature s = sigs.get(i);
      new Obj().add("keyid", s.keyid()).add("sig", s.sig()).write(s.extras());
    }
    out.write(']');
  }

  private void signed0(Signed s) {
    Obj o = new Obj()
        .add("_type", s.type().wire())
        .add("spec_version", s.specVersion())
        .add("version", s.version())
        .add("expires", s.expires().text());
    if (s instanceof Root r) {
      o.add("consistent_snapshot", r.consistentSnapshot())
          .add("keys", (Runnable) () -> keys(r.keys()))
          .add("roles", (Runnable) () -> map(r.roles(), (name, role) ->
              new Obj().add("keyids", role.keyids()).add("threshold", role.threshold()).write(role.extras())));
    } else if (s instanceof Targets t) {
      o.add("targets", (Runnable) () -> map(t.targets(), (path, tf) -> target(tf)));
      if (t.delegations() != null) {
        o.add("delegations", (Runnable) () -> delegations(t.delegations()));
      }
    } else if (s instanceof Snapshot sn) {
      o.add("meta", (Runnable) () -> meta(sn.meta()));
    } else if (s instanceof Timestamp ts) {
      o.add("meta", (Runnable) () -> meta(Map.of(Timestamp.SNAPSHOT_JSON, ts.snapshot())));
    }
    o.write(s.extras());
  }

  /** The canonical signed bytes of one target entry's value, appended to {@code out} (see {@link SignedSplice}). */
  static void target(TargetFile tf, ByteSink out) {
    new CanonicalEncoder(out, false).target(tf);
  }

  /** The hot path of a bin: most entries have no custom data and no unknown members. */
  private void target(TargetFile tf) {
    if (!tf.extras().isEmpty()) {
      new Obj().add("custom", tf.custom()).add("hashes", tf.hashes()).add("length", tf.length()).write(tf.extras());
      return;
    }
    out.write('{');
    if (tf.custom() != null) {
      CanonicalJson.writeString("custom", out, file);
      out.write(':');
      CanonicalJson.write(tf.custom(), out, file);
      out.write(',');
    }
    out.writeAscii("\"hashes\":");
    strings(tf.hashes());
    out.writeAscii(",\"length\":");
    out.writeAscii(Long.toString(tf.length()));
    out.write('}');
  }

  private void delegations(Delegations d) {
    Obj o = new Obj().add("keys", (Runnable) () -> keys(d.keys()));
    if (d.roles() != null) {
      o.add("roles", (Runnable) () -> {
        out.write('[');
        for (int i = 0; i < d.roles().size(); i++) {
          if (i > 0) {
            out.write(',');
          }
          DelegatedRole r = d.roles().get(i);
          new Obj().add("name", r.name()).add("keyids", r.keyids()).add("threshold", r.threshold())
              .add("terminating", r.terminating()).add("paths", r.paths())
              .add("path_hash_prefixes", r.pathHashPrefixes()).write(r.extras());
        }
        out.write(']');
      });
    } else {
      SuccinctRoles s = d.succinctRoles();
      o.add("succinct_roles", (Runnable) () -> new Obj().add("keyids", s.keyids()).add("threshold", s.threshold())
          .add("bit_length", s.bitLength()).add("name_prefix", s.namePrefix()).write(s.extras()));
    }
    o.write(d.extras());
  }

  private void meta(Map<String, MetaFile> meta) {
    map(meta, (name, m) -> new Obj().add("version", m.version()).add("length", m.length())
        .add("hashes", m.hashes()).write(m.extras()));
  }

  private void keys(Map<String, Key> keys) {
    map(keys, (id, k) -> CanonicalJson.write(k.toJson(), out, file));
  }

  private interface EntryWriter<V> {
    void write(String name, V value);
  }

  /** An object whose members are the entries of {@code m}, in code-point order of their names. */
  private <V> void map(Map<String, V> m, EntryWriter<V> value) {
    String[] names = m.keySet().toArray(new String[0]);
    Arrays.sort(names, CanonicalJson.CODE_POINT_ORDER);
    out.write('{');
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        out.write(',');
      }
      CanonicalJson.writeString(names[i], out, file);
      out.write(':');
      value.write(names[i], m.get(names[i]));
    }
    out.write('}');
  }

  private void strings(Map<String, String> m) {
    map(m, (k, v) -> CanonicalJson.writeString(v, out, file));
  }

  private void value(Object v) {
    if (v instanceof String s) {
      CanonicalJson.writeString(s, out, file);
    } else if (v instanceof Integer || v instanceof Long) {
      out.writeAscii(v.toString());
    } else if (v instanceof Boolean b) {
      out.writeAscii(b ? "true" : "false");
    } else if (v instanceof JsonNode n) {
      CanonicalJson.write(n, out, file);
    } else if (v instanceof List<?> list) {
      out.write('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        CanonicalJson.writeString((String) list.get(i), out, file);
      }
      out.write(']');
    } else if (v instanceof Map<?, ?> m) {
      @SuppressWarnings("unchecked")
      Map<String, String> hashes = (Map<String, String>) m;
      strings(hashes);
    } else if (v instanceof Runnable r) {
      r.run();
    } else {
      throw new IllegalStateException("cannot encode a " + v.getClass());
    }
  }

  /** One object's members: known ones added (null: absent), then unknown ones, written sorted. */
  private final class Obj {
    private String[] names = new String[8];
    private Object[] values = new Object[8];
    private int n;

    Obj add(String name, Object value) {
      if (value != null) {
        if (n == names.length) {
          names = Arrays.copyOf(names, n * 2);
          values = Arrays.copyOf(values, n * 2);
        }
        names[n] = name;
        values[n++] = value;
      }
      return this;
    }

    void write(Map<String, JsonNode> extras) {
      if (!extras.isEmpty()) {
        int known = n;
        outer:
        for (Map.Entry<String, JsonNode> e : extras.entrySet()) {
          for (int i = 0; i < known; i++) {
            if (names[i].equals(e.getKey())) {
              continue outer; // the known member replaces it
            }
          }
          add(e.getKey(), e.getValue());
        }
      }
      // Insertion sort: a handful of members.
      for (int i = 1; i < n; i++) {
        String name = names[i];
        Object value = values[i];
        int j = i - 1;
        while (j >= 0 && CanonicalJson.CODE_POINT_ORDER.compare(names[j], name) > 0) {
          names[j + 1] = names[j];
          values[j + 1] = values[j];
          j--;
        }
        names[j + 1] = name;
        values[j + 1] = value;
      }
      out.write('{');
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          out.write(',');
        }
        CanonicalJson.writeString(names[i], out, file);
        out.write(':');
        value(values[i]);
      }
      out.write('}');
    }
  }
}
