package dev.tufsh.keys.pkcs11;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The few PKCS#11 functions tufsh calls, on one loaded module: slots and token labels, sessions and
 * login, finding objects by class and label, reading attributes, and signing. A module is
 * initialized once per process (with {@code CKF_OS_LOCKING_OK}, so sessions may be used from any
 * thread) and never finalized, since other code in the process may use it too.
 */
final class Cryptoki {
  static final long CKO_PUBLIC_KEY = 2;
  static final long CKO_PRIVATE_KEY = 3;
  static final long CKA_CLASS = 0x0;
  static final long CKA_LABEL = 0x3;
  static final long CKA_KEY_TYPE = 0x100;
  static final long CKA_ID = 0x102;
  static final long CKA_MODULUS = 0x120;
  static final long CKA_PUBLIC_EXPONENT = 0x122;
  static final long CKA_EC_PARAMS = 0x180;
  static final long CKA_EC_POINT = 0x181;
  static final long CKK_RSA = 0x0;
  static final long CKK_EC = 0x3;
  static final long CKK_EC_EDWARDS = 0x40;
  static final long CKM_RSA_PKCS_PSS = 0x0D;
  static final long CKM_SHA256_RSA_PKCS_PSS = 0x43;
  static final long CKM_SHA256 = 0x250;
  static final long CKM_ECDSA = 0x1041;
  static final long CKM_EDDSA = 0x1057;
  static final long CKG_MGF1_SHA256 = 0x2;
  private static final long CKF_SERIAL_SESSION = 0x4;
  private static final long CKF_OS_LOCKING_OK = 0x2;
  private static final long CKU_USER = 1;
  private static final long UNAVAILABLE = -1L;

  private static final int ULONG = NativeLong.SIZE;
  private static final int PTR = Native.POINTER_SIZE;
  /** CK_ATTRIBUTE and CK_MECHANISM: {ulong, pointer, ulong}, naturally aligned. */
  private static final int TRIPLE = align(align(ULONG, PTR) + PTR + ULONG, Math.max(ULONG, PTR));

  private static final Map<String, Cryptoki> LOADED = new ConcurrentHashMap<>();

  private final String path;
  private final NativeLibrary lib;

  private Cryptoki(String path, NativeLibrary lib) {
    this.path = path;
    this.lib = lib;
  }

  /** The module at {@code path}, loaded and initialized once per process. */
  static Cryptoki load(String path) {
    return LOADED.computeIfAbsent(path, p -> {
      NativeLibrary lib = NativeLibrary.getInstance(p);
      Cryptoki c = new Cryptoki(p, lib);
      c.initialize();
      return c;
    });
  }

  String path() {
    return path;
  }

  private void initialize() {
    Memory args = new Memory(4L * PTR + align(ULONG, PTR) + PTR);
    args.clear();
    putUlong(args, 4L * PTR, CKF_OS_LOCKING_OK);
    long rv = call("C_Initialize", args);
    if (rv != Ckr.OK && rv != Ckr.CRYPTOKI_ALREADY_INITIALIZED) {
      throw new CryptokiError("C_Initialize", rv);
    }
  }

  /** Slots with a token present. */
  long[] slots() {
    Memory count = ulongs(1);
    check("C_GetSlotList", call("C_GetSlotList", (byte) 1, Pointer.NULL, count));
    int n = (int) getUlong(count, 0);
    if (n == 0) {
      return new long[0];
    }
    Memory list = ulongs(n);
    check("C_GetSlotList", call("C_GetSlotList", (byte) 1, list, count));
    n = (int) getUlong(count, 0);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = getUlong(list, (long) i * ULONG);
    }
    return out;
  }

  /** The token label of {@code slot}, without its blank padding. */
  String tokenLabel(long slot) {
    Memory info = new Memory(512);
    info.clear();
    check("C_GetTokenInfo", call("C_GetTokenInfo", new NativeLong(slot), info));
    return new String(info.getByteArray(0, 32), StandardCharsets.UTF_8).stripTrailing();
  }

  /** The mechanisms {@code slot} offers. */
  long[] mechanisms(long slot) {
    Memory count = ulongs(1);
    check("C_GetMechanismList", call("C_GetMechanismList", new NativeLong(slot), Pointer.NULL, count));
    int n = (int) getUlong(count, 0);
    if (n == 0) {
      return new long[0];
    }
    Memory list = ulongs(n);
    check("C_GetMechanismList", call("C_GetMechanismList", new NativeLong(slot), list, count));
    long[] out = new long[(int) getUlong(count, 0)];
    for (int i = 0; i < out.length; i++) {
      out[i] = getUlong(list, (long) i * ULONG);
    }
    return out;
  }

  long openSession(long slot) {
    Memory handle = ulongs(1);
    check("C_OpenSession", call("C_OpenSession", new NativeLong(slot), new NativeLong(CKF_SERIAL_SESSION),
        Pointer.NULL, Pointer.NULL, handle));
    return getUlong(handle, 0);
  }

  void closeSession(long session) {
    call("C_CloseSession", new NativeLong(session));
  }

  /** Logs the user in; a session already logged in (the login is per application) is fine. */
  void login(long session, char[] pin) {
    byte[] bytes = new String(pin).getBytes(StandardCharsets.UTF_8);
    Memory m = new Memory(Math.max(1, bytes.length));
    m.write(0, bytes, 0, bytes.length);
    try {
      long rv = call("C_Login", new NativeLong(session), new NativeLong(CKU_USER), m, new NativeLong(bytes.length));
      if (rv != Ckr.OK && rv != Ckr.USER_ALREADY_LOGGED_IN) {
        throw new CryptokiError("C_Login", rv);
      }
    } finally {
      m.clear();
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** Handles of objects of {@code objectClass} labelled {@code label}. */
  List<Long> find(long session, long objectClass, String label) {
    byte[] labelBytes = label.getBytes(StandardCharsets.UTF_8);
    Memory cls = ulongs(1);
    putUlong(cls, 0, objectClass);
    Memory lab = new Memory(Math.max(1, labelBytes.length));
    lab.write(0, labelBytes, 0, labelBytes.length);
    Memory template = new Memory(2L * TRIPLE);
    template.clear();
    putTriple(template, 0, CKA_CLASS, cls, ULONG);
    putTriple(template, TRIPLE, CKA_LABEL, lab, labelBytes.length);
    check("C_FindObjectsInit", call("C_FindObjectsInit", new NativeLong(session), template, new NativeLong(2)));
    List<Long> out = new ArrayList<>();
    try {
      Memory handles = ulongs(16);
      Memory count = ulongs(1);
      while (true) {
        check("C_FindObjects", call("C_FindObjects", new NativeLong(session), handles, new NativeLong(16), count));
        int n = (int) getUlong(count, 0);
        for (int i = 0; i < n; i++) {
          out.add(getUlong(handles, (long) i * ULONG));
        }
        if (n < 16) {
          break;
        }
      }
    } finally {
      call("C_FindObjectsFinal", new NativeLong(session));
    }
    return out;
  }

  /** An attribute's value, or null when the object does not have it. */
  byte[] attribute(long session, long object, long type) {
    Memory template = new Memory(TRIPLE);
    template.clear();
    putTriple(template, 0, type, Pointer.NULL, 0);
    long rv = call("C_GetAttributeValue", new NativeLong(session), new NativeLong(object), template, new NativeLong(1));
    long len = getUlong(template, align(ULONG, PTR) + PTR);
    if (rv != Ckr.OK || len == UNAVAILABLE || len == (UNAVAILABLE & 0xFFFFFFFFL)) {
      return null;
    }
    Memory value = new Memory(Math.max(1, len));
    putTriple(template, 0, type, value, len);
    check("C_GetAttributeValue",
        call("C_GetAttributeValue", new NativeLong(session), new NativeLong(object), template, new NativeLong(1)));
    len = getUlong(template, align(ULONG, PTR) + PTR);
    return value.getByteArray(0, (int) len);
  }

  /** A CK_ULONG attribute (key type, say). */
  long ulongAttribute(long session, long object, long type) {
    byte[] v = attribute(session, object, type);
    if (v == null || v.length != ULONG) {
      return UNAVAILABLE;
    }
    Memory m = new Memory(ULONG);
    m.write(0, v, 0, v.length);
    return getUlong(m, 0);
  }

  /**
   * Signs {@code data} with {@code key} under {@code mechanism}; {@code params} is the mechanism's
   * parameter as CK_ULONGs (CK_RSA_PKCS_PSS_PARAMS is three of them), or empty.
   */
  byte[] sign(long session, long key, long mechanism, long[] params, byte[] data) {
    Memory mech = new Memory(TRIPLE);
    mech.clear();
    Memory p = null;
    if (params.length > 0) {
      p = ulongs(params.length);
      for (int i = 0; i < params.length; i++) {
        putUlong(p, (long) i * ULONG, params[i]);
      }
    }
    putTriple(mech, 0, mechanism, p == null ? Pointer.NULL : p, (long) params.length * ULONG);
    check("C_SignInit", call("C_SignInit", new NativeLong(session), mech, new NativeLong(key)));
    Memory in = new Memory(Math.max(1, data.length));
    in.write(0, data, 0, data.length);
    Memory out = new Memory(1024);
    Memory outLen = ulongs(1);
    putUlong(outLen, 0, 1024);
    check("C_Sign", call("C_Sign", new NativeLong(session), in, new NativeLong(data.length), out, outLen));
    return out.getByteArray(0, (int) getUlong(outLen, 0));
  }

  private long call(String function, Object... args) {
    Function f;
    try {
      f = lib.getFunction(function);
    } catch (UnsatisfiedLinkError e) {
      throw new CryptokiError(function + " (missing from " + path + ")", 0x54);
    }
    return ULONG == 8 ? f.invokeLong(args) : f.invokeInt(args) & 0xFFFFFFFFL;
  }

  private static void check(String function, long rv) {
    if (rv != Ckr.OK) {
      throw new CryptokiError(function, rv);
    }
  }

  private static Memory ulongs(int n) {
    Memory m = new Memory((long) Math.max(1, n) * ULONG);
    m.clear();
    return m;
  }

  private static void putTriple(Memory m, long at, long first, Pointer ptr, long last) {
    putUlong(m, at, first);
    m.setPointer(at + align(ULONG, PTR), ptr);
    putUlong(m, at + align(ULONG, PTR) + PTR, last);
  }

  private static void putUlong(Pointer m, long at, long v) {
    if (ULONG == 8) {
      m.setLong(at, v);
    } else {
      m.setInt(at, (int) v);
    }
  }

  private static long getUlong(Pointer m, long at) {
    return ULONG == 8 ? m.getLong(at) : m.getInt(at) & 0xFFFFFFFFL;
  }

  private static int align(int offset, int to) {
    return (offset + to - 1) / to * to;
  }
}
