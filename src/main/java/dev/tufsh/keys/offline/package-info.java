/**
 * Offline keys: a public key registered with no private half here (a root key on an air-gapped
 * machine, another admin's key). No signer is ever found for it, so {@code plan} shows its
 * signatures as missing, and {@code sign export} / {@code sign import} carry them. Uses only
 * {@code keys} and {@code crypto}.
 */
package dev.tufsh.keys.offline;
