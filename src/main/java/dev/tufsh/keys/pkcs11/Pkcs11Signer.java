package dev.tufsh.keys.pkcs11;

import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Signer;
import dev.tufsh.keys.KeyBackendError;
import dev.tufsh.keys.RegisteredKey;
import java.util.List;

/**
 * A signer for a registered token key. It opens the token (asking the PIN) on its first signature
 * and checks that the key on the token is still the registered one.
 */
final class Pkcs11Signer implements Signer {
  private final Pkcs11Tokens backend;
  private final RegisteredKey entry;
  private final Pkcs11Uri uri;
  private final Key presented;
  private Pkcs11Key key;

  Pkcs11Signer(Pkcs11Tokens backend, RegisteredKey entry, Key presented) {
    this.backend = backend;
    this.entry = entry;
    this.uri = Pkcs11Uri.parse(entry.uri());
    this.presented = presented;
  }

  private synchronized Pkcs11Key onToken() {
    if (key == null) {
      Pkcs11Key k = new Pkcs11Key(backend.token(uri), uri);
      if (!k.publicKey().keyId().equals(entry.key().keyId())) {
        throw new KeyBackendError(uri.uri(), "the key labelled '" + uri.object() + "' is now "
            + k.publicKey().shortId() + ", not the registered " + entry.key().shortId() + "; it was replaced on the token");
      }
      key = k;
    }
    return key;
  }

  @Override
  public Key key() {
    return presented;
  }

  @Override
  public byte[] sign(byte[] message) {
    return onToken().sign(message);
  }

  @Override
  public List<byte[]> signAll(List<byte[]> messages) {
    return onToken().signAll(messages);
  }

  @Override
  public String describe() {
    return uri.uri() + " (" + presented + ")";
  }
}
