package dev.tufsh.trust;

/**
 * A client's trusted timestamp and snapshot bytes from an earlier update, for the rollback checks
 * of spec 5.4.3 and 5.5.5. Either may be null.
 */
public record PreviousState(byte[] timestamp, byte[] snapshot) {}
