package dev.tufsh.cli;

import dev.tufsh.crypto.Scheme;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code ed25519}, {@code ecdsa}, {@code rsa} (or the wire names) to a {@link Scheme}. */
public final class SchemeConverter implements ITypeConverter<Scheme> {
  @Override
  public Scheme convert(String value) {
    return Scheme.fromUser(value).orElseThrow(() ->
        new TypeConversionException("unknown key scheme '" + value + "' (use ed25519, ecdsa or rsa)"));
  }

  /** What {@code --scheme} accepts, for completion and help: the names a person types. */
  public static final class Names extends java.util.ArrayList<String> {
    private static final long serialVersionUID = 1L;

    public Names() {
      super(java.util.List.of("ed25519", "ecdsa", "rsa"));
    }
  }
}
