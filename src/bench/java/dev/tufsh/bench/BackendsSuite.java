package dev.tufsh.bench;

import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.Signer;
import dev.tufsh.keys.RegisteredKey;
import dev.tufsh.keys.ScriptedSecrets;
import dev.tufsh.keys.file.FileKeyStore;
import dev.tufsh.keys.file.ScryptParams;
import dev.tufsh.keys.pkcs11.Pkcs11Tokens;
import dev.tufsh.keys.pkcs11.SoftHsm;
import dev.tufsh.keys.vault.TransitStandIn;
import dev.tufsh.keys.vault.VaultTransit;
import dev.tufsh.model.MetadataCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Signatures per second through each key backend, over a 100-target bin's canonical bytes: the
 * encrypted file keystore (unlocked once), a softhsm2 token through PKCS#11 (one session, one
 * signature per call), and Vault Transit's batch signing against the in-process HTTP stand-in
 * (1024 bins per {@code signAll}, so the figure includes HTTP, JSON and base64). The name of the
 * Vault figure carries the requests made for 16384 bins. PKCS#11 figures need softhsm2
 * ({@code scripts/ci-deps} installs it) and are left out, saying so, without it.
 */
final class BackendsSuite implements Suite {
  private static final int VAULT_BATCH = 1024;

  @Override
  public String name() {
    return "backends";
  }

  @Override
  public String description() {
    return "sign/s per key backend (file keystore, PKCS#11 softhsm2, Vault Transit stand-in) over a 100-target bin";
  }

  @Override
  public List<Measurement> prepare(Context ctx) throws Exception {
    byte[] message = MetadataCodec.canonicalSigned(Fixtures.bin(100, 1));
    List<Measurement> out = new ArrayList<>();
    Path dir = ctx.newFolder("backends");
    FileKeyStore files = new FileKeyStore(dir.resolve("keys"), new ScriptedSecrets("bench"), ScryptParams.withLog2N(10));
    for (Scheme s : List.of(Scheme.ED25519, Scheme.ECDSA_P256)) {
      Signer signer = checked(files.generate(s, "file-" + s.keyType()), message);
      out.add(Measurement.of("file " + s.wireName() + ": sign", () -> signer.sign(message)));
    }
    if (Files.isRegularFile(Path.of(SoftHsm.MODULE))) {
      SoftHsm.get();
      Pkcs11Tokens tokens = new Pkcs11Tokens(new ScriptedSecrets(SoftHsm.PIN), Map.of());
      for (String label : List.of("ec-1", "ed-1", "rsa-1")) {
        RegisteredKey k = tokens.describe("hsm-" + label, SoftHsm.uri(SoftHsm.TOKEN, label));
        Signer signer = checked(tokens.signer(k, k.key()).orElseThrow(), message);
        String scheme = k.key().scheme();
        Measurement m = Measurement.of("pkcs11 softhsm2 " + scheme + ": sign", () -> signer.sign(message));
        out.add(scheme.equals("rsassa-pss-sha256") ? m : m.baseline("file " + scheme + ": sign"));
      }
    } else {
      System.err.println("backends: " + SoftHsm.MODULE + " not found; PKCS#11 figures left out (run scripts/ci-deps)");
    }
    TransitStandIn vault = new TransitStandIn().token("bench");
    Runtime.getRuntime().addShutdownHook(new Thread(vault::close));
    Map<String, String> env = Map.of("VAULT_ADDR", vault.address(), "VAULT_TOKEN", "bench");
    for (String type : List.of("ed25519", "ecdsa-p256")) {
      vault.createKey(null, "transit", "bench-" + type, type);
      VaultTransit transit = new VaultTransit(env);
      RegisteredKey k = transit.describe("v-" + type, "transit", "bench-" + type, 0, null, null);
      Signer signer = checked(transit.signer(k, k.key()).orElseThrow(), message);
      int before = vault.requests();
      List<byte[]> sigs = signer.signAll(Collections.nCopies(16384, message));
      int requests = vault.requests() - before;
      if (sigs.size() != 16384 || !k.key().verifies(message, sigs.get(16383))) {
        throw new IllegalStateException("vault " + type + ": batch signatures do not verify");
      }
      List<byte[]> batch = Collections.nCopies(VAULT_BATCH, message);
      out.add(Measurement.of("vault stand-in " + k.key().scheme() + ": signAll " + VAULT_BATCH
              + " (16384 bins: " + requests + " requests)", () -> signer.signAll(batch))
          .units("sig/s", VAULT_BATCH));
    }
    return out;
  }

  private static Signer checked(Signer s, byte[] message) {
    if (!s.key().verifies(message, s.sign(message))) {
      throw new IllegalStateException(s.describe() + ": signature does not verify");
    }
    return s;
  }
}
