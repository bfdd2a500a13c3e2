/**
 * Key custody: the encrypted file keystore (the embedded default), PKCS#11 tokens, HashiCorp
 * Vault Transit and offline keys, each a {@link dev.tufsh.crypto.Signer}. Uses only
 * {@code crypto}, {@code json} and {@code errors}; knows no repository. Nothing outside this
 * package imports the Vault driver or PKCS#11 classes.
 */
package dev.tufsh.keys;
