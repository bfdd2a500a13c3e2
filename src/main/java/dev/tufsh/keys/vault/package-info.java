/**
 * HashiCorp Vault Transit as a signer: the public key is read from {@code GET
 * /v1/<mount>/keys/<name>}, signatures come from {@code POST /v1/<mount>/sign/<name>} in batches
 * ({@code batch_input}), so re-signing 16384 bins is a handful of requests. ECDSA and RSA inputs
 * are sent prehashed (SHA-256), which keeps each request small; Ed25519 sends the message. HTTP
 * goes through vault-java-driver's {@code Rest} client; only this package imports the driver.
 * The token comes from {@code VAULT_TOKEN} (or {@code ~/.vault-token}) and is never stored.
 */
package dev.tufsh.keys.vault;
