import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The least a one-shot upload's process can cost on this JVM, whatever tufsh's design: one scrypt
 * run (the key store's N=2^15, r=8, p=1: one passphrase group opens the three keys), an AES-GCM
 * unwrap, three Ed25519 signatures (bin ~30 KB, snapshot SNAP bytes, timestamp ~0.5 KB), a SHA-256
 * of each, and three atomic writes (temp file, fsync, rename) in DIR. Run with the launcher's flags:
 *   java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp target/lib/bcprov-jdk18on-1.87.jar \
 *     src/bench/startup/UploadFloor.java DIR [SNAP]
 * (source-file mode compiles first: for a timing, compile it once with javac and run the class).
 */
public final class UploadFloor {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int snap = args.length > 1 ? Integer.parseInt(args[1]) : 2_300_000;
    Files.createDirectories(dir);
    long t0 = System.nanoTime();
    byte[] salt = new byte[16];
    byte[] d = SCrypt.generate("bench passphrase".getBytes(StandardCharsets.UTF_8), salt, 1 << 15, 8, 1, 48);
    long t1 = System.nanoTime();
    javax.crypto.Cipher gcm = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
    javax.crypto.spec.SecretKeySpec aes = new javax.crypto.spec.SecretKeySpec(d, 0, 32, "AES");
    byte[] iv = new byte[12];
    gcm.init(javax.crypto.Cipher.ENCRYPT_MODE, aes, new javax.crypto.spec.GCMParameterSpec(128, iv));
    byte[] sealed = gcm.doFinal(new byte[32]);
    gcm.init(javax.crypto.Cipher.DECRYPT_MODE, aes, new javax.crypto.spec.GCMParameterSpec(128, iv));
    byte[] seed = gcm.doFinal(sealed);
    Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(seed, 0);
    SecureRandom r = new SecureRandom();
    int[] sizes = {30_000, snap, 500};
    String[] names = {"1.bin.json", "2.snapshot.json", "timestamp.json"};
    for (int i = 0; i < 3; i++) {
      byte[] body = new byte[sizes[i]];
      r.nextBytes(body);
      Ed25519Signer s = new Ed25519Signer();
      s.init(true, key);
      s.update(body, 0, body.length);
      byte[] sig = s.generateSignature();
      byte[] h = MessageDigest.getInstance("SHA-256").digest(body);
      Path tmp = dir.resolve("." + names[i] + ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(body));
        ch.write(ByteBuffer.wrap(sig));
        ch.write(ByteBuffer.wrap(h));
        ch.force(true);
      }
      Files.move(tmp, dir.resolve(names[i]), StandardCopyOption.ATOMIC_MOVE);
    }
    long t2 = System.nanoTime();
    var rt = java.lang.management.ManagementFactory.getRuntimeMXBean();
    System.err.printf("jvm start %d ms, scrypt %d ms, unwrap+sign+write %d ms%n",
        t0 / 1_000_000 - rt.getStartTime() + (System.currentTimeMillis() - System.nanoTime() / 1_000_000),
        (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
  }
}
