package dev.tufsh.ssh;

import dev.tufsh.errors.TufshException;
import dev.tufsh.files.FileModes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Iterator;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * The server's host key, in OpenSSH private key format: read when the file exists, else an ed25519
 * key is generated and written owner-only (created with mode 0600, then moved into place), so the
 * fingerprint clients pin stays the same across restarts.
 */
final class HostKey {
  private HostKey() {}

  static KeyPair loadOrCreate(Path file) {
    try {
      if (!Files.exists(file)) {
        create(file);
      }
      try (InputStream in = new java.io.ByteArrayInputStream(ownerOnlyBytes(file))) {
        Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()),
            in, null);
        Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
        if (it == null || !it.hasNext()) {
          throw new TufshException("host key " + file + ": no key in the file");
        }
        return it.next();
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new TufshException("host key " + file + ": " + e.getMessage(), e);
    }
  }

  /** A host key file is a few hundred bytes; this bounds what a wrong path can make us read. */
  private static final int MAX_BYTES = 64 * 1024;

  /**
   * The host key's bytes, refused (like sshd) when group or others can read or write it or it is a
   * link: the key files' one rule, judged on the file opened (no window between check and read in
   * which the name could be pointed elsewhere), where the platform allows; else checked by name.
   */
  static byte[] ownerOnlyBytes(Path file) throws IOException {
    if (!dev.tufsh.keys.file.OpenedPrivateFile.supported()) {
      ownerOnly(file);
      return Files.readAllBytes(file);
    }
    var read = dev.tufsh.keys.file.OpenedPrivateFile.read(file, MAX_BYTES);
    if (read.refused().isPresent()) {
      throw new TufshException("host key " + file + " " + read.refused().get());
    }
    return read.bytes();
  }

  /** Like sshd, refuses a private host key that group or others can read (or write): the key files' one rule. */
  static void ownerOnly(Path file) throws IOException {
    java.util.Optional<String> loose;
    try {
      loose = dev.tufsh.keys.file.PrivateFiles.notPrivate(file);
    } catch (UnsupportedOperationException e) {
      return; // no POSIX modes on this file system
    }
    if (loose.isPresent()) {
      throw new TufshException("host key " + file + " " + loose.get());
    }
  }

  static String fingerprint(KeyPair pair) {
    return KeyUtils.getFingerPrint(pair.getPublic());
  }

  private static void create(Path file) throws IOException, GeneralSecurityException {
    KeyPair pair = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
    Path dir = file.toAbsolutePath().getParent();
    FileModes.createOwnerOnlyDirs(dir);
    Path tmp = Files.createTempFile(dir, ".hostkey", ".tmp",
        FileModes.ownerOnlyFile());
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "tufsh host key", null, out);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file);
      }
    } catch (FileAlreadyExistsException e) {
      // Another server generated it first: use theirs.
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
