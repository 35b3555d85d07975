package org.fedgossip.cli.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader for the subset of YAML that the Kubernetes manifests under {@code deploy/k8s} use, so
 * that tests can check them without a YAML library: documents separated by {@code ---}, block
 * mappings and sequences by indentation, plain, single- and double-quoted scalars, flow sequences
 * of scalars ({@code ["ALL"]}), literal block scalars ({@code |} and {@code |-}) and comments.
 *
 * <p>Anything outside the subset (anchors, tags, flow mappings, folded scalars, multi-line plain
 * scalars) is an {@link IllegalArgumentException} naming the line, never a silent misreading.
 * Mappings keep their order; every scalar is a {@code String}.
 */
final class MiniYaml {

  private final List<String> lines;
  private int next;

  private MiniYaml(List<String> lines) {
    this.lines = lines;
  }

  /**
   * Parses every document of a text.
   *
   * @param text the YAML text
   * @return the documents, each a {@code Map}, a {@code List} or a {@code String}; empty ones left
   *     out
   */
  static List<Object> parseAll(String text) {
    List<Object> documents = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (line.strip().equals("---")) {
        addDocument(documents, current);
        current = new ArrayList<>();
      } else {
        current.add(line.replace("\r", ""));
      }
    }
    addDocument(documents, current);
    return documents;
  }

  private static void addDocument(List<Object> documents, List<String> lines) {
    MiniYaml parser = new MiniYaml(lines);
    parser.skipBlank();
    if (parser.next < lines.size()) {
      Object value = parser.block(parser.indent(parser.next));
      parser.skipBlank();
      if (parser.next < lines.size()) {
        throw parser.error("unexpected indentation");
      }
      documents.add(value);
    }
  }

  /** Parses the block that starts at the current line with exactly this indentation. */
  private Object block(int indent) {
    String content = lines.get(next).substring(indent);
    if (content.startsWith("- ") || content.equals("-")) {
      return sequence(indent);
    }
    return mapping(indent);
  }

  private List<Object> sequence(int indent) {
    List<Object> list = new ArrayList<>();
    while (true) {
      skipBlank();
      if (next >= lines.size() || indent(next) != indent) {
        return list;
      }
      String content = stripComment(lines.get(next).substring(indent));
      if (!(content.startsWith("- ") || content.equals("-"))) {
        return list;
      }
      String rest = content.equals("-") ? "" : content.substring(2).strip();
      if (rest.isEmpty()) {
        next++;
        skipBlank();
        list.add(block(indent(next)));
      } else if (isMappingEntry(rest)) {
        // "- key: value" opens a mapping whose keys are indented past the dash.
        int itemIndent = indent + 2 + (content.substring(2).length() - rest.length());
        lines.set(next, " ".repeat(itemIndent) + rest);
        list.add(mapping(itemIndent));
      } else {
        next++;
        list.add(scalar(rest));
      }
    }
  }

  private Map<String, Object> mapping(int indent) {
    Map<String, Object> map = new LinkedHashMap<>();
    while (true) {
      skipBlank();
      if (next >= lines.size() || indent(next) != indent) {
        return map;
      }
      String content = stripComment(lines.get(next).substring(indent));
      if (content.startsWith("- ")) {
        return map;
      }
      int colon = mappingColon(content);
      if (colon < 0) {
        throw error("expected 'key: value'");
      }
      String key = unquote(content.substring(0, colon).strip());
      String rest = content.substring(colon + 1).strip();
      next++;
      Object value;
      if (rest.equals("|") || rest.equals("|-")) {
        value = literal(indent, rest.equals("|-"));
      } else if (rest.isEmpty()) {
        skipBlank();
        if (next < lines.size() && indent(next) > indent) {
          value = block(indent(next));
        } else if (next < lines.size()
            && indent(next) == indent
            && lines.get(next).substring(indent).startsWith("- ")) {
          // A sequence may sit at its key's indentation.
          value = sequence(indent);
        } else {
          value = "";
        }
      } else {
        value = scalar(rest);
      }
      if (map.put(key, value) != null) {
        next--;
        throw error("duplicate key '" + key + "'");
      }
    }
  }

  /** A literal block scalar: the following lines indented past the key, their indentation cut. */
  private String literal(int keyIndent, boolean strip) {
    List<String> body = new ArrayList<>();
    int blockIndent = -1;
    while (next < lines.size()) {
      String line = lines.get(next);
      if (line.isBlank()) {
        body.add("");
        next++;
        continue;
      }
      int i = indent(next);
      if (i <= keyIndent) {
        break;
      }
      if (blockIndent < 0) {
        blockIndent = i;
      }
      if (i < blockIndent) {
        throw error("literal block line indented less than its first line");
      }
      body.add(line.substring(blockIndent));
      next++;
    }
    while (!body.isEmpty() && body.get(body.size() - 1).isEmpty()) {
      body.remove(body.size() - 1);
    }
    String text = String.join("\n", body);
    return strip ? text : text + "\n";
  }

  private Object scalar(String raw) {
    if (raw.startsWith("[")) {
      if (!raw.endsWith("]")) {
        throw error("a flow sequence must end on its line");
      }
      List<Object> items = new ArrayList<>();
      String inner = raw.substring(1, raw.length() - 1).strip();
      if (!inner.isEmpty()) {
        for (String item : inner.split(",", -1)) {
          items.add(unquote(item.strip()));
        }
      }
      return items;
    }
    if (raw.startsWith("{") || raw.startsWith("&") || raw.startsWith("*") || raw.startsWith("!")) {
      throw error("flow mappings, anchors, aliases and tags are outside the subset");
    }
    if (raw.equals(">") || raw.equals(">-")) {
      throw error("folded scalars are outside the subset");
    }
    return unquote(raw);
  }

  private String unquote(String s) {
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      String inner = s.substring(1, s.length() - 1);
      if (inner.contains("\\")) {
        throw error("escapes in double-quoted scalars are outside the subset");
      }
      return inner;
    }
    if (s.length() >= 2 && s.startsWith("'") && s.endsWith("'")) {
      return s.substring(1, s.length() - 1).replace("''", "'");
    }
    if (s.startsWith("\"") || s.startsWith("'")) {
      throw error("unterminated quoted scalar");
    }
    return s;
  }

  private static boolean isMappingEntry(String content) {
    return mappingColon(content) > 0;
  }

  /** The index of the ':' that separates a key from its value, outside quotes; -1 if none. */
  private static int mappingColon(String content) {
    char quote = 0;
    for (int i = 0; i < content.length(); i++) {
      char c = content.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if ((c == '"' || c == '\'') && i == 0) {
        quote = c;
      } else if (c == ':' && (i + 1 == content.length() || content.charAt(i + 1) == ' ')) {
        return i;
      } else if (c == '[' || c == '{') {
        return -1;
      }
    }
    return -1;
  }

  /** Removes a trailing comment: a '#' at the start or after a space, outside quotes. */
  private static String stripComment(String content) {
    char quote = 0;
    for (int i = 0; i < content.length(); i++) {
      char c = content.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '#' && (i == 0 || content.charAt(i - 1) == ' ')) {
        return content.substring(0, i).stripTrailing();
      }
    }
    return content.stripTrailing();
  }

  private void skipBlank() {
    while (next < lines.size()) {
      String s = lines.get(next).strip();
      if (!s.isEmpty() && !s.startsWith("#")) {
        return;
      }
      next++;
    }
  }

  private int indent(int line) {
    String s = lines.get(line);
    int i = 0;
    while (i < s.length() && s.charAt(i) == ' ') {
      i++;
    }
    if (i < s.length() && s.charAt(i) == '\t') {
      throw new IllegalArgumentException("line " + (line + 1) + ": tabs are not YAML indentation");
    }
    return i;
  }

  private IllegalArgumentException error(String what) {
    int line = Math.min(next, lines.size() - 1);
    return new IllegalArgumentException(
        "line " + (line + 1) + ": " + what + ": '" + lines.get(line).strip() + "'");
  }
}
