/**
 * The hash-chained, append-only audit log of every command from every session, and its verifier.
 * Uses {@code json} and {@code crypto} only; secrets cannot reach it because no command carries
 * one in its text.
 */
package dev.tufsh.audit;
