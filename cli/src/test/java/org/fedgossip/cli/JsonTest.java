package org.fedgossip.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
}
