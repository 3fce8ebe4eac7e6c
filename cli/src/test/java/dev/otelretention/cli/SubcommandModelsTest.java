package dev.otelretention.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which subcommands' models the command line builds for a given command. */
class SubcommandModelsTest {
  private static final List<String> ALL =
      List.of(
          "report",
          "traces",
          "trace",
          "partitions",
          "checksums",
          "backup",
          "restore",
          "archive",
          "unarchive",
          "move",
          "drop",
          "retention",
          "replay",
          "generate-completion");

  @Test
  void aSubcommandGetsOnlyItsOwnModel() {
    assertThat(subcommands("trace", "--files", "x", "0123")).containsExactly("trace");
    assertThat(subcommands("traces", "--limit", "5")).containsExactly("traces");
    assertThat(subcommands("replay", "--help")).containsExactly("replay");
  }

  @Test
  void theVersionAloneGetsNone() {
    assertThat(subcommands("--version")).isEmpty();
    assertThat(subcommands("-V")).isEmpty();
    assertThat(subcommands("-V", "trace")).containsExactlyElementsOf(ALL);
    String[] version = CliRuns.run("--version");
    assertThat(version[0]).isEqualTo("0");
    assertThat(version[1]).startsWith("otel-retention ");
  }

  @Test
  void helpCompletionAndUnknownNamesGetAll() {
    assertThat(subcommands()).containsExactlyElementsOf(ALL);
    assertThat(subcommands("--help")).containsExactlyElementsOf(ALL);
    assertThat(subcommands("-h")).containsExactlyElementsOf(ALL);
    assertThat(subcommands("generate-completion")).containsExactlyElementsOf(ALL);
    assertThat(subcommands("tracez")).containsExactlyElementsOf(ALL);
    assertThat(subcommands("Trace")).containsExactlyElementsOf(ALL);
  }

  @Test
  void theCommandsBehaveAsWithAllModels() {
    String[] help = CliRuns.run("--help");
    assertThat(help[0]).isEqualTo("0");
    for (String name : ALL) {
      assertThat(help[1]).contains("  " + name + " ");
    }
    String[] typo = CliRuns.run("tracez");
    assertThat(typo[0]).isEqualTo("2");
    assertThat(typo[2]).contains("Unmatched argument at index 0: 'tracez'").contains("traces");
    String[] own = CliRuns.run("trace", "--help");
    assertThat(own[0]).isEqualTo("0");
    assertThat(own[1]).startsWith("Usage: otel-retention trace ");
    String[] missing = CliRuns.run("trace");
    assertThat(missing[0]).isEqualTo("2");
    assertThat(missing[2]).contains("Missing required parameter");
  }

  private static List<String> subcommands(String... args) {
    return List.copyOf(OtelRetentionCli.commandLine(args).getSubcommands().keySet());
  }
}
