package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.query.GenericRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.otelretention.exporter.clickhouse.internal.ClickHouseConnection;
import dev.otelretention.exporter.clickhouse.internal.SchemaManager;
import dev.otelretention.exporter.clickhouse.internal.schema.Identifiers;
import dev.otelretention.exporter.clickhouse.internal.schema.ManagedTable;
import dev.otelretention.exporter.clickhouse.internal.schema.Schema;
import dev.otelretention.exporter.clickhouse.internal.schema.TelemetryTable;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

/**
 * Every statement the exporter issues on a cluster, checked by the engine's own parser ({@code
 * formatQuery}), and the exporter's reading of the per-host answer to an {@code ON CLUSTER}
 * statement. The embedded engine has no Keeper: the test front runs those statements on the engine
 * alone and answers them per host in a server's columns, with the second replica of the cluster
 * down.
 */
class ClusterDdlTest {

  private static List<String> clusterStatements(boolean textIndexes) {
    Schema schema =
        ClickHouseExporters.builder()
            .cluster("telemetry")
            .database("obs")
            .metricRollups(true)
            .storagePolicy("tiered")
            .moveAfter(TtlMove.toVolume("cold", Duration.ofDays(2)))
            .schema();
    List<String> statements = new ArrayList<>();
    statements.add(schema.createDatabase());
    statements.addAll(schema.createStatements(textIndexes));
    for (ManagedTable table : schema.managedTables()) {
      String storage = "`obs`.`" + table.storageName() + "`";
      String distributed = "`obs`.`" + table.name() + "`";
      for (TelemetryTable.Column column : table.columns()) {
        statements.add(schema.alter(storage, Schema.addColumn(column)));
        // a column added to the local tables is added to the Distributed table over them too
        statements.add(schema.alter(distributed, Schema.addColumn(column)));
      }
      statements.add(schema.alter(storage, Schema.modifyTtl(table.ttlExpression())));
      statements.add(schema.alter(storage, Schema.REMOVE_TTL));
      statements.add(schema.alter(storage, Schema.modifyStoragePolicy("tiered")));
      statements.add(schema.alter(storage, Schema.ADD_DEDUPLICATION_WINDOW));
      statements.add(schema.alterPartition(storage, "DROP", "20261124", ""));
    }
    return statements;
  }

  @Test
  void everyClusterStatementParses() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    int parsed = 0;
    for (boolean textIndexes : new boolean[] {true, false}) {
      List<String> statements = clusterStatements(textIndexes);
      assertThat(statements)
          .allSatisfy(statement -> assertThat(statement).contains(" ON CLUSTER `telemetry`"));
      for (String statement : statements) {
        List<GenericRecord> formatted =
            front.query("SELECT formatQuery(" + Identifiers.literal(statement) + ") AS formatted");
        assertThat(formatted.get(0).getString("formatted")).as(statement).contains("ON CLUSTER");
        parsed++;
      }
    }
    assertThat(parsed).isGreaterThan(100);
  }

  @Test
  void onClusterStatementsDoNotWaitForAHostThatIsDown() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    ClickHouseSettings built =
        ClickHouseExporters.builder()
            .endpoint(front.endpoint())
            .password(ClickHouseFront.PASSWORD)
            .database("cluster_ddl")
            .cluster(ClickHouseFront.CLUSTER)
            .buildSettings();
    SchemaManager.MigrationReport report;
    try (ClickHouseConnection connection =
        new ClickHouseConnection(built.connection(), Duration.ofSeconds(10))) {
      report = new SchemaManager(connection, built.schema(), true).ensure();
    }
    assertThat(report.unreconciled())
        .as("one note for the replica that is down, with the statements it has still to run")
        .filteredOn(note -> note.contains(ClickHouseFront.REPLICA_DOWN))
        .singleElement(InstanceOfAssertFactories.STRING)
        .matches(
            ClickHouseFront.REPLICA_DOWN
                + ":9000 has not run [1-9][0-9] ON CLUSTER statements yet \\(it will, from the"
                + " server's DDL queue\\), the first: CREATE DATABASE IF NOT EXISTS `cluster_ddl`"
                + " ON CLUSTER .*");
    assertThat(report.unreconciled()).noneMatch(note -> note.startsWith("localhost"));
    JsonNode create = null;
    for (String line : Files.readAllLines(front.requestLog())) {
      JsonNode request = new ObjectMapper().readTree(line);
      if (request
          .get("statement")
          .asText()
          .startsWith("CREATE DATABASE IF NOT EXISTS `cluster_ddl` ON CLUSTER `telemetry`")) {
        create = request.get("settings");
      }
    }
    assertThat(create).isNotNull();
    assertThat(create.path("distributed_ddl_output_mode").asText())
        .isEqualTo("null_status_on_timeout");
    assertThat(create.path("distributed_ddl_task_timeout").asText())
        .as("a second before the 10 s request would time out")
        .isEqualTo("9");
  }

  @Test
  void withoutNullStatusAHostThatIsDownFailsTheStatement() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    assertThatThrownBy(
            () ->
                front.execute(
                    "CREATE DATABASE IF NOT EXISTS cluster_ddl_throw ON CLUSTER "
                        + ClickHouseFront.CLUSTER))
        .hasStackTraceContaining("TIMEOUT_EXCEEDED");
  }

  @Test
  void tracesAreShardedByTraceIdTheRestAtRandom() {
    assertThat(Schema.shardingKey(TelemetryTable.TRACES)).isEqualTo("cityHash64(TraceId)");
    assertThat(Schema.shardingKey(TelemetryTable.TRACE_ID_TS)).isEqualTo("cityHash64(TraceId)");
    assertThat(Schema.shardingKey(TelemetryTable.LOGS)).isEqualTo("rand()");
    List<String> statements = clusterStatements(false);
    assertThat(statements)
        .anySatisfy(
            ddl ->
                assertThat(ddl)
                    .startsWith("CREATE TABLE IF NOT EXISTS `obs`.`otel_traces` ON CLUSTER")
                    .endsWith("'otel_traces_local', cityHash64(TraceId))"));
    assertThat(statements)
        .as("the views read the local tables, so each shard fills its own lookup and rollups")
        .filteredOn(ddl -> ddl.startsWith("CREATE MATERIALIZED VIEW"))
        .isNotEmpty()
        .allSatisfy(ddl -> assertThat(ddl).containsPattern("FROM `obs`\\.`otel_[a-z_]+_local`"));
  }
}
