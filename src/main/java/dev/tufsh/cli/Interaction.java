package dev.tufsh.cli;

import dev.tufsh.crypto.Secret;

/**
 * What a command may ask of the person at the other end. The REPL (local or over SSH) answers
 * through the terminal; a non-interactive run cannot answer, so confirmations need {@code --yes}.
 */
public interface Interaction {
  /** Whether a person is there to answer. */
  boolean interactive();

  /** Asks a yes/no question; false when nobody can answer. */
  boolean confirm(String question);

  /** Reads a secret without echo and without history. */
  Secret readSecret(String prompt);

  /** Reads one line of input (for the jshell command); null at end of input. */
  default String readLine(String prompt) {
    return null;
  }

  /** Whether a typed answer to a y/N question is yes ("y" or "yes", any case); nothing is no. */
  static boolean isYes(String answer) {
    String a = answer == null ? "" : answer.strip().toLowerCase(java.util.Locale.ROOT);
    return a.equals("y") || a.equals("yes");
  }

  /** Tells the person one line (a wrong passphrase, before asking again); nothing without one. */
  default void tell(String line) {}

  /** Reports progress of long work: {@code done} of {@code total} units. Cheap to call often. */
  default void progress(String task, long done, long total) {}

  /** No person: every confirmation is refused, every secret unavailable. */
  Interaction NONE =
      new Interaction() {
        @Override
        public boolean interactive() {
          return false;
        }

        @Override
        public boolean confirm(String question) {
          return false;
        }

        @Override
        public Secret readSecret(String prompt) {
          throw new dev.tufsh.errors.TufshException(
              "cannot ask for " + prompt + " without a terminal (use --passphrase-file or TUFSH_PASSPHRASE)");
        }
      };
}
