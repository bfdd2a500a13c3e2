/**
 * The embedded default key backend: one encrypted JSON file per key under a workspace's
 * {@code .tufsh/keys/}. The private key is PKCS#8 DER sealed with AES-256-GCM under a key that
 * scrypt derives from the passphrase; the public key id is the associated data, so swapping the
 * public half is detected. Files are written atomically with mode 0600. Uses only {@code crypto},
 * {@code json}, {@code errors} and the {@code keys} interfaces.
 */
package dev.tufsh.keys.file;
