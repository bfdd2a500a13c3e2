/**
 * The SSH frontend: {@code tufsh serve ssh}, an Apache MINA sshd server whose shell channel runs the
 * tufsh REPL on the client's pseudo-terminal and whose exec channel runs one command line.
 *
 * <p>Only public-key authentication is offered, against an OpenSSH authorized_keys file read as
 * sshd reads it; a {@code tufsh-roles="..."} option on a key's line says which roles its holder may
 * change (keys without it may only read). Forwarding of every kind, agent and X11 forwarding and
 * subsystems are refused, and every refusal is written to the workspace audit log. Each channel
 * gets its own remote {@link dev.tufsh.cli.Session} and a fresh picocli command line per command,
 * checked against {@link dev.tufsh.ssh.RemotePolicy} (deny by default) on the parse that runs.
 *
 * <p>This package sits above {@code shell} and {@code cli}: it may use both, and nothing below it
 * may import it (the application registers {@link dev.tufsh.ssh.ServeCommand}).
 */
package dev.tufsh.ssh;
