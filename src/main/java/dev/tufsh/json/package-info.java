/**
 * JSON for TUF: strict bounded reading (Jackson: a tree, or {@link dev.tufsh.json.JsonReader}'s
 * stream, which can also prove a value's bytes canonical) and the OLPC canonical writer. Knows
 * nothing of TUF roles, keys or files.
 */
package dev.tufsh.json;
