package org.fedgossip.cli.chaos;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one post-run check of a chaos leg.
 *
 * @param name a stable identifier, such as {@code checkpoints-verify}
 * @param passed whether the invariant held
 * @param detail what was checked and, on failure, the first offender
 */
public record Check(String name, boolean passed, String detail) {

  /** Validates the fields. */
  public Check {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(detail, "detail");
  }

  static Check pass(String name, String detail) {
    return new Check(name, true, detail);
  }

  static Check fail(String name, String detail) {
    return new Check(name, false, detail);
  }

  /**
   * The check as a JSON-ready map.
   *
   * @return name, passed, detail
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("passed", passed);
    m.put("detail", detail);
    return m;
  }
}
