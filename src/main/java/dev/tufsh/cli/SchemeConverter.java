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
}
