package org.fedgossip.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void quotesEscapeQuotesBackslashesAndControlCharacters() {
    assertThat(Json.quote("plain")).isEqualTo("\"plain\"");
    assertThat(Json.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    assertThat(Json.quote("line\nnext\ttab\r")).isEqualTo("\"line\\nnext\\ttab\\r\"");
    assertThat(Json.quote("bell\u0007")).isEqualTo("\"bell\\u0007\"");
    assertThat(Json.quote("π ε")).isEqualTo("\"π ε\"");
  }

  @Test
  void writesMapsListsNumbersAndNullsAndParsesThemBack() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("role", "peer");
    value.put("round", 42L);
    value.put("epsilon", 1.5);
    value.put("nan", Double.NaN);
    value.put("ok", true);
    value.put("none", null);
    value.put("list", List.of(1L, "two", Map.of("k", "v")));

    String text = Json.write(value);

    assertThat(text)
        .isEqualTo(
            "{\"role\": \"peer\", \"round\": 42, \"epsilon\": 1.5, \"nan\": null, \"ok\": true,"
                + " \"none\": null, \"list\": [1, \"two\", {\"k\": \"v\"}]}");
    Map<String, Object> back = new LinkedHashMap<>(value);
    back.put("nan", null);
    assertThat(Json.parse(text)).isEqualTo(back);
  }

  @Test
  void parsesEscapesExponentsAndLargeIntegers() {
    assertThat(Json.parse(" \"a\\u00e9\\n\\\"b\" ")).isEqualTo("a\u00e9\n\"b");
    assertThat(Json.parse("-2.5e3")).isEqualTo(-2500.0);
    assertThat(Json.parse("123456789012345678901234")).isEqualTo(1.2345678901234568e23);
    assertThat(Json.parse("[]")).isEqualTo(List.of());
    assertThat(Json.parse("{}")).isEqualTo(Map.of());
  }

  @Test
  void rejectsMalformedJsonNamingTheOffset() {
    assertThatThrownBy(() -> Json.parse("{\"a\": }"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset 6");
    assertThatThrownBy(() -> Json.parse("[1, 2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("end of text");
    assertThatThrownBy(() -> Json.parse("1 2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trailing");
    assertThatThrownBy(() -> Json.parse("[".repeat(Json.MAX_DEPTH + 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nesting");
  }
}
