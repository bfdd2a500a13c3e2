package dev.tufsh.bench;

import java.util.List;

/**
 * A named group of measurements. {@link #prepare} builds the inputs (untimed) and returns the
 * measurements in the order the table shows them; a measurement's baseline names another
 * measurement of the same suite.
 */
public interface Suite {
  /** The name {@code --suite} selects. */
  String name();

  /** One line for {@code --list} and the table heading. */
  String description();

  List<Measurement> prepare(Context ctx) throws Exception;
}
