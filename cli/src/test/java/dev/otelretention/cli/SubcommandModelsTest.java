package dev.otelretention.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The command line registers only the subcommand it runs; for every kind of argument list it
 * behaves as the command line with all subcommands registered.
 */
class SubcommandModelsTest {
  @Test
  void aSubcommandGetsOnlyItsOwnModel() {
    assertThat(subcommands("trace", "--files", "x", "0123")).containsExactly("trace");
    assertThat(subcommands("traces", "--limit", "5")).containsExactly("traces");
    assertThat(subcommands("replay", "--help")).containsExactly("replay");
    assertThat(subcommands("--version")).isEmpty();
    assertThat(subcommands("-V")).isEmpty();
  }

  @Test
  void helpCompletionAndOtherArgumentsGetAll() {
    for (String[] args :
        List.of(
            new String[0],
            new String[] {"--help"},
            new String[] {"-h", "trace"},
            new String[] {"-V", "trace"},
            new String[] {"generate-completion"},
            new String[] {"tracez"},
            new String[] {"Trace"})) {
      assertThat(subcommands(args))
          .as(String.join(" ", args))
          .containsExactlyElementsOf(CliRuns.SUBCOMMANDS);
    }
  }

  static Stream<List<String>> argumentLists() {
    return Stream.of(
        List.of(),
        List.of("--help"),
        List.of("-h"),
        List.of("--version"),
        List.of("-V"),
        List.of("-V", "trace"),
        List.of("-h", "trace"),
        List.of("trace", "-h"),
        List.of("traces", "-V"),
        List.of("generate-completion", "--version"),
        List.of("trace"),
        List.of("traces", "--nope"),
        List.of("traces", "--limit", "0", "--files", "no-such-directory"),
        List.of("retention", "--ttl", "7"),
        List.of("tracez"),
        List.of("Trace"),
        List.of("generate-completion"));
  }

  @ParameterizedTest
  @MethodSource("argumentLists")
  void behavesAsWithAllSubcommands(List<String> arguments) {
    String[] args = arguments.toArray(String[]::new);
    String[] lazy = CliRuns.run(args);
    String[] all = CliRuns.run(OtelRetentionCli.commandLine(new String[0]), args);
    assertThat(lazy).as("status, output and errors of " + arguments).containsExactly(all);
  }

  @Test
  void aMistypedSubcommandIsStillSuggested() {
    String[] typo = CliRuns.run("tracez");
    assertThat(typo[0]).isEqualTo("2");
    assertThat(typo[2])
        .contains("Unmatched argument at index 0: 'tracez'")
        .contains("Did you mean: otel-retention trace or otel-retention traces");
    assertThat(CliRuns.run("--help")[1]).contains("  generate-completion  ");
  }

  @Test
  void everySubcommandPrintsTheCommandsVersion() {
    String version = CliRuns.run("--version")[1];
    assertThat(version).startsWith("otel-retention ");
    for (String name : CliRuns.SUBCOMMANDS) {
      String[] result = CliRuns.run(name, "-V");
      assertThat(result[0]).as(name).isEqualTo("0");
      assertThat(result[1]).as(name).isEqualTo(version);
    }
  }

  private static List<String> subcommands(String... args) {
    return List.copyOf(OtelRetentionCli.commandLine(args).getSubcommands().keySet());
  }
}
