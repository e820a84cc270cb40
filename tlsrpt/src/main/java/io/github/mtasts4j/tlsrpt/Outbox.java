package io.github.mtasts4j.tlsrpt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finalized reports and their delivery state, one JSON file per (day, policy domain) under {@code
 * <state>/outbox/<day>/}. Files are replaced atomically, and each delivery outcome is saved before
 * the next attempt, so a restart neither resends a delivered report nor forgets an undelivered one.
 * The report is stored as the exact JSON that is sent, so a retry repeats the same {@code report-id}.
 */
final class Outbox {
  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
  private static final ObjectMapper JSON =
      JsonMapper.builder().serializationInclusion(JsonInclude.Include.NON_NULL).build();

  /** Delivery state of one destination, or of the record lookup. */
  enum State {
    PENDING,
    /** Lookup only: the record was found and the destinations are known. */
    RESOLVED,
    DELIVERED,
    GAVE_UP,
    NOT_PUBLISHED
  }

  /** One rua destination; {@code lastError} of a delivered one is a note, or null. */
  record Destination(
      String uri,
      State state,
      int attempts,
      @Nullable Long firstAttemptMillis,
      long nextAttemptMillis,
      @Nullable String lastError) {}

  /**
   * One finalized report.
   *
   * @param day the UTC day
   * @param domain the policy domain
   * @param reportJson the report exactly as sent
   * @param lookupState PENDING until the TLSRPT record was looked up; NOT_PUBLISHED when absent;
   *     RESOLVED once destinations are known; GAVE_UP when the lookup kept failing
   * @param lookupAttempts failed lookups so far
   * @param firstLookupMillis the first lookup attempt
   * @param nextLookupMillis when to look up (again)
   * @param destinations one per usable rua URI
   */
  record Item(
      String day,
      String domain,
      String reportJson,
      State lookupState,
      int lookupAttempts,
      @Nullable Long firstLookupMillis,
      long nextLookupMillis,
      @Nullable String lookupError,
      List<Destination> destinations) {
    Item {
      Objects.requireNonNull(day, "day");
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(reportJson, "reportJson");
      Objects.requireNonNull(lookupState, "lookupState");
      destinations = destinations == null ? List.of() : List.copyOf(destinations);
    }

    LocalDate date() {
      return LocalDate.parse(day);
    }

    boolean done() {
      return switch (lookupState) {
        case NOT_PUBLISHED, GAVE_UP, DELIVERED -> true;
        case PENDING -> false;
        case RESOLVED -> destinations.stream().allMatch(d -> d.state() != State.PENDING);
      };
    }

    TlsReport report() {
      return TlsReport.parse(reportJson);
    }
  }

  private static final java.util.regex.Pattern SAFE_NAME =
      java.util.regex.Pattern.compile("[a-z0-9_-][a-z0-9_.-]{0,252}");

  private final Path dir;

  Outbox(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create outbox directory " + dir, e);
    }
  }

  boolean contains(LocalDate day, String domain) {
    return Files.exists(file(day, domain));
  }

  void save(Item item) {
    Path target = file(item.date(), item.domain());
    try {
      Files.createDirectories(target.getParent());
      Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
      Files.write(tmp, JSON.writeValueAsBytes(item));
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save report state " + target, e);
    }
  }

  /** Deletes an item and, when it was the last one, its day directory. */
  void delete(Item item) {
    Path f = file(item.date(), item.domain());
    try {
      Files.deleteIfExists(f);
      try (Stream<Path> rest = Files.list(f.getParent())) {
        if (rest.findAny().isEmpty()) {
          Files.deleteIfExists(f.getParent());
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot delete old TLS report state {}: {}", f, e.toString());
    }
  }

  @Nullable Item load(LocalDate day, String domain) {
    Path f = file(day, domain);
    return Files.exists(f) ? read(f) : null;
  }

  /** Every readable item; unreadable files are skipped with a warning. */
  List<Item> all() {
    List<Item> items = new ArrayList<>();
    try (Stream<Path> days = Files.list(dir)) {
      for (Path dayDir : days.sorted().toList()) {
        if (!Files.isDirectory(dayDir)) {
          continue;
        }
        try {
          LocalDate.parse(dayDir.getFileName().toString());
        } catch (DateTimeParseException e) {
          continue;
        }
        try (Stream<Path> files = Files.list(dayDir)) {
          for (Path f : files.sorted().toList()) {
            if (f.getFileName().toString().endsWith(".json")) {
              Item item = read(f);
              if (item != null) {
                items.add(item);
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list outbox " + dir, e);
    }
    return items;
  }

  List<Item> forDay(LocalDate day) {
    return all().stream().filter(i -> i.date().equals(day)).toList();
  }

  private @Nullable Item read(Path f) {
    try {
      return JSON.readValue(f.toFile(), Item.class);
    } catch (IOException | RuntimeException e) {
      LOG.warn("skipping unreadable TLS report state file {}", f);
      return null;
    }
  }

  private Path file(LocalDate day, String domain) {
    // Domain names are canonical A-labels; refuse anything else rather than trust it as a path.
    if (!SAFE_NAME.matcher(domain).matches()) {
      throw new IllegalArgumentException("not a canonical domain name: " + domain);
    }
    return dir.resolve(day.toString()).resolve(domain + ".json");
  }
}
