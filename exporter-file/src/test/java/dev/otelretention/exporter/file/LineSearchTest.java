package dev.otelretention.exporter.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The block-wise search of the trace view against the plain reading of every line: matches cut by a
 * block's end, lines longer than a block, several matches in a line, ranges, and a last line the
 * writer has not finished.
 */
class LineSearchTest {
  private static final String ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final int BLOCK = 1 << 20;

  @TempDir Path dir;

  @Test
  void findsWhatReadingEveryLineFinds() throws Exception {
    Random random = new Random(7);
    for (int round = 0; round < 12; round++) {
      List<String> lines = new ArrayList<>();
      int total = 0;
      while (total < 3 * BLOCK) {
        // short lines, lines around a block and lines of several blocks
        int length =
            switch (random.nextInt(4)) {
              case 0 -> random.nextInt(200);
              case 1 -> BLOCK - 40 + random.nextInt(80);
              case 2 -> 2 * BLOCK + random.nextInt(1000);
              default -> random.nextInt(40_000);
            };
        StringBuilder line = filler(random, length);
        for (int mentions = random.nextInt(4) - 1; mentions > 0 && line.length() > 0; mentions--) {
          line.insert(random.nextInt(line.length() + 1), ID);
        }
        lines.add(line.toString());
        total += line.length() + 1;
      }
      Path file = write(String.join("\n", lines) + "\n");

      assertThat(search(file, 0, Long.MAX_VALUE)).isEqualTo(holding(lines));
    }
  }

  @Test
  void aMatchCutByTheBlockEndIsFound() throws Exception {
    for (int cut = 1; cut < ID.length(); cut++) {
      String before = "x".repeat(BLOCK - cut);
      String line = before + ID + "y";
      Path file = write("first\n" + line + "\nlast\n");

      assertThat(search(file, 0, Long.MAX_VALUE)).as("cut at %d", cut).containsExactly(line);
    }
  }

  @Test
  void aLineWithSeveralMatchesComesOnce() throws Exception {
    String line = "{\"traceId\":\"" + ID + "\",\"links\":[{\"traceId\":\"" + ID + "\"}]}";
    Path file = write("a\n" + line + "\nb " + ID + "\n");

    assertThat(search(file, 0, Long.MAX_VALUE)).containsExactly(line, "b " + ID);
  }

  @Test
  void onlyTheGivenRangeIsSearched() throws Exception {
    String first = "one " + ID;
    String second = "two " + ID;
    String third = "three " + ID;
    Path file = write(first + "\n" + second + "\n" + third + "\n");
    long from = first.length() + 1L;
    long to = from + second.length() + 1;

    assertThat(search(file, from, to)).containsExactly(second);
  }

  @Test
  void anUnfinishedLastLineIsCountedNotRead() throws Exception {
    Path file = write("done " + ID + "\nhalf written " + ID);
    List<String> found = new ArrayList<>();

    int unfinished = LineSearch.find(file, 0, Long.MAX_VALUE, ID, found::add);

    assertThat(found).containsExactly("done " + ID);
    assertThat(unfinished).isEqualTo(1);
    assertThat(LineSearch.find(write("whole " + ID + "\n"), 0, Long.MAX_VALUE, ID, found::add))
        .isZero();
  }

  @Test
  void textOutsideAsciiKeepsItsCharacters() throws Exception {
    String line = "{\"name\":\"größe — 注文\",\"traceId\":\"" + ID + "\"}";
    Path file = write("é\n" + line + "\n");

    assertThat(search(file, 0, Long.MAX_VALUE)).containsExactly(line);
  }

  private List<String> search(Path file, long from, long to) throws Exception {
    List<String> found = new ArrayList<>();
    assertThat(LineSearch.find(file, from, to, ID, found::add)).isZero();
    return found;
  }

  private static List<String> holding(List<String> lines) {
    return lines.stream().filter(line -> line.contains(ID)).toList();
  }

  /**
   * Text that cannot hold the id: hex digits and JSON, but never more than 8 hex digits in a row.
   */
  private static StringBuilder filler(Random random, int length) {
    String alphabet = "0123456789abcdef{}\":,[] xyz";
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(i % 9 == 8 ? 'x' : alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text;
  }

  private Path write(String text) throws Exception {
    Path file = Files.createTempFile(dir, "lines", ".jsonl");
    Files.write(file, text.getBytes(StandardCharsets.UTF_8));
    return file;
  }
}
