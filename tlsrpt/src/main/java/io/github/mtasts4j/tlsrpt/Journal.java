package io.github.mtasts4j.tlsrpt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mtasts4j.tlsrpt.Keys.FailureKey;
import io.github.mtasts4j.tlsrpt.Keys.PolicyKey;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only journal of counts, one file of JSON lines per UTC day under {@code
 * <state>/journal/}. Each line is a delta: the sessions of one policy domain under one policy
 * counted since the previous write, successes and failure groups. {@link #append} writes and forces
 * a batch of deltas; the reporter calls it at least once per second, so a crash loses at most the
 * last second of sessions. Replaying a day adds its lines up. A line that cannot be parsed (for
 * example one cut short by a crash) is skipped with a warning.
 */
final class Journal {
  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final String SUFFIX = ".jsonl";

  /**
   * Sessions counted for one policy domain and policy on one UTC day.
   *
   * @param successes successful sessions, at least 0
   * @param failures failed sessions per failure group, each at least 1
   */
  record Delta(
      LocalDate day, String domain, PolicyKey policy, long successes, Map<FailureKey, Long> failures) {
    Delta {
      Objects.requireNonNull(day, "day");
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(policy, "policy");
      failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    }
  }

  private final Path dir;
  private final java.util.Set<LocalDate> checked = new java.util.HashSet<>();

  Journal(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create journal directory " + dir, e);
    }
  }

  /**
   * Writes and forces {@code deltas}, all or nothing: when a write fails, what this call already
   * wrote is cut off again, so that the caller, which writes the same deltas again next time, never
   * counts them twice. Safe to call from several threads.
   */
  synchronized void append(List<Delta> deltas) {
    if (deltas.isEmpty()) {
      return;
    }
    Map<LocalDate, StringBuilder> byDay = new TreeMap<>();
    for (Delta d : deltas) {
      byDay.computeIfAbsent(d.day(), k -> new StringBuilder()).append(encode(d)).append('\n');
    }
    Map<Path, Long> sizesBefore = new LinkedHashMap<>();
    for (Map.Entry<LocalDate, StringBuilder> day : byDay.entrySet()) {
      Path file = file(day.getKey());
      try (FileChannel ch =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE)) {
        // Only append() writes, under this object's lock, so positioning at the end is an append.
        ch.position(ch.size());
        if (checked.add(day.getKey())) {
          terminateLastLine(ch);
        }
        sizesBefore.put(file, ch.position());
        ByteBuffer buf = ByteBuffer.wrap(day.getValue().toString().getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(false);
      } catch (IOException ex) {
        rollBack(sizesBefore);
        throw new UncheckedIOException("cannot append to journal " + file, ex);
      }
    }
  }

  private static void rollBack(Map<Path, Long> sizesBefore) {
    for (Map.Entry<Path, Long> written : sizesBefore.entrySet()) {
      try (FileChannel ch = FileChannel.open(written.getKey(), StandardOpenOption.WRITE)) {
        ch.truncate(written.getValue());
        ch.force(false);
      } catch (IOException e) {
        LOG.warn(
            "cannot cut the failed write off {}; its counts may be replayed twice: {}",
            written.getKey(),
            e.toString());
      }
    }
  }

  /**
   * A crash in the middle of a write can leave a last line without its newline; end it, so that
   * the next entry does not get glued onto (and lost with) the broken one.
   */
  private static void terminateLastLine(FileChannel ch) throws IOException {
    long size = ch.size();
    if (size == 0) {
      return;
    }
    ByteBuffer last = ByteBuffer.allocate(1);
    ch.read(last, size - 1);
    if (last.get(0) != '\n') {
      ch.write(ByteBuffer.wrap(new byte[] {'\n'}), size);
      ch.position(size + 1);
    }
  }

  /** The days that have a journal file. */
  List<LocalDate> days() {
    List<LocalDate> days = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(
          f -> {
            String name = f.getFileName().toString();
            if (name.endsWith(SUFFIX)) {
              try {
                days.add(LocalDate.parse(name.substring(0, name.length() - SUFFIX.length())));
              } catch (DateTimeParseException ignored) {
                LOG.warn("ignoring unexpected file {} in the TLS report journal", f);
              }
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list journal " + dir, e);
    }
    days.sort(null);
    return days;
  }

  /** Feeds every readable delta of {@code day} to {@code sink}; corrupt lines are skipped. */
  void replay(LocalDate day, Consumer<Delta> sink) {
    Path file = file(day);
    int lineNo = 0;
    int skipped = 0;
    // InputStreamReader replaces undecodable bytes, so one damaged line cannot hide the rest.
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        Delta entry = decode(line);
        if (entry == null || !entry.day().equals(day)) {
          skipped++;
          LOG.warn("skipping corrupt TLS report journal entry at {}:{}", file, lineNo);
          continue;
        }
        sink.accept(entry);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read journal " + file, e);
    }
    LOG.debug("replayed {} lines of {} ({} skipped)", lineNo, file, skipped);
  }

  void delete(LocalDate day) {
    try {
      Files.deleteIfExists(file(day));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete journal " + file(day), e);
    }
  }

  Path file(LocalDate day) {
    return dir.resolve(day + SUFFIX);
  }

  static String encode(Delta e) {
    ObjectNode n = JSON.createObjectNode();
    n.put("day", e.day().toString());
    n.put("d", e.domain());
    n.put("pt", e.policy().type().token());
    ArrayNode ps = n.putArray("ps");
    e.policy().strings().forEach(ps::add);
    ArrayNode mx = n.putArray("mx");
    e.policy().mxHosts().forEach(mx::add);
    if (e.successes() > 0) {
      n.put("s", e.successes());
    }
    if (!e.failures().isEmpty()) {
      ArrayNode fs = n.putArray("f");
      for (Map.Entry<FailureKey, Long> entry : e.failures().entrySet()) {
        FailureKey f = entry.getKey();
        ObjectNode fn = fs.addObject();
        fn.put("rt", f.resultType());
        putIf(fn, "sip", f.sendingMtaIp());
        putIf(fn, "mx", f.receivingMxHostname());
        putIf(fn, "helo", f.receivingMxHelo());
        putIf(fn, "rip", f.receivingIp());
        putIf(fn, "ai", f.additionalInformation());
        putIf(fn, "rc", f.failureReasonCode());
        fn.put("n", entry.getValue());
      }
    }
    return n.toString();
  }

  private static void putIf(ObjectNode n, String name, @Nullable String value) {
    if (value != null) {
      n.put(name, value);
    }
  }

  static @Nullable Delta decode(String line) {
    try {
      JsonNode n = JSON.readTree(line);
      if (n == null || !n.isObject()) {
        return null;
      }
      JsonNode day = n.get("day");
      JsonNode d = n.get("d");
      PolicyType type = n.hasNonNull("pt") ? PolicyType.fromToken(n.get("pt").asText()) : null;
      if (day == null || !day.isTextual() || d == null || !d.isTextual() || type == null) {
        return null;
      }
      List<String> ps = strings(n.get("ps"));
      List<String> mx = strings(n.get("mx"));
      long successes = count(n.get("s"), 0);
      if (ps == null || mx == null || successes < 0) {
        return null;
      }
      Map<FailureKey, Long> failures = new LinkedHashMap<>();
      JsonNode fs = n.get("f");
      if (fs != null) {
        if (!fs.isArray()) {
          return null;
        }
        for (JsonNode f : fs) {
          long count = count(f.get("n"), -1);
          if (!f.isObject() || !f.hasNonNull("rt") || !f.get("rt").isTextual() || count < 1) {
            return null;
          }
          FailureKey key =
              new FailureKey(
                  f.get("rt").asText(),
                  text(f, "sip"),
                  text(f, "mx"),
                  text(f, "helo"),
                  text(f, "rip"),
                  text(f, "ai"),
                  text(f, "rc"));
          failures.merge(key, count, Long::sum);
        }
      }
      return new Delta(
          LocalDate.parse(day.asText()), d.asText(), new PolicyKey(type, ps, mx), successes, failures);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** A non-negative integer count, {@code absent} when missing, -1 when malformed. */
  private static long count(@Nullable JsonNode n, long absent) {
    if (n == null) {
      return absent;
    }
    return n.isIntegralNumber() && n.canConvertToLong() && n.asLong() >= 0 ? n.asLong() : -1;
  }

  private static @Nullable String text(JsonNode n, String name) {
    JsonNode v = n.get(name);
    return v == null || !v.isTextual() ? null : v.asText();
  }

  private static @Nullable List<String> strings(@Nullable JsonNode array) {
    if (array == null || !array.isArray()) {
      return null;
    }
    List<String> out = new ArrayList<>(array.size());
    for (JsonNode s : array) {
      if (!s.isTextual()) {
        return null;
      }
      out.add(s.asText());
    }
    return out;
  }
}
