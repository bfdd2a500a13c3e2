package dev.tufsh.keys.pkcs11;

/** A PKCS#11 function returned something other than CKR_OK; callers turn it into a sentence. */
final class CryptokiError extends RuntimeException {
  private final long rv;
  private final String function;

  CryptokiError(String function, long rv) {
    super(function + " returned " + Ckr.name(rv));
    this.function = function;
    this.rv = rv;
  }

  long rv() {
    return rv;
  }

  String function() {
    return function;
  }
}
