package dev.tufsh.crypto;

/**
 * Run in its own JVM by Ed25519EngineTest (the engine loads once per process): {@code expect N}
 * announces N operations, {@code ops N} does N signatures; then it waits for any load begun and
 * prints the engine, RFC 8032 TEST 2's signature made by a LocalSigner, and whether it verifies.
 */
public final class Ed25519EngineProbe {
  private Ed25519EngineProbe() {}

  public static void main(String[] args) {
    LocalSigner s = KeyPairs.ed25519FromSeed(
        Hex.decode("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "seed"));
    int n = Integer.parseInt(args[1]);
    if (args[0].equals("expect")) {
      Ed25519Engine.expect(n);
    } else {
      for (int i = 0; i < n; i++) {
        s.sign(new byte[] {(byte) i});
      }
    }
    Ed25519Engine.awaitLoaded();
    byte[] m = {0x72};
    byte[] sig = s.sign(m);
    System.out.println("engine=" + Ed25519Engine.describe());
    System.out.println("native=" + (Ed25519Engine.forOne() != null));
    System.out.println("signature=" + Hex.encode(sig));
    System.out.println("verifies=" + s.key().verifies(m, sig));
  }
}
