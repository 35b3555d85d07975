package org.fedgossip.cli.daemon;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * One key of the daemon configuration (see {@code docs/configuration.md}): its name, its default,
 * what values it allows, a one-line meaning, and the parser that checks a value.
 *
 * @param name the key, for example {@code gossip.fanout}; units are part of the name ({@code Ms})
 * @param defaultValue the value used when nothing sets the key, or null when the default is derived
 *     (from the certificate, a preset, n) or there is none
 * @param defaultText the default as documented: the value itself, or what it is derived from, or
 *     {@code REQUIRED ...}
 * @param allowed the allowed values or range, as documented and quoted in errors
 * @param doc a one-line meaning
 * @param requiredFor the roles that must set the key (empty when it has a default or is optional)
 * @param parser turns a raw non-empty value into its typed value, or throws {@link
 *     IllegalArgumentException} with the reason
 */
public record ConfigKey(
    String name,
    String defaultValue,
    String defaultText,
    String allowed,
    String doc,
    Set<Role> requiredFor,
    Function<String, Object> parser) {

  /** The prefix of every environment variable that sets a key. */
  public static final String ENV_PREFIX = "FEDGOSSIP_";

  /**
   * Validates the components.
   *
   * @param name see the record component
   * @param defaultValue see the record component
   * @param defaultText see the record component
   * @param allowed see the record component
   * @param doc see the record component
   * @param requiredFor see the record component
   * @param parser see the record component
   */
  public ConfigKey {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[a-z]+(\\.[a-zA-Z]+)+")) {
      throw new IllegalArgumentException("config key name '" + name + "' is not section.name");
    }
    Objects.requireNonNull(defaultText, "defaultText");
    Objects.requireNonNull(allowed, "allowed");
    Objects.requireNonNull(doc, "doc");
    requiredFor = Set.copyOf(requiredFor);
    Objects.requireNonNull(parser, "parser");
  }

  /**
   * Returns the environment variable that sets this key: {@code FEDGOSSIP_} and the key upper-cased
   * with {@code .} replaced by {@code _}.
   *
   * @return for example {@code FEDGOSSIP_GOSSIP_INTERVALMS}
   */
  public String envName() {
    return ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /**
   * Parses and checks a raw value.
   *
   * @param raw the value, already stripped, not empty
   * @param where where the value came from, for the message (a file, a variable, {@code --set})
   * @return the typed value
   * @throws ConfigException naming the key, the value, where it came from and the allowed values
   */
  public Object parse(String raw, String where) {
    try {
      return parser.apply(raw);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          name,
          name
              + " = '"
              + raw
              + "' ("
              + where
              + ") is invalid: "
              + e.getMessage()
              + "; allowed: "
              + allowed,
          e);
    }
  }
}
