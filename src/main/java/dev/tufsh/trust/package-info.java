/**
 * The TUF client workflow (spec section 5) as pure logic over bytes: walk the root chain, then
 * timestamp, snapshot, targets and every delegated role, then optionally the target files. Files
 * come in through {@link dev.tufsh.trust.MetadataSource} and {@link dev.tufsh.trust.TargetSource},
 * so the same {@link dev.tufsh.trust.ClientVerifier} checks a published repository and a staged one
 * before it is written. Uses only model, crypto, json and errors; does no file or network I/O.
 */
package dev.tufsh.trust;
