package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.exporter.clickhouse.internal.ClickHouseConnection;
import dev.otelretention.exporter.clickhouse.internal.rowbinary.AttributeStrings;
import dev.otelretention.exporter.clickhouse.internal.rowbinary.RowBinaryOutput;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Attributes written as the JSON text the Collector's exporter sends to its {@code JSON} columns,
 * read back by the real engine: each value keeps its type, as it does for the Collector.
 */
class JsonAttributeValuesTest {
  @Test
  void theEngineStoresEveryValueWithItsType() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    front.execute("CREATE DATABASE IF NOT EXISTS json_values");
    front.execute(
        "CREATE OR REPLACE TABLE json_values.attributes (id UInt32, a JSON)"
            + " ENGINE = MergeTree ORDER BY id");
    Attributes attributes =
        Attributes.builder()
            .put("http.route", "/orders/{id}")
            .put("http.response.status_code", 200L)
            .put("duration.ratio", 0.25)
            .put("retried", true)
            .put(AttributeKey.stringArrayKey("tags"), List.of("a", "b\"c"))
            .put(AttributeKey.longArrayKey("sizes"), List.of(1L, 2L))
            .put("note", "line one\nline two \\ \t")
            .put("not.finite", Double.NaN)
            .build();
    RowBinaryOutput rows = new RowBinaryOutput();
    rows.uint32(1);
    rows.string(AttributeStrings.jsonObject(attributes));
    rows.uint32(2);
    rows.string(AttributeStrings.jsonObject(Attributes.empty()));
    try (ClickHouseConnection connection =
        new ClickHouseConnection(
            ClickHouseExporters.builder()
                .endpoint(front.endpoint())
                .password(ClickHouseFront.PASSWORD)
                .buildSettings()
                .connection(),
            Duration.ofSeconds(10))) {
      connection.insert(
          "json_values.attributes",
          List.of("id", "a"),
          rows::writeTo,
          null,
          Map.of("input_format_binary_read_json_as_string", "1"));
      GenericRecord row =
          connection
              .query(
                  "SELECT dynamicType(a.http.response.status_code) AS status_type,"
                      + " toString(a.http.response.status_code) AS status,"
                      + " dynamicType(a.duration.ratio) AS ratio_type,"
                      + " dynamicType(a.retried) AS retried_type,"
                      + " dynamicType(a.tags) AS tags_type, toString(a.tags) AS tags,"
                      + " dynamicType(a.sizes) AS sizes_type,"
                      + " toString(a.http.route) AS route, toString(a.note) AS note,"
                      + " toString(a.not.finite) AS not_finite"
                      + " FROM json_values.attributes WHERE id = 1",
                  Map.of())
              .get(0);
      assertThat(row.getString("status_type")).isEqualTo("Int64");
      assertThat(row.getString("status")).isEqualTo("200");
      assertThat(row.getString("ratio_type")).isEqualTo("Float64");
      assertThat(row.getString("retried_type")).isEqualTo("Bool");
      assertThat(row.getString("tags_type")).isEqualTo("Array(Nullable(String))");
      assertThat(row.getString("tags")).isEqualTo("['a','b\"c']");
      assertThat(row.getString("sizes_type")).isEqualTo("Array(Nullable(Int64))");
      assertThat(row.getString("route")).isEqualTo("/orders/{id}");
      assertThat(row.getString("note")).isEqualTo("line one\nline two \\ \t");
      assertThat(row.getString("not_finite")).isEqualTo("NaN");
      assertThat(
              connection
                  .query(
                      "SELECT toString(a) AS a FROM json_values.attributes WHERE id = 2", Map.of())
                  .get(0)
                  .getString("a"))
          .isEqualTo("{}");
    }
  }
}
