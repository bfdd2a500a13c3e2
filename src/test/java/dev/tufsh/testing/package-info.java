/**
 * Test helpers shared by many tests: the CLI and tmux runners, fixture lookup, a loopback static
 * web server, the tuf-js runner, and a small hashed-bins repository written with the library alone.
 */
package dev.tufsh.testing;
