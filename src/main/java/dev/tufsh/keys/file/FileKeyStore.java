package dev.tufsh.keys.file;

import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.KeyPairs;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.Secret;
import dev.tufsh.crypto.SecretSource;
import dev.tufsh.crypto.Signer;
import dev.tufsh.keys.KeyEntry;
import dev.tufsh.keys.KeyExport;
import dev.tufsh.keys.KeyMaterial;
import dev.tufsh.keys.KeyNames;
import dev.tufsh.keys.KeyStore;
import dev.tufsh.keys.KeyStoreError;
import dev.tufsh.errors.TufshException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The embedded default keystore: one encrypted file {@code <name>.key.json} per key in a folder
 * (a workspace passes {@code <repo>/.tufsh/keys}). Passphrases come from the {@link SecretSource}
 * given at construction. A decrypted key is kept for the life of this store, so re-signing
 * thousands of bins asks for each passphrase once.
 */
public final class FileKeyStore implements KeyStore {
  public static final String SUFFIX = ".key.json";
  /**
   * Groups on disk a new key's passphrase is tried against: a store with a passphrase per key would
   * otherwise pay one scrypt run per key to make one more.
   */
  static final int GROUPS_TRIED = 3;

  private final Path dir;
  private final SecretSource secrets;
  private final ScryptParams kdf;
  /** Decrypted keys by stored key id. */
  private final Map<String, KeyMaterial> unlocked = new ConcurrentHashMap<>();
  /** Signers handed out, by the key id they were asked for. */
  private final Map<String, FileSigner> signers = new ConcurrentHashMap<>();
  private final Object unlockLock = new Object();
  private final Map<String, Object> keyLocks = new ConcurrentHashMap<>();
  /** scrypt results by salt: keys sharing a passphrase cost one run per process. */
  private final PassphraseGroups groups = new PassphraseGroups();
  private volatile Scan lastScan;

  private record Scan(FileTime folderTime, List<KeyEntry> entries, List<KeyStoreError> broken) {}

  public FileKeyStore(Path dir, SecretSource secrets) {
    this(dir, secrets, ScryptParams.DEFAULT);
  }

  /** A store writing new files with {@code kdf} (tests use a low cost; files record their own). */
  public FileKeyStore(Path dir, SecretSource secrets, ScryptParams kdf) {
    this.dir = dir;
    this.secrets = java.util.Objects.requireNonNull(secrets, "secrets");
    this.kdf = java.util.Objects.requireNonNull(kdf, "kdf");
  }

  public Path directory() {
    return dir;
  }

  /** The file that holds (or would hold) key {@code name}. */
  public Path fileFor(String name) {
    return dir.resolve(KeyNames.check(name) + SUFFIX);
  }

  @Override
  public Signer generate(Scheme scheme, String name) {
    PrivateFiles.refuseExisting(fileFor(name));
    return store(KeyMaterial.of(KeyPairs.generate(scheme)), name, false);
  }

  @Override
  public Signer importKey(KeyMaterial material, String name, boolean overwrite) {
    if (!overwrite) {
      PrivateFiles.refuseExisting(fileFor(name));
    }
    return store(material, name, overwrite);
  }

  private Signer store(KeyMaterial material, String name, boolean overwrite) {
    Path file = fileFor(name);
    KeyFile sealed;
    try (Secret pass = newPassphrase(name)) {
      sealed = KeyFile.seal(name, material, groupFor(pass));
    }
    PrivateFiles.createDirectory(dir);
    PrivateFiles.write(file, sealed.toBytes(), overwrite);
    lastScan = null;
    signers.values().removeIf(s -> s.name().equals(name));
    unlocked.put(material.keyId(), material);
    return new FileSigner(this, name, material.keyId(), material.key());
  }

  private Secret newPassphrase(String name) {
    Secret pass = secrets.forKey(name, "new passphrase for key " + name, true);
    if (pass == null || pass.isEmpty()) {
      throw new KeyStoreError("an empty passphrase is not allowed for key " + name);
    }
    return pass;
  }

  /**
   * The passphrase group new keys under {@code pass} join: one unlocked in this process, else one
   * on disk that {@code pass} opens (one scrypt run per group tried, the {@value #GROUPS_TRIED}
   * largest at most; files written before groups are not tried), else a new one. Only groups at this store's cost are joined, so a store asked
   * for a higher cost never files a key under a lower one.
   */
  private PassphraseGroups.Unlocked groupFor(Secret pass) {
    Optional<PassphraseGroups.Unlocked> g = groups.joinable(pass, kdf);
    if (g.isPresent()) {
      return g.get();
    }
    for (KeyFile kf : sharedGroupsOnDisk().stream().limit(GROUPS_TRIED).toList()) {
      g = groups.open(pass, kf.salt(), kf.kdf(), kf.check(), true);
      if (g.isPresent()) {
        return g.get();
      }
    }
    return groups.create(pass, kdf);
  }

  /** One key file per passphrase group at this store's cost, the largest group first. */
  private List<KeyFile> sharedGroupsOnDisk() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    Map<String, List<KeyFile>> bySalt = new java.util.HashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String fileName = f.getFileName().toString();
        if (!fileName.endsWith(SUFFIX) || fileName.startsWith(".")) {
          continue;
        }
        try {
          KeyFile kf = read(fileName.substring(0, fileName.length() - SUFFIX.length()), f);
          if (kf.shared() && kf.kdf().equals(kdf)) {
            bySalt.computeIfAbsent(dev.tufsh.crypto.Hex.encode(kf.salt()), k -> new ArrayList<>()).add(kf);
          }
        } catch (KeyStoreError e) {
          // A broken file joins nothing; listing the store reports it.
        }
      }
    } catch (IOException e) {
      throw new KeyStoreError("cannot list key folder " + dir + ": " + e.getMessage(), e);
    }
    return bySalt.values().stream()
        .sorted(Comparator.comparingInt((List<KeyFile> l) -> -l.size()))
        .map(l -> l.get(0))
        .toList();
  }

  /**
   * Re-encrypts key {@code name} under a new passphrase (a fresh nonce, in the passphrase group of
   * the new passphrase at this store's scrypt cost), replacing the file atomically. Asks for the
   * current passphrase even when the key is unlocked, so an unattended session cannot change it.
   * Given the same passphrase twice, it moves a key written before passphrase groups into its
   * group: the explicit step that makes old key stores cost one scrypt run per passphrase.
   */
  public void changePassphrase(String name) {
    Path file = fileFor(name);
    KeyFile current = read(name, file);
    KeyMaterial material = open(current, name, "current passphrase for key " + name, file);
    KeyFile sealed;
    try (Secret pass = newPassphrase(name)) {
      sealed = KeyFile.seal(name, material, groupFor(pass));
    }
    PrivateFiles.write(file, sealed.toBytes(), true);
    lastScan = null;
    unlocked.put(material.keyId(), material);
  }

  /**
   * Renames key {@code from} to {@code to}: the file moves (its name is the key's name), the
   * encrypted contents stay, so no passphrase is needed. Refuses to replace an existing key.
   */
  public void rename(String from, String to) {
    dev.tufsh.keys.KeyNames.check(to);
    Path src = fileFor(from);
    KeyFile kf = read(from, src);
    KeyFile moved = kf.renamed(to);
    PrivateFiles.write(fileFor(to), moved.toBytes(), false);
    try {
      Files.delete(src);
    } catch (IOException e) {
      throw new KeyStoreError("renamed key " + from + " to " + to + " but cannot remove " + src + ": "
          + PrivateFiles.reason(e), e);
    }
    lastScan = null;
    signers.values().removeIf(s -> s.name().equals(from));
  }

  /** Deletes key {@code name}'s file and forgets it if unlocked. */
  @Override
  public void remove(String name) {
    Path file = fileFor(name);
    KeyFile kf = read(name, file);
    try {
      Files.delete(file);
    } catch (IOException e) {
      throw new KeyStoreError("cannot remove key file " + file + ": " + PrivateFiles.reason(e), e);
    }
    lastScan = null;
    signers.values().removeIf(s -> s.name().equals(name));
    unlocked.remove(kf.key().keyId());
  }

  /** Opens {@code kf}, asking again after a wrong passphrase while the source allows (3 tries). */
  private KeyMaterial open(KeyFile kf, String name, String purpose, Path file) {
    for (int attempt = 1; ; attempt++) {
      Secret asked;
      synchronized (unlockLock) { // one prompt at a time; the scrypt run below is not serialised
        asked = secrets.forKey(name, purpose, false);
      }
      Optional<PassphraseGroups.Unlocked> g;
      try (Secret pass = asked) {
        g = groups.open(pass, kf.salt(), kf.kdf(), kf.check(), kf.shared());
      }
      if (g.isPresent()) {
        return kf.open(g.get().derived(), file);
      }
      if (attempt >= 3 || !secrets.retry(purpose)) {
        throw kf.wrongPassphrase(file);
      }
    }
  }

  /** The decrypted key {@code name}, asking for its passphrase unless already unlocked. */
  public KeyMaterial unlock(String name) {
    Path file = fileFor(name);
    return unlock(name, read(name, file).key().keyId());
  }

  KeyMaterial unlock(String name, String keyId) {
    KeyMaterial m = unlocked.get(keyId);
    if (m != null) {
      return m;
    }
    // One unlock per key at a time (its passphrase is asked once), but different keys derive
    // side by side: the prompt is serialised, the scrypt run is not (snapshot and timestamp at
    // publish unlock on two cores).
    synchronized (keyLocks.computeIfAbsent(keyId, k -> new Object())) {
      m = unlocked.get(keyId);
      if (m != null) {
        return m;
      }
      Path file = fileFor(name);
      KeyFile kf = read(name, file);
      if (!kf.key().keyId().equals(keyId)) {
        throw new KeyStoreError("key file " + file + " now holds key " + kf.key().shortId()
            + ", not " + keyId.substring(0, Math.min(16, keyId.length())) + "; it was replaced");
      }
      m = open(kf, name, "passphrase for key " + name, file);
      unlocked.put(keyId, m);
      return m;
    }
  }

  /**
   * Starts unlocking key {@code name} on a daemon thread, unless it is unlocked, already being
   * unlocked ahead, or its passphrase may need a prompt (one prompt at a time, in the order the
   * command asks). The signature that needs the key joins it: {@link #unlock} waits on the same
   * per-key lock, and one passphrase group on the same derivation. A failure is dropped here and
   * met again by that signature, which reports it as always (a wrong passphrase is remembered, so
   * asking again costs no second scrypt run).
   */
  void unlockAhead(String name, String keyId) {
    if (unlocked.containsKey(keyId) || secrets.mayPrompt() || !ahead.add(keyId)) {
      return;
    }
    Thread t = new Thread(() -> {
      try {
        unlock(name, keyId);
      } catch (RuntimeException e) {
        // Reported by the signature that needs the key (see above).
      } finally {
        ahead.remove(keyId);
      }
    }, "tufsh-unlock-ahead");
    t.setDaemon(true); // a command that ends (or fails) first does not wait for it
    t.start();
  }

  /** Key files beyond which {@link #unlockGroupAhead} does not look: its cost stays a few reads. */
  static final int GROUP_AHEAD_FILES = 256;

  /**
   * Starts, on a daemon thread, the scrypt runs that signing with this store's keys will need,
   * before anyone knows which keys those are (a one-shot publish: before its root is read): one per
   * passphrase group on disk whose keys the source all gives the same passphrase, the largest group
   * first (a key whose own unlock starts meanwhile derives its group itself, and this one then skips
   * it). It only fills the groups' memory ({@link PassphraseGroups#deriveAhead}): each key is still
   * read, asked for and checked by its own unlock, which reports every failure as always. Nothing
   * when a prompt may be needed.
   */
  public void unlockGroupAhead() {
    if (secrets.mayPrompt()) {
      return;
    }
    Thread t = new Thread(() -> {
      try {
        deriveGroupAhead();
      } catch (RuntimeException e) {
        // Reported, if it matters, by the unlock that needs the key.
      }
    }, "tufsh-unlock-group");
    t.setDaemon(true); // a command that ends (or fails) first does not wait for it
    t.start();
  }

  /** One passphrase group as the key files' headers give it, and the keys whose files name it. */
  private record AheadGroup(GroupHeader header, List<String> names) {}

  /**
   * {@link #unlockGroupAhead}'s work, here; returns how many groups it derived. Nothing is taken
   * from a file that is a link, readable by others or unusual (its key gets no help ahead), none
   * from a group whose keys get two answers, and nothing at all from a folder of more than
   * {@value #GROUP_AHEAD_FILES} key files.
   */
  int deriveGroupAhead() {
    List<AheadGroup> found = new ArrayList<>();
    int files = 0;
    try (java.nio.file.DirectoryStream<Path> list = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path f : list) {
        String fileName = f.getFileName().toString();
        if (fileName.startsWith(".")) {
          continue;
        }
        if (++files > GROUP_AHEAD_FILES) {
          return 0;
        }
        String name = fileName.substring(0, fileName.length() - SUFFIX.length());
        Optional<GroupHeader> h = GroupHeader.read(f);
        if (h.isEmpty() || !validName(name)) {
          continue;
        }
        AheadGroup g = null;
        for (AheadGroup a : found) { // a loop, not a map: no record hashCode to link in a cold JVM
          if (a.header().sameGroup(h.get())) {
            g = a;
          }
        }
        if (g == null) {
          g = new AheadGroup(h.get(), new ArrayList<>());
          found.add(g);
        }
        g.names().add(name);
      }
    } catch (IOException | java.nio.file.DirectoryIteratorException e) {
      return 0;
    }
    found.sort(Comparator.comparingInt((AheadGroup g) -> -g.names().size()));
    int derived = 0;
    List<Secret> opened = new ArrayList<>(); // the answers that opened a group so far
    try {
      for (AheadGroup g : found) {
        if (deriveAhead(g, opened)) {
          derived++;
        }
      }
    } finally {
      opened.forEach(Secret::close);
    }
    return derived;
  }

  /**
   * Derives group {@code g} when each of its keys gets the same answer, asked as its unlock will ask,
   * unless that answer opened another group already: keys sealed under one passphrase join one group,
   * so the same answer for a second group is most likely a fallback (the one passphrase file's line
   * given to a key with a passphrase of its own, as an offline root's), and a run for it wasted.
   */
  private boolean deriveAhead(AheadGroup g, List<Secret> opened) {
    Secret pass = null;
    try {
      for (String name : g.names()) {
        Secret s = secrets.forKey(name, "passphrase for key ".concat(name), false); // no concat call site to link
        if (pass == null) {
          pass = s;
          continue;
        }
        try (s) {
          if (!same(pass, s)) {
            return false;
          }
        }
      }
      for (Secret o : opened) {
        if (same(o, pass)) {
          return false;
        }
      }
      boolean ran = groups.deriveAhead(pass, g.header().salt(), g.header().params(), g.header().check());
      if (groups.known(g.header().salt(), g.header().params())) {
        opened.add(pass);
        pass = null; // closed with the others
      }
      return ran;
    } finally {
      if (pass != null) {
        pass.close();
      }
    }
  }

  private static boolean validName(String name) {
    try {
      KeyNames.check(name);
      return true;
    } catch (KeyStoreError e) {
      return false;
    }
  }

  private static boolean same(Secret a, Secret b) {
    char[] x = a.chars();
    char[] y = b.chars();
    try {
      return java.util.Arrays.equals(x, y);
    } finally {
      java.util.Arrays.fill(x, '\0');
      java.util.Arrays.fill(y, '\0');
    }
  }

  /** Keys being unlocked ahead of need, by stored key id. */
  private final java.util.Set<String> ahead = ConcurrentHashMap.newKeySet();

  /**
   * Key {@code name}'s private half as encrypted PKCS#8 PEM under a passphrase asked for the
   * export (never unencrypted).
   */
  public String exportPrivatePem(String name) {
    KeyMaterial m = unlock(name);
    // A passphrase of its own when one is set for NAME.export (TUFSH_PASSPHRASE_NAME_EXPORT, or
    // that file in a passphrase folder); else the command's passphrase.
    try (Secret pass = secrets.forKey(name + ".export", "passphrase for the exported copy of key " + name, true)) {
      return KeyExport.encryptedPrivatePem(m, pass);
    }
  }

  /**
   * Writes key {@code name}'s private half to {@code out} as encrypted PKCS#8 PEM, created
   * owner-only (0600) and never over an existing file or through a link.
   */
  public void exportPrivate(String name, Path out) {
    if (Files.exists(out, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new dev.tufsh.errors.UsageError(out + " already exists; a private key is never exported over a file");
    }
    byte[] pem = exportPrivatePem(name).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    try {
      PrivateFiles.write(out, pem, false);
    } finally {
      java.util.Arrays.fill(pem, (byte) 0);
    }
  }

  /** Forgets every decrypted key; the next signature asks again. */
  public void lockAll() {
    unlocked.clear();
    groups.clear();
  }

  @Override
  public Optional<Signer> signerFor(Key key) {
    FileSigner cached = signers.get(key.keyId());
    if (cached != null) {
      return Optional.of(cached);
    }
    Scan scan = scan();
    KeyEntry match = null;
    for (KeyEntry e : scan.entries()) {
      if (e.key().keyId().equals(key.keyId())) {
        match = e;
        break;
      }
    }
    if (match == null) {
      // The same key material in another form (legacy keyid_hash_algorithms, say): the signature
      // is valid for the form asked for, which is what the metadata lists.
      for (KeyEntry e : scan.entries()) {
        if (dev.tufsh.keys.PublicKeys.sameMaterial(e.key(), key)) {
          match = e;
          break;
        }
      }
    }
    if (match == null) {
      if (!scan.broken().isEmpty()) {
        throw scan.broken().get(0);
      }
      return Optional.empty();
    }
    FileSigner s = new FileSigner(this, match.name(), match.key().keyId(), key);
    FileSigner prior = signers.putIfAbsent(key.keyId(), s);
    return Optional.of(prior != null ? prior : s);
  }

  @Override
  public List<KeyEntry> list() {
    Scan scan = scan();
    if (!scan.broken().isEmpty()) {
      throw scan.broken().get(0);
    }
    return scan.entries();
  }

  /** Reads the public halves of every key file, reusing the last scan while the folder is unchanged. */
  private Scan scan() {
    if (!Files.isDirectory(dir)) {
      return new Scan(null, List.of(), List.of());
    }
    FileTime time;
    try {
      time = Files.getLastModifiedTime(dir);
    } catch (IOException e) {
      throw new KeyStoreError("cannot read key folder " + dir + ": " + e.getMessage(), e);
    }
    Scan last = lastScan;
    if (last != null && time.equals(last.folderTime())) {
      return last;
    }
    List<KeyEntry> entries = new ArrayList<>();
    List<KeyStoreError> broken = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted(Comparator.comparing(Path::toString)).toList()) {
        String fileName = f.getFileName().toString();
        if (!fileName.endsWith(SUFFIX) || fileName.startsWith(".")) {
          continue;
        }
        String name = fileName.substring(0, fileName.length() - SUFFIX.length());
        try {
          KeyNames.check(name);
          entries.add(new KeyEntry(name, read(name, f).key(), "file:" + f));
        } catch (KeyStoreError e) {
          broken.add(e);
        }
      }
    } catch (IOException e) {
      throw new KeyStoreError("cannot list key folder " + dir + ": " + e.getMessage(), e);
    }
    Scan scan = new Scan(time, List.copyOf(entries), List.copyOf(broken));
    lastScan = scan;
    return scan;
  }

  private static KeyFile read(String name, Path file) {
    byte[] bytes;
    try {
      // Owner-only and not a link, as the store writes them, in folders no other user may write: a key
      // file another user can read or replace, or a link planted in the folder, is not this store's key
      // (the passphrase file's rule).
      java.util.Optional<String> loose = PrivateFiles.notPrivate(file);
      if (loose.isPresent()) {
        throw new KeyStoreError("key file " + file + " " + loose.get());
      }
      if (Files.size(file) > KeyFile.MAX_FILE_BYTES) {
        throw KeyFile.corrupt(file, "the file is larger than a key file can be");
      }
      bytes = PrivateFiles.readPrivate(file, KeyFile.MAX_FILE_BYTES);
    } catch (UnsupportedOperationException e) {
      throw new KeyStoreError("key file " + file + ": cannot check its permissions on this file system");
    } catch (NoSuchFileException e) {
      throw new KeyStoreError("no key named " + name + " (" + file + " does not exist)");
    } catch (IOException e) {
      throw new KeyStoreError("cannot read key file " + file + ": " + e.getMessage(), e);
    }
    try {
      return KeyFile.parse(bytes, name, file);
    } catch (KeyStoreError e) {
      throw e;
    } catch (TufshException | IllegalArgumentException e) {
      throw KeyFile.corrupt(file, e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "file keystore " + dir;
  }
}
