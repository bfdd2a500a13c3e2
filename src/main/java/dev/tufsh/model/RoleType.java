package dev.tufsh.model;

import java.util.Optional;

/** The four {@code _type} values; every delegated role is of type targets. */
public enum RoleType {
  ROOT("root"),
  TARGETS("targets"),
  SNAPSHOT("snapshot"),
  TIMESTAMP("timestamp");

  private final String wire;

  RoleType(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Optional<RoleType> fromWire(String s) {
    for (RoleType t : values()) {
      if (t.wire.equals(s)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** Whether {@code name} is one of the four top-level role names. */
  public static boolean isTopLevel(String name) {
    return fromWire(name).isPresent();
  }
}
