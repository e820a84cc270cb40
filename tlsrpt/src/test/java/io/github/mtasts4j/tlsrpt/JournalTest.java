package io.github.mtasts4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
  private static final LocalDate MONDAY = LocalDate.of(2026, 11, 23);
  private static final LocalDate TUESDAY = MONDAY.plusDays(1);

  @TempDir Path dir;

  private static Journal.Delta delta(LocalDate day, String domain, long successes) {
    return new Journal.Delta(
        day,
        domain,
        new Keys.PolicyKey(PolicyType.NO_POLICY_FOUND, List.of(), List.of()),
        successes,
        Map.of());
  }

  private static long successes(Journal journal, LocalDate day) {
    List<Journal.Delta> seen = new ArrayList<>();
    journal.replay(day, seen::add);
    return seen.stream().mapToLong(Journal.Delta::successes).sum();
  }

  @Test
  void aFailedWriteLeavesNothingBehind_soWritingTheSameDeltasAgainCountsThemOnce() throws Exception {
    Journal journal = new Journal(dir);
    journal.append(List.of(delta(MONDAY, "a.example", 1)));
    // Tuesday's journal cannot be written (a directory stands where the file goes).
    Files.createDirectory(journal.file(TUESDAY));
    List<Journal.Delta> batch = List.of(delta(MONDAY, "a.example", 5), delta(TUESDAY, "b.example", 7));

    assertThatThrownBy(() -> journal.append(batch)).isInstanceOf(UncheckedIOException.class);
    assertThat(successes(journal, MONDAY)).as("Monday's part of the failed batch is cut off").isEqualTo(1);

    Files.delete(journal.file(TUESDAY));
    journal.append(batch);
    Journal reopened = new Journal(dir);
    assertThat(successes(reopened, MONDAY)).isEqualTo(6);
    assertThat(successes(reopened, TUESDAY)).isEqualTo(7);
  }
}
