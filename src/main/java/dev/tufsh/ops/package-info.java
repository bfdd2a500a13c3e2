/**
 * The operations an administrator runs: init, target add/remove, rotate, revoke, resign, bump,
 * status, verify, plan, publish, discard, sign export/import. One class per operation, a request
 * in and a result out; shared by the shell, runbooks, scripts and the SSH frontend. No picocli,
 * JLine or sshd here.
 */
package dev.tufsh.ops;
