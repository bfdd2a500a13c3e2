package dev.tufsh.keys.pkcs11;

import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Real softhsm2 tokens for this JVM, made once in a temp folder: its own SOFTHSM2_CONF and token
 * directory, tokens made with {@code softhsm2-util}, key pairs with opensc's {@code pkcs11-tool}.
 * softhsm2 reads SOFTHSM2_CONF when the module is initialized, once per process, so every token is
 * made before the first test touches the module, and the variable is set in this process with
 * libc's setenv. Key {@code ec-restricted} may be used only with CKM_ECDSA_SHA256
 * (CKA_ALLOWED_MECHANISMS), so the token genuinely refuses the mechanism tufsh uses for it.
 */
public final class SoftHsm {
  public static final String MODULE = "/usr/lib/softhsm/libsofthsm2.so";
  public static final String TOKEN = "tufsh-main";
  static final String PIN_TOKEN = "tufsh-pin";
  public static final String PIN = "1234";
  static final String SO_PIN = "5678";

  private static SoftHsm instance;

  final Path dir;
  private final Path conf;

  private SoftHsm(Path dir) throws IOException, InterruptedException {
    this.dir = dir;
    Path tokens = Files.createDirectories(dir.resolve("tokens"));
    String common = "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n";
    conf = Files.writeString(dir.resolve("softhsm2.conf"), common, StandardCharsets.UTF_8);
    run("softhsm2-util", "--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", SO_PIN);
    run("softhsm2-util", "--init-token", "--free", "--label", PIN_TOKEN, "--pin", PIN, "--so-pin", SO_PIN);
    keygen(TOKEN, "EC:prime256v1", "ec-1", "01");
    keygen(TOKEN, "rsa:3072", "rsa-1", "02");
    keygen(TOKEN, "EC:edwards25519", "ed-1", "03");
    keygen(TOKEN, "EC:secp384r1", "p384-1", "04");
    keygen(TOKEN, "EC:prime256v1", "ec-restricted", "05", "--allowed-mechanisms", "ECDSA-SHA256");
    keygen(PIN_TOKEN, "EC:prime256v1", "ec-1", "01");
    int rc = NativeLibrary.getInstance("c").getFunction("setenv")
        .invokeInt(new Object[] {"SOFTHSM2_CONF", conf.toString(), 1});
    if (rc != 0) {
      throw new IllegalStateException("setenv SOFTHSM2_CONF failed");
    }
  }

  public static synchronized SoftHsm get() throws Exception {
    if (instance == null) {
      Path dir = Files.createTempDirectory("tufsh-softhsm");
      instance = new SoftHsm(dir);
    }
    return instance;
  }

  public static Pkcs11Uri uri(String token, String label) {
    return new Pkcs11Uri(MODULE, token, null, label);
  }

  private void keygen(String token, String type, String label, String id, String... more)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("pkcs11-tool", "--module", MODULE, "--token-label", token,
        "--login", "--pin", PIN, "--keypairgen", "--key-type", type, "--label", label, "--id", id));
    cmd.addAll(List.of(more));
    run(cmd.toArray(String[]::new));
  }

  private void run(String... cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(cmd))).redirectErrorStream(true);
    pb.environment().putAll(Map.of("SOFTHSM2_CONF", conf.toString()));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
    }
  }
}
