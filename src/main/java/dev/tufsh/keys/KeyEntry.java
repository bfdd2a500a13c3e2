package dev.tufsh.keys;

import dev.tufsh.crypto.Key;

/** A key a store knows: its name, public key and where the private half lives ({@code file:...}). */
public record KeyEntry(String name, Key key, String backend) {}
