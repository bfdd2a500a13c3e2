/**
 * The TUF metadata model (spec 1.0.x, TAP 15): immutable records with validating constructors,
 * the strict codec between JSON and records (unknown members kept), and signature checks. Files
 * are read in one streaming pass ({@code MetadataReader}, with the tree decoder behind it for what
 * it does not take and for every error's words) and written straight from the records ({@code
 * CanonicalEncoder}); a file whose {@code signed} is already canonical keeps those bytes for its
 * signatures. Uses {@code dev.tufsh.crypto} and {@code dev.tufsh.json}; knows nothing of files, the
 * shell or key backends.
 */
package dev.tufsh.model;
