package dev.tufsh.keys.pkcs11;

import dev.tufsh.crypto.Secret;
import dev.tufsh.keys.KeyBackendError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * A logged-in session on one token. Every failure on the way (module, slot, PIN) becomes one
 * line naming the key URI and what to check. Calls on a session are serialized: PKCS#11 sessions
 * are not safe for concurrent operations.
 */
final class Pkcs11Token {
  private final Cryptoki module;
  private final long slot;
  private final long session;
  private final long[] mechanisms;
  private final String name;

  private Pkcs11Token(Cryptoki module, long slot, long session, long[] mechanisms, String name) {
    this.module = module;
    this.slot = slot;
    this.session = session;
    this.mechanisms = mechanisms;
    this.name = name;
  }

  /** Loads the module, finds the token, opens a session and logs in with the PIN {@code pin} gives. */
  static Pkcs11Token open(Pkcs11Uri uri, Supplier<Secret> pin) {
    String u = uri.uri();
    Cryptoki module = load(uri);
    long slot = findSlot(module, uri);
    long session;
    try {
      session = module.openSession(slot);
    } catch (CryptokiError e) {
      throw new KeyBackendError(u, "cannot open a session on " + uri.tokenName() + " (" + Ckr.name(e.rv()) + ")");
    }
    try (Secret s = pin.get()) {
      char[] chars = s.chars();
      try {
        module.login(session, chars);
      } finally {
        Arrays.fill(chars, '\0');
      }
    } catch (CryptokiError e) {
      module.closeSession(session);
      throw new KeyBackendError(u, loginProblem(uri, e.rv()));
    } catch (RuntimeException e) {
      module.closeSession(session);
      throw e;
    }
    long[] mechs;
    try {
      mechs = module.mechanisms(slot);
    } catch (CryptokiError e) {
      mechs = new long[0];
    }
    return new Pkcs11Token(module, slot, session, mechs, uri.tokenName());
  }

  private static Cryptoki load(Pkcs11Uri uri) {
    String path = uri.modulePath();
    if (!Files.isRegularFile(Path.of(path))) {
      throw new KeyBackendError(uri.uri(), "PKCS#11 module " + path + " not found (install the token's library,"
          + " e.g. softhsm2 at /usr/lib/softhsm/libsofthsm2.so, or fix the module path)");
    }
    try {
      return Cryptoki.load(path);
    } catch (UnsatisfiedLinkError e) {
      throw new KeyBackendError(uri.uri(), "cannot load PKCS#11 module " + path + ": " + e.getMessage());
    } catch (CryptokiError e) {
      throw new KeyBackendError(uri.uri(), "PKCS#11 module " + path + " failed to initialize (" + Ckr.name(e.rv()) + ")");
    }
  }

  private static long findSlot(Cryptoki module, Pkcs11Uri uri) {
    long[] slots;
    try {
      slots = module.slots();
    } catch (CryptokiError e) {
      throw new KeyBackendError(uri.uri(), "cannot list the slots of " + module.path() + " (" + Ckr.name(e.rv()) + ")");
    }
    List<String> labels = new ArrayList<>();
    for (long s : slots) {
      String label;
      try {
        label = module.tokenLabel(s);
      } catch (CryptokiError e) {
        continue;
      }
      labels.add("'" + label + "'");
      boolean slotOk = uri.slotId() == null || uri.slotId() == s;
      boolean labelOk = uri.token() == null || uri.token().isEmpty() || uri.token().equals(label);
      if (slotOk && labelOk) {
        return s;
      }
    }
    throw new KeyBackendError(uri.uri(), "no " + uri.tokenName() + " in module " + module.path()
        + (labels.isEmpty() ? " (no token is present)" : " (tokens present: " + String.join(", ", labels) + ")"));
  }

  private static String loginProblem(Pkcs11Uri uri, long rv) {
    String t = uri.tokenName();
    if (rv == Ckr.PIN_INCORRECT || rv == Ckr.PIN_INVALID || rv == Ckr.PIN_LEN_RANGE) {
      return "wrong PIN for " + t + " (" + Ckr.name(rv) + ")";
    }
    if (rv == Ckr.PIN_LOCKED) {
      return "the PIN of " + t + " is locked after too many wrong tries (CKR_PIN_LOCKED); the security officer must reset it";
    }
    if (rv == Ckr.PIN_EXPIRED) {
      return "the PIN of " + t + " has expired (CKR_PIN_EXPIRED); set a new one with the token's tools";
    }
    if (rv == Ckr.USER_PIN_NOT_INITIALIZED) {
      return "the user PIN of " + t + " was never set (CKR_USER_PIN_NOT_INITIALIZED)";
    }
    return "cannot log in to " + t + " (" + Ckr.name(rv) + ")";
  }

  Cryptoki module() {
    return module;
  }

  long session() {
    return session;
  }

  long slot() {
    return slot;
  }

  String name() {
    return name;
  }

  boolean offers(long mechanism) {
    for (long m : mechanisms) {
      if (m == mechanism) {
        return true;
      }
    }
    return false;
  }

  /** The one object of {@code objectClass} labelled {@code label}, or an error naming the label. */
  long object(Pkcs11Uri uri, long objectClass, String what) {
    List<Long> found;
    synchronized (this) {
      try {
        found = module.find(session, objectClass, uri.object());
      } catch (CryptokiError e) {
        throw new KeyBackendError(uri.uri(), "cannot search " + name + " (" + Ckr.name(e.rv()) + ")");
      }
    }
    if (found.isEmpty()) {
      throw new KeyBackendError(uri.uri(), "no " + what + " labelled '" + uri.object() + "' on " + name);
    }
    if (found.size() > 1) {
      throw new KeyBackendError(uri.uri(), found.size() + " " + what + "s are labelled '" + uri.object() + "' on "
          + name + "; give each key a unique label");
    }
    return found.get(0);
  }

  synchronized byte[] attribute(long object, long type) {
    return module.attribute(session, object, type);
  }

  synchronized long ulongAttribute(long object, long type) {
    return module.ulongAttribute(session, object, type);
  }

  synchronized byte[] sign(long key, long mechanism, long[] params, byte[] data) {
    return module.sign(session, key, mechanism, params, data);
  }
}
