package dev.tufsh.crypto;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Ed25519CrossCheckTest's vectors and properties with AWS-LC signing and verifying. */
class Ed25519CrossCheckNativeTest extends Ed25519CrossCheckTest {
  @BeforeAll
  static void onAwsLc() {
    Ed25519Engines.force("native");
    org.junit.jupiter.api.Assertions.assertTrue(Ed25519Engines.nativeInUse(), Ed25519Engine.describe());
  }

  @AfterAll
  static void back() {
    Ed25519Engines.force("auto");
  }
}
