package dev.tufsh.trust;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds a delegation cycle (a role that delegates, directly or through others, back to itself).
 * Clients merely skip visited roles, but a cycle is always an authoring mistake, so it is refused.
 * Iterative, so a hostile chain of many roles cannot overflow the stack.
 */
final class Cycles {
  private Cycles() {}

  private static final int ON_PATH = 1;
  private static final int DONE = 2;

  private record Frame(String role, List<Edge> edges, int next) {}

  static void check(Map<String, List<Edge>> outgoing, Map<String, Decoded<dev.tufsh.model.Targets>> roles) {
    Map<String, Integer> state = new HashMap<>();
    Deque<Frame> stack = new ArrayDeque<>();
    stack.push(new Frame(DelegationWalk.TOP, outgoing.getOrDefault(DelegationWalk.TOP, List.of()), 0));
    state.put(DelegationWalk.TOP, ON_PATH);
    while (!stack.isEmpty()) {
      Frame f = stack.pop();
      if (f.next == f.edges.size()) {
        state.put(f.role, DONE);
        continue;
      }
      stack.push(new Frame(f.role, f.edges, f.next + 1));
      String child = f.edges.get(f.next).child();
      Integer s = state.get(child);
      if (s == null) {
        state.put(child, ON_PATH);
        stack.push(new Frame(child, outgoing.getOrDefault(child, List.of()), 0));
      } else if (s == ON_PATH) {
        StringBuilder path = new StringBuilder();
        var it = stack.descendingIterator();
        while (it.hasNext()) {
          path.append(it.next().role).append(" -> ");
        }
        path.append(child);
        throw new VerificationError(
            roles.get(f.role).file(), f.role,
            "delegates to '" + child + "', which closes a delegation cycle: " + path);
      }
    }
  }
}
