package dev.tufsh.trust;

import dev.tufsh.crypto.Hex;
import dev.tufsh.errors.TufshException;
import dev.tufsh.model.TargetFile;
import dev.tufsh.model.Targets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Spec 5.7: each listed target file has the length and every hash its role gives. With consistent
 * snapshots one copy per hash algorithm is published as {@code dir/HASH.basename}, and each copy is
 * read and checked (clients differ in which one they fetch), and so is the plain name where it exists.
 */
final class TargetFiles {
  private TargetFiles() {}

  private record Item(String role, String path, TargetFile file) {}

  /**
   * Checks every target of every role; returns how many target entries were verified. Each file
   * is checked only if no interrupt of {@code interruption}'s thread came before it.
   */
  static int check(Map<String, Decoded<Targets>> roles, TargetSource source, boolean consistent,
      Interruption interruption) {
    List<Item> items = new ArrayList<>();
    for (Map.Entry<String, Decoded<Targets>> r : roles.entrySet()) {
      for (Map.Entry<String, TargetFile> t : new TreeMap<>(r.getValue().signed().targets()).entrySet()) {
        items.add(new Item(r.getKey(), t.getKey(), t.getValue()));
      }
    }
    List<TufshException> errors = items.parallelStream().map(i -> interruption.requested()
        ? Interruption.cancelled("target files") : checkOne(i, source, consistent)).toList();
    errors.stream().filter(Objects::nonNull).findFirst().ifPresent(e -> {
      throw e;
    });
    return items.size();
  }

  private static TufshException checkOne(Item item, TargetSource source, boolean consistent) {
    try {
      Map<String, String> hashes = new TreeMap<>(item.file.hashes());
      for (Map.Entry<String, String> h : hashes.entrySet()) {
        // The digest becomes part of a file name: anything but lowercase hex could leave the folder.
        if (!Hex.isLowerHex(h.getValue())) {
          throw new VerificationError(
              null, item.role, "target '" + item.path + "': " + h.getKey() + " hash is not lowercase hex");
        }
      }
      if (consistent) {
        for (Map.Entry<String, String> h : hashes.entrySet()) {
          checkCopy(item, FileNames.target(item.path, h.getValue(), true), hashes, source);
        }
        // The plain name is served too where it exists (tufsh publishes it for clients without
        // consistent snapshots): a copy nobody checks is a copy anyone could swap.
        Optional<byte[]> plain = source.read(item.path);
        if (plain.isPresent()) {
          checkBytes(item, item.path, plain.get(), hashes);
        }
      } else {
        checkCopy(item, item.path, hashes, source);
      }
      return null;
    } catch (TufshException e) {
      return e;
    }
  }

  private static void checkCopy(Item item, String name, Map<String, String> hashes, TargetSource source) {
    String file = "targets/" + name;
    String what = "target '" + item.path + "': ";
    byte[] bytes =
        source.read(name).orElseThrow(() -> new VerificationError(file, item.role, what + "file is missing"));
    checkBytes(item, name, bytes, hashes);
  }

  private static void checkBytes(Item item, String name, byte[] bytes, Map<String, String> hashes) {
    String file = "targets/" + name;
    String what = "target '" + item.path + "': ";
    if (bytes.length != item.file.length()) {
      throw new VerificationError(
          file, item.role, what + "length is " + bytes.length + " bytes, metadata says " + item.file.length());
    }
    for (Map.Entry<String, String> h : hashes.entrySet()) {
      if (!Checks.hex(h.getKey(), bytes, file, item.role).equals(h.getValue())) {
        throw new VerificationError(file, item.role, what + h.getKey() + " hash does not match");
      }
    }
  }
}
