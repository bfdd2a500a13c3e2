/**
 * Runbooks: plain-text command files with variables, their replay line by line, and the recorder
 * that writes them from a shell session. Runs lines through {@link dev.tufsh.runbook.LineExecutor},
 * implemented by the command layer; knows nothing of picocli or JLine.
 */
package dev.tufsh.runbook;
