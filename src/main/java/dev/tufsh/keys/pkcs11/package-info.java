/**
 * Keys on a PKCS#11 token (an HSM, a smart card, softhsm2). The module is called directly through
 * JNA ({@link dev.tufsh.keys.pkcs11.Cryptoki}): the JDK's SunPKCS11 can select a slot only by
 * number or index, not by token label, and its KeyStore hides key pairs that have no certificate,
 * which is how {@code pkcs11-tool --keypairgen} and most HSM tooling leave them. Mechanisms:
 * {@code CKM_ECDSA} over a SHA-256 digest (the raw r||s is re-encoded as DER, as TUF wants),
 * {@code CKM_RSA_PKCS_PSS} with SHA-256, MGF1-SHA-256 and a 32-byte salt, and {@code CKM_EDDSA}
 * for Ed25519 where the token offers it. Structures are laid out for Unix (Linux, macOS): natural
 * alignment, {@code CK_ULONG} as the C {@code unsigned long}. Only this package imports JNA.
 */
package dev.tufsh.keys.pkcs11;
