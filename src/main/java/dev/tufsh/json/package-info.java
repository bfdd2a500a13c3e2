/**
 * JSON for TUF: strict bounded reading (Jackson) and the OLPC canonical writer. Knows nothing of
 * TUF roles, keys or files.
 */
package dev.tufsh.json;
