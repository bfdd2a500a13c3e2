package dev.tufsh.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.KeyPairs;
import dev.tufsh.crypto.Pem;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.Secret;
import dev.tufsh.crypto.SecretSource;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class KeyExportTest {
  @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp;

  /**
   * pyca/cryptography (the venv's, as python-tuf and securesystemslib use it) loads what tufsh
   * writes for every scheme: the PKCS#8 a key store encrypts, unencrypted, and the encrypted
   * export; and finds the same public key in both.
   */
  @Test
  void python_cryptography_loads_every_private_key_tufsh_writes() throws Exception {
    StringBuilder expected = new StringBuilder();
    java.util.List<String> args = new java.util.ArrayList<>();
    for (Scheme scheme : Scheme.values()) {
      KeyMaterial m = KeyMaterial.of(KeyPairs.generate(scheme));
      java.nio.file.Path plain = Files.writeString(tmp.resolve(scheme + ".pem"),
          Pem.encode("PRIVATE KEY", m.privateKeyPkcs8()));
      java.nio.file.Path enc = Files.writeString(tmp.resolve(scheme + ".enc.pem"),
          KeyExport.encryptedPrivatePem(m, new Secret("py pw".toCharArray()), 1000));
      args.add(plain.toString());
      args.add(enc.toString());
      String pub = KeyExport.publicPem(m.key());
      expected.append(pub).append(pub);
    }
    String script = String.join("\n",
        "import sys",
        "from cryptography.hazmat.primitives import serialization as s",
        "for i, f in enumerate(sys.argv[1:]):",
        "    k = s.load_pem_private_key(open(f, 'rb').read(), None if i % 2 == 0 else b'py pw')",
        "    sys.stdout.write(k.public_key().public_bytes(s.Encoding.PEM, s.PublicFormat.SubjectPublicKeyInfo)"
            + ".decode())");
    java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
        dev.tufsh.testing.TufClient.pythonVenv().toString(), "-c", script));
    cmd.addAll(args);
    var r = dev.tufsh.testing.TufClient.exec(cmd, tmp, java.time.Duration.ofSeconds(60));
    assertEquals(0, r.code(), r.err());
    assertEquals(expected.toString(), r.out());
  }
  @ParameterizedTest
  @EnumSource(Scheme.class)
  void public_pem_is_spki_for_the_same_key(Scheme scheme) throws Exception {
    KeyMaterial m = KeyMaterial.of(KeyPairs.generate(scheme));
    String pem = KeyExport.publicPem(m.key());
    byte[] der = Pem.decode(pem, "PUBLIC KEY", "export");
    String alg = switch (scheme) {
      case ED25519 -> "Ed25519";
      case ECDSA_P256 -> "EC";
      case RSA_PSS_SHA256 -> "RSA";
    };
    KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
    // Read back as a TUF key of the same scheme, it verifies the private key's signatures.
    Key back = Key.of(scheme, scheme == Scheme.ED25519 ? m.key().publicValue() : pem);
    byte[] msg = {1, 2, 3};
    assertTrue(back.verifies(msg, m.sign(msg)));
    assertEquals(m.key().toJson(), KeyExport.publicJson(m.key()));
  }

  @Test
  void ed25519_hex_public_key_becomes_the_rfc8410_spki() throws Exception {
    Key k = KeyImportTest.rootKey(KeyImportTest.TIMESTAMP_ID);
    byte[] der = Pem.decode(KeyExport.publicPem(k), "PUBLIC KEY", "export");
    assertEquals("302a300506032b6570032100" + k.publicValue(), dev.tufsh.crypto.Hex.encode(der));
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void encrypted_private_export_round_trips_and_needs_its_passphrase(Scheme scheme) {
    KeyMaterial m = KeyMaterial.of(KeyPairs.generate(scheme));
    String pem = KeyExport.encryptedPrivatePem(m, new Secret("export pw".toCharArray()), 2048);
    assertTrue(pem.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
    KeyMaterial back = KeyImport.read(pem, "x.pem", new ScriptedSecrets("export pw"), null);
    assertEquals(m.key(), back.key());
    assertThrows(KeyStoreError.class, () -> KeyImport.read(pem, "x.pem", SecretSource.NONE, null));
  }

  @Test
  void export_to_a_fixture_key_matches_the_python_tuf_key() throws Exception {
    KeyMaterial m = KeyImport.readFile(KeyImportTest.fixture("ecdsa_key.sslib.json"), SecretSource.NONE, null);
    assertEquals(Files.readString(KeyImportTest.fixture("ecdsa_key.pub.pem")), KeyExport.publicPem(m.key()));
  }

  /**
   * Decrypts an export with the JDK's own PBKDF2 and AES-CBC, following PKCS#5 by hand, so the
   * format is checked against the standard rather than against BouncyCastle's reader.
   */
  @ParameterizedTest
  @EnumSource(Scheme.class)
  void encrypted_export_is_standard_pbes2_with_a_version_1_key_inside(Scheme scheme) throws Exception {
    KeyMaterial m = KeyMaterial.of(KeyPairs.generate(scheme));
    String pem = KeyExport.encryptedPrivatePem(m, new Secret("pw".toCharArray()), 1000);
    var epki = org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo.getInstance(
        Pem.decode(pem, "ENCRYPTED PRIVATE KEY", "export"));
    assertEquals(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_PBES2,
        epki.getEncryptionAlgorithm().getAlgorithm());
    var pbes2 = org.bouncycastle.asn1.pkcs.PBES2Parameters.getInstance(
        epki.getEncryptionAlgorithm().getParameters());
    var kdf = org.bouncycastle.asn1.pkcs.PBKDF2Params.getInstance(
        pbes2.getKeyDerivationFunc().getParameters());
    assertEquals(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_hmacWithSHA256,
        kdf.getPrf().getAlgorithm());
    assertEquals(1000, kdf.getIterationCount().intValue());
    assertEquals(org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_aes256_CBC,
        pbes2.getEncryptionScheme().getAlgorithm());
    byte[] iv = org.bouncycastle.asn1.ASN1OctetString.getInstance(
        pbes2.getEncryptionScheme().getParameters()).getOctets();

    byte[] aesKey = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
        .generateSecret(new javax.crypto.spec.PBEKeySpec("pw".toCharArray(), kdf.getSalt(), 1000, 256))
        .getEncoded();
    var cipher = javax.crypto.Cipher.getInstance("AES/CBC/PKCS5Padding");
    cipher.init(javax.crypto.Cipher.DECRYPT_MODE, new javax.crypto.spec.SecretKeySpec(aesKey, "AES"),
        new javax.crypto.spec.IvParameterSpec(iv));
    byte[] der = cipher.doFinal(epki.getEncryptedData());
    var info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(der);
    assertEquals(0, info.getVersion().intValueExact());
    assertTrue(!info.hasPublicKey());
    assertEquals(m.key(), KeyPairs.fromPkcs8(der).key());
  }

  @Test
  void empty_export_passphrase_is_refused() {
    KeyMaterial m = KeyMaterial.of(KeyPairs.generate(Scheme.ED25519));
    assertThrows(KeyStoreError.class, () -> KeyExport.encryptedPrivatePem(m, new Secret(new char[0])));
  }
}
