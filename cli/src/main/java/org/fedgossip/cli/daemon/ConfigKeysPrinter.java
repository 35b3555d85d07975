package org.fedgossip.cli.daemon;

import java.io.PrintWriter;
import java.util.List;

/**
 * Prints the key registry: as a text table for {@code fedgossip peer --list-keys}, and as the
 * Markdown table of {@code docs/configuration.md}.
 */
public final class ConfigKeysPrinter {

  private ConfigKeysPrinter() {}

  /**
   * Prints every key as an aligned text table: key, default, allowed values, meaning.
   *
   * @param out where to print
   */
  public static void printText(PrintWriter out) {
    List<ConfigKey> keys = ConfigKeys.all();
    int name = "KEY".length();
    int def = "DEFAULT".length();
    int allowed = "ALLOWED".length();
    for (ConfigKey k : keys) {
      name = Math.max(name, k.name().length());
      def = Math.max(def, k.defaultText().length());
      allowed = Math.max(allowed, k.allowed().length());
    }
    String format = "%-" + name + "s  %-" + def + "s  %-" + allowed + "s  %s%n";
    out.printf(format, "KEY", "DEFAULT", "ALLOWED", "MEANING");
    for (ConfigKey k : keys) {
      out.printf(format, k.name(), k.defaultText(), k.allowed(), k.doc());
    }
    out.printf(
        "%nEnvironment: FEDGOSSIP_ + the key upper-cased with '.' as '_' (e.g. %s)."
            + "%nPrecedence: --set key=value > environment > file > default.%n",
        ConfigKeys.get("privacy.epsilon").envName());
    out.flush();
  }

  /**
   * Returns the Markdown table of every key, as in {@code docs/configuration.md}.
   *
   * @return the table, one row per key, with a header row
   */
  public static String markdownTable() {
    StringBuilder sb = new StringBuilder();
    sb.append("| key | default | allowed | meaning | environment variable |\n");
    sb.append("|---|---|---|---|---|\n");
    for (ConfigKey k : ConfigKeys.all()) {
      sb.append("| `")
          .append(k.name())
          .append("` | ")
          .append(escape(k.defaultText()))
          .append(" | ")
          .append(escape(k.allowed()))
          .append(" | ")
          .append(escape(k.doc()))
          .append(" | `")
          .append(k.envName())
          .append("` |\n");
    }
    return sb.toString();
  }

  private static String escape(String cell) {
    return cell.replace("|", "\\|").replace("*", "\\*");
  }
}
