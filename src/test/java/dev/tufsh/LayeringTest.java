package dev.tufsh;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The package arrows of style.md as a build check: each layer uses only the layers below it, and
 * the libraries that tie code to a frontend or a key backend stay in the packages that own them.
 * Where the code differs from style.md's sketch, this encodes the code: {@code errors} is below
 * everything, {@code files} (the modes tufsh creates files with) just above it, {@code audit} sits
 * beside {@code repo} and {@code keys} (it knows no repository), and {@code runbook} sits between
 * {@code ops} and {@code cli}.
 */
class LayeringTest {

  /** The main classes, read from where they were compiled (scanning the class path costs seconds). */
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importLocations(java.util.Set.of(com.tngtech.archunit.core.importer.Location.of(
              dev.tufsh.app.Main.class.getProtectionDomain().getCodeSource().getLocation())));

  @Test
  void eachLayerUsesOnlyTheLayersBelowIt() {
    var layers =
        layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("errors").definedBy("dev.tufsh.errors..")
            .layer("files").definedBy("dev.tufsh.files..")
            .layer("json").definedBy("dev.tufsh.json..")
            .layer("crypto").definedBy("dev.tufsh.crypto..")
            .layer("model").definedBy("dev.tufsh.model..")
            .layer("trust").definedBy("dev.tufsh.trust..")
            .layer("keys").definedBy("dev.tufsh.keys..")
            .layer("audit").definedBy("dev.tufsh.audit..")
            .layer("repo").definedBy("dev.tufsh.repo..")
            .layer("ops").definedBy("dev.tufsh.ops..")
            .layer("runbook").definedBy("dev.tufsh.runbook..")
            .layer("cli").definedBy("dev.tufsh.cli..")
            .layer("shell").definedBy("dev.tufsh.shell..")
            .layer("ssh").definedBy("dev.tufsh.ssh..")
            .layer("app").definedBy("dev.tufsh.app..")
            .whereLayer("errors").mayNotAccessAnyLayer()
            .whereLayer("files").mayOnlyAccessLayers("errors")
            .whereLayer("json").mayOnlyAccessLayers("errors")
            .whereLayer("crypto").mayOnlyAccessLayers("json", "files", "errors")
            .whereLayer("model").mayOnlyAccessLayers("crypto", "json", "files", "errors")
            .whereLayer("trust").mayOnlyAccessLayers("model", "crypto", "json", "files", "errors")
            .whereLayer("keys").mayOnlyAccessLayers("crypto", "json", "files", "errors")
            .whereLayer("audit").mayOnlyAccessLayers("crypto", "json", "files", "errors")
            .whereLayer("repo").mayOnlyAccessLayers("trust", "model", "crypto", "json", "files", "errors")
            .whereLayer("ops").mayOnlyAccessLayers(below("ops"))
            .whereLayer("runbook").mayOnlyAccessLayers(below("runbook"))
            .whereLayer("cli").mayOnlyAccessLayers(below("cli"))
            .whereLayer("shell").mayOnlyAccessLayers(below("shell"))
            .whereLayer("ssh").mayOnlyAccessLayers(below("ssh"))
            .whereLayer("app").mayNotBeAccessedByAnyLayer();
    layers.check(MAIN);
  }

  /** A library and the only layers that may touch it. */
  record Confined(String library, String... owners) {
    @Override
    public String toString() {
      return library + " only in " + String.join(", ", owners);
    }
  }

  static Stream<Confined> confined() {
    return Stream.of(
        new Confined("picocli..", "cli", "shell", "ssh", "app"),
        new Confined("org.jline..", "shell", "ssh", "app"),
        new Confined("org.apache.sshd..", "ssh"),
        new Confined("io.github.jopenlibs..", "keys"),
        new Confined("com.sun.jna..", "keys"),
        new Confined("org.bouncycastle..", "crypto", "keys"),
        new Confined("jdk.jshell..", "runbook"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("confined")
  void libraryStaysInItsOwners(Confined c) {
    String[] owners = Arrays.stream(c.owners()).map(o -> "dev.tufsh." + o + "..").toArray(String[]::new);
    noClasses()
        .that().resideOutsideOfPackages(owners)
        .should().dependOnClassesThat().resideInAPackage(c.library())
        .check(MAIN);
  }

  /** The guard itself: a rule that the code breaks must report it, or the checks above prove nothing. */
  @Test
  void aBrokenArrowIsReported() {
    EvaluationResult r =
        noClasses().that().resideInAPackage("dev.tufsh.cli..")
            .should().dependOnClassesThat().resideInAPackage("dev.tufsh.ops..")
            .evaluate(MAIN);
    org.junit.jupiter.api.Assertions.assertTrue(r.hasViolation(), "cli calls ops, so this rule must fail");
  }

  private static final String[] ORDER = {
    "errors", "files", "json", "crypto", "model", "trust", "keys", "audit", "repo", "ops", "runbook", "cli", "shell", "ssh", "app"
  };

  /** Every layer listed before {@code layer} in {@link #ORDER}. */
  private static String[] below(String layer) {
    return Arrays.copyOf(ORDER, Arrays.asList(ORDER).indexOf(layer));
  }
}
