/**
 * Key custody: the encrypted file keystore (the embedded default, {@code keys.file}), PKCS#11
 * tokens, HashiCorp Vault Transit and offline keys, each a {@link dev.tufsh.crypto.Signer}.
 * {@link dev.tufsh.keys.KeyStores#standard} builds a workspace's store: a
 * {@link dev.tufsh.keys.CombinedKeyStore} of the file keystore and the keys registered in
 * {@code .tufsh/keys.json} ({@link dev.tufsh.keys.KeyRegistry}), resolved through a
 * {@link dev.tufsh.keys.SignerRegistry} asking each backend in order; {@link dev.tufsh.keys.KeyImport} and {@link dev.tufsh.keys.KeyExport} move keys
 * in and out in the formats other TUF tools use (private keys leave only encrypted). Uses only
 * {@code crypto}, {@code json} and {@code errors}; knows no repository. Nothing outside this
 * package imports the Vault driver or PKCS#11 classes.
 */
package dev.tufsh.keys;
