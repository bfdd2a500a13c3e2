package dev.tufsh.keys.pkcs11;

import java.util.Locale;
import java.util.Map;

/** PKCS#11 return values that tufsh explains; others are shown by name or number. */
final class Ckr {
  static final long OK = 0x0;
  static final long SLOT_ID_INVALID = 0x3;
  static final long KEY_TYPE_INCONSISTENT = 0x63;
  static final long KEY_FUNCTION_NOT_PERMITTED = 0x68;
  static final long MECHANISM_INVALID = 0x70;
  static final long MECHANISM_PARAM_INVALID = 0x71;
  static final long PIN_INCORRECT = 0xA0;
  static final long PIN_INVALID = 0xA1;
  static final long PIN_LEN_RANGE = 0xA2;
  static final long PIN_EXPIRED = 0xA3;
  static final long PIN_LOCKED = 0xA4;
  static final long TOKEN_NOT_PRESENT = 0xE0;
  static final long USER_ALREADY_LOGGED_IN = 0x100;
  static final long USER_PIN_NOT_INITIALIZED = 0x102;
  static final long BUFFER_TOO_SMALL = 0x150;
  static final long CRYPTOKI_ALREADY_INITIALIZED = 0x191;

  private static final Map<Long, String> NAMES = Map.ofEntries(
      Map.entry(0x1L, "CKR_CANCEL"),
      Map.entry(0x2L, "CKR_HOST_MEMORY"),
      Map.entry(SLOT_ID_INVALID, "CKR_SLOT_ID_INVALID"),
      Map.entry(0x5L, "CKR_GENERAL_ERROR"),
      Map.entry(0x6L, "CKR_FUNCTION_FAILED"),
      Map.entry(0x7L, "CKR_ARGUMENTS_BAD"),
      Map.entry(0x21L, "CKR_DATA_LEN_RANGE"),
      Map.entry(0x30L, "CKR_DEVICE_ERROR"),
      Map.entry(0x31L, "CKR_DEVICE_MEMORY"),
      Map.entry(0x32L, "CKR_DEVICE_REMOVED"),
      Map.entry(0x54L, "CKR_FUNCTION_NOT_SUPPORTED"),
      Map.entry(0x60L, "CKR_KEY_HANDLE_INVALID"),
      Map.entry(KEY_TYPE_INCONSISTENT, "CKR_KEY_TYPE_INCONSISTENT"),
      Map.entry(KEY_FUNCTION_NOT_PERMITTED, "CKR_KEY_FUNCTION_NOT_PERMITTED"),
      Map.entry(MECHANISM_INVALID, "CKR_MECHANISM_INVALID"),
      Map.entry(MECHANISM_PARAM_INVALID, "CKR_MECHANISM_PARAM_INVALID"),
      Map.entry(0x82L, "CKR_OBJECT_HANDLE_INVALID"),
      Map.entry(PIN_INCORRECT, "CKR_PIN_INCORRECT"),
      Map.entry(PIN_INVALID, "CKR_PIN_INVALID"),
      Map.entry(PIN_LEN_RANGE, "CKR_PIN_LEN_RANGE"),
      Map.entry(PIN_EXPIRED, "CKR_PIN_EXPIRED"),
      Map.entry(PIN_LOCKED, "CKR_PIN_LOCKED"),
      Map.entry(0xB0L, "CKR_SESSION_CLOSED"),
      Map.entry(0xB3L, "CKR_SESSION_HANDLE_INVALID"),
      Map.entry(TOKEN_NOT_PRESENT, "CKR_TOKEN_NOT_PRESENT"),
      Map.entry(0xE1L, "CKR_TOKEN_NOT_RECOGNIZED"),
      Map.entry(USER_ALREADY_LOGGED_IN, "CKR_USER_ALREADY_LOGGED_IN"),
      Map.entry(0x101L, "CKR_USER_NOT_LOGGED_IN"),
      Map.entry(USER_PIN_NOT_INITIALIZED, "CKR_USER_PIN_NOT_INITIALIZED"),
      Map.entry(BUFFER_TOO_SMALL, "CKR_BUFFER_TOO_SMALL"),
      Map.entry(0x190L, "CKR_CRYPTOKI_NOT_INITIALIZED"),
      Map.entry(CRYPTOKI_ALREADY_INITIALIZED, "CKR_CRYPTOKI_ALREADY_INITIALIZED"));

  private Ckr() {}

  static String name(long rv) {
    String n = NAMES.get(rv);
    return n != null ? n : String.format(Locale.ROOT, "CKR 0x%X", rv);
  }
}
