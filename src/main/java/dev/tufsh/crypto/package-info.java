/**
 * Keys, key ids, signing and verification for the three TUF schemes (ed25519,
 * ecdsa-sha2-nistp256, rsassa-pss-sha256). {@link dev.tufsh.crypto.Signer} is the one interface
 * every key backend implements. Uses only {@code dev.tufsh.json} and {@code dev.tufsh.errors}.
 */
package dev.tufsh.crypto;
