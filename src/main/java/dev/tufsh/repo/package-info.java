/**
 * The repository workspace: published metadata and targets ({@code metadata/}, {@code targets/}),
 * private state ({@code .tufsh/}: staged changes, keys, settings, lock, audit), and the path from a
 * staged change to a published one (plan, sign, verify as a client would, write atomically with
 * timestamp last). Gets signers through {@code crypto.SignerResolver}; knows no shell or SSH.
 */
package dev.tufsh.repo;
