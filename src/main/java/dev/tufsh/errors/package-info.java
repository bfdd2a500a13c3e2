/**
 * The error types every layer throws. Each message is one line naming what is wrong and where; the
 * command layer alone turns them into exit codes. Depends on nothing.
 */
package dev.tufsh.errors;
