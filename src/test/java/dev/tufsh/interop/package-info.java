/**
 * Tests that drive other TUF implementations (tuf-js from src/test/js) against repositories the
 * library writes, over a loopback web server.
 */
package dev.tufsh.interop;
