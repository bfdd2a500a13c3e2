/**
 * The TUF metadata model (spec 1.0.x, TAP 15): immutable records with validating constructors,
 * the strict codec between JSON and records (unknown members kept), and signature checks. Uses
 * {@code dev.tufsh.crypto} and {@code dev.tufsh.json}; knows nothing of files, the shell or key
 * backends.
 */
package dev.tufsh.model;
