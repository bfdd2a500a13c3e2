/** Hostile metadata and input bytes, one table row per threat, checked through the client workflow. */
package dev.tufsh.hostile;
