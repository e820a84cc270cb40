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
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only journal of counted sessions, one file of JSON lines per UTC day under {@code
 * <state>/journal/}. {@link #append} only enqueues (cheap, lock-free); {@link #flush} writes and
 * forces everything queued. The reporter flushes at least once per second, so a crash loses at most
 * the last second of sessions. A line that cannot be parsed (for example one cut short by a crash)
 * is skipped with a warning on replay.
 */
final class Journal {
  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final String SUFFIX = ".jsonl";

  /** One counted session. */
  record Entry(Instant at, String domain, PolicyKey policy, @Nullable FailureKey failure) {
    Entry {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(policy, "policy");
    }

    LocalDate day() {
      return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }
  }

  private final Path dir;
  private final ConcurrentLinkedQueue<Entry> queue = new ConcurrentLinkedQueue<>();
  private final java.util.Set<LocalDate> checked = new java.util.HashSet<>();

  Journal(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create journal directory " + dir, e);
    }
  }

  void append(Entry entry) {
    queue.offer(entry);
  }

  /** Writes and forces every queued entry. Safe to call from several threads. */
  synchronized void flush() {
    if (queue.isEmpty()) {
      return;
    }
    Map<LocalDate, StringBuilder> byDay = new TreeMap<>();
    Entry e;
    while ((e = queue.poll()) != null) {
      byDay.computeIfAbsent(e.day(), d -> new StringBuilder()).append(encode(e)).append('\n');
    }
    for (Map.Entry<LocalDate, StringBuilder> day : byDay.entrySet()) {
      Path file = file(day.getKey());
      try (FileChannel ch =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE)) {
        // Only flush() writes, under this object's lock, so positioning at the end is an append.
        ch.position(ch.size());
        if (checked.add(day.getKey())) {
          terminateLastLine(ch);
        }
        ByteBuffer buf = ByteBuffer.wrap(day.getValue().toString().getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(false);
      } catch (IOException ex) {
        throw new UncheckedIOException("cannot append to journal " + file, ex);
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

  /** Feeds every readable entry of {@code day} to {@code sink}; corrupt lines are skipped. */
  void replay(LocalDate day, Consumer<Entry> sink) {
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
        Entry entry = decode(line);
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

  static String encode(Entry e) {
    ObjectNode n = JSON.createObjectNode();
    n.put("t", e.at().toEpochMilli());
    n.put("d", e.domain());
    n.put("pt", e.policy().type().token());
    ArrayNode ps = n.putArray("ps");
    e.policy().strings().forEach(ps::add);
    ArrayNode mx = n.putArray("mx");
    e.policy().mxHosts().forEach(mx::add);
    FailureKey f = e.failure();
    if (f != null) {
      ObjectNode fn = n.putObject("f");
      fn.put("rt", f.resultType());
      putIf(fn, "sip", f.sendingMtaIp());
      putIf(fn, "mx", f.receivingMxHostname());
      putIf(fn, "helo", f.receivingMxHelo());
      putIf(fn, "rip", f.receivingIp());
      putIf(fn, "ai", f.additionalInformation());
      putIf(fn, "rc", f.failureReasonCode());
    }
    return n.toString();
  }

  private static void putIf(ObjectNode n, String name, @Nullable String value) {
    if (value != null) {
      n.put(name, value);
    }
  }

  static @Nullable Entry decode(String line) {
    try {
      JsonNode n = JSON.readTree(line);
      if (n == null || !n.isObject()) {
        return null;
      }
      JsonNode t = n.get("t");
      JsonNode d = n.get("d");
      PolicyType type = n.hasNonNull("pt") ? PolicyType.fromToken(n.get("pt").asText()) : null;
      if (t == null || !t.canConvertToLong() || d == null || !d.isTextual() || type == null) {
        return null;
      }
      List<String> ps = strings(n.get("ps"));
      List<String> mx = strings(n.get("mx"));
      if (ps == null || mx == null) {
        return null;
      }
      FailureKey failure = null;
      JsonNode f = n.get("f");
      if (f != null && !f.isNull()) {
        if (!f.isObject() || !f.hasNonNull("rt") || !f.get("rt").isTextual()) {
          return null;
        }
        failure =
            new FailureKey(
                f.get("rt").asText(),
                text(f, "sip"),
                text(f, "mx"),
                text(f, "helo"),
                text(f, "rip"),
                text(f, "ai"),
                text(f, "rc"));
      }
      return new Entry(
          Instant.ofEpochMilli(t.asLong()), d.asText(), new PolicyKey(type, ps, mx), failure);
    } catch (IOException | RuntimeException e) {
      return null;
    }
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
