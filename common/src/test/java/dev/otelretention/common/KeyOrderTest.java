package dev.otelretention.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The order of a map's entries: by key, the last of a repeated key kept, as a sorted map has it.
 */
class KeyOrderTest {
  @Test
  void ordersLikeASortedMapWhateverRunsTheKeysComeIn() {
    Random random = new Random(11);
    KeyOrder order = new KeyOrder();
    String[] alphabet = {"a", "b", "c", "d", "e", "f", "g", "h", "ab", "ba", "_x", "Z"};
    for (int round = 0; round < 2_000; round++) {
      int count = random.nextInt(40);
      String[] keys = new String[count];
      for (int i = 0; i < count; i++) {
        keys[i] = alphabet[random.nextInt(alphabet.length)];
      }
      if (round % 3 == 0) {
        // two sorted runs, as an SDK's attributes followed by fixed entries come
        Arrays.sort(keys, 0, count / 2);
        Arrays.sort(keys, count / 2, count);
      }
      TreeMap<String, Integer> expected = new TreeMap<>();
      for (int i = 0; i < count; i++) {
        expected.put(keys[i], i);
      }
      int kept = order.sort(keys, count);
      List<Integer> positions = new ArrayList<>();
      for (int i = 0; i < kept; i++) {
        positions.add(order.position(i));
      }
      assertThat(positions).isEqualTo(new ArrayList<>(expected.values()));
    }
  }

  @Test
  void theSameKeysAgainGiveTheSameOrderAndChangedKeysANewOne() {
    Random random = new Random(5);
    KeyOrder reused = new KeyOrder();
    String[] keys = {"b", "a", "c", "a", "d"};
    for (int round = 0; round < 3_000; round++) {
      int count = 1 + random.nextInt(keys.length);
      switch (random.nextInt(4)) {
        // an equal text in another object, another text, two keys swapped, or the same keys again
        case 0 -> keys[random.nextInt(keys.length)] = String.valueOf(keys[0].toCharArray());
        case 1 -> keys[random.nextInt(keys.length)] = "k" + random.nextInt(6);
        case 2 -> {
          int first = random.nextInt(keys.length);
          int second = random.nextInt(keys.length);
          String kept = keys[first];
          keys[first] = keys[second];
          keys[second] = kept;
        }
        default -> {}
      }
      KeyOrder fresh = new KeyOrder();
      int expected = fresh.sort(keys, count);
      assertThat(reused.sort(keys, count)).as("round %d", round).isEqualTo(expected);
      for (int i = 0; i < expected; i++) {
        assertThat(reused.position(i)).isEqualTo(fresh.position(i));
      }
    }
  }
}
