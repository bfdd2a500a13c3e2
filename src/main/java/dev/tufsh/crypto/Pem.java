package dev.tufsh.crypto;

import dev.tufsh.errors.SignatureError;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * PEM as pyca/cryptography and Go write it: 64-character base64 lines, each ended by {@code \n},
 * including the last. Key ids hash these exact characters, so the layout matters.
 */
public final class Pem {
  private Pem() {}

  public static String encode(String label, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  /** The DER inside the first PEM block labelled {@code label}. */
  public static byte[] decode(String pem, String label, String what) {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int b = pem.indexOf(begin);
    int e = pem.indexOf(end);
    if (b < 0 || e < b) {
      throw new SignatureError(what + " is not a PEM " + label + " block");
    }
    String body = pem.substring(b + begin.length(), e).replaceAll("\\s", "");
    try {
      return Base64.getDecoder().decode(body.getBytes(StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException ex) {
      throw new SignatureError(what + " holds invalid base64 in its PEM body");
    }
  }

  /** The label of the first PEM block in {@code text}, or null when there is none. */
  public static String label(String text) {
    int b = text.indexOf("-----BEGIN ");
    if (b < 0) {
      return null;
    }
    int e = text.indexOf("-----", b + 11);
    return e < 0 ? null : text.substring(b + 11, e);
  }
}
