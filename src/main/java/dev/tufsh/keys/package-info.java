/**
 * Key custody: the encrypted file keystore (the embedded default, {@code keys.file}), PKCS#11
 * tokens, HashiCorp Vault Transit and offline keys, each a {@link dev.tufsh.crypto.Signer}.
 * {@link dev.tufsh.keys.SignerRegistry} is the one resolver the application wires, asking each
 * backend in order; {@link dev.tufsh.keys.KeyImport} and {@link dev.tufsh.keys.KeyExport} move keys
 * in and out in the formats other TUF tools use (private keys leave only encrypted). Uses only
 * {@code crypto}, {@code json} and {@code errors}; knows no repository. Nothing outside this
 * package imports the Vault driver or PKCS#11 classes.
 */
package dev.tufsh.keys;
