package io.github.mtasts4j.cache;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Policy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/** The file-per-domain store behind {@link PolicyStore#directory(Path, int)}. */
final class DirectoryPolicyStore implements PolicyStore {

  static final int DEFAULT_MAX_ENTRIES = 10_000;
  static final String SUFFIX = ".policy";
  static final String MAGIC = "mtasts4j-policy 1";
  private static final Pattern SAFE_NAME =
      Pattern.compile("[a-z0-9_](?:[a-z0-9_-]*)(?:\\.[a-z0-9_](?:[a-z0-9_-]*))*");
  private static final int MAX_FILE_BYTES = 128 * 1024;

  private final Path directory;
  private final int maxEntries;
  /** Expiry of every stored policy, for the size bound; null until first needed. */
  private @Nullable Map<DomainName, Instant> index;

  DirectoryPolicyStore(Path directory, int maxEntries) {
    this.directory = Objects.requireNonNull(directory, "directory");
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1, was " + maxEntries);
    }
    this.maxEntries = maxEntries;
  }

  @Override
  public synchronized List<StoredPolicy> loadAll(Consumer<Problem> problems) throws IOException {
    Files.createDirectories(directory);
    List<StoredPolicy> loaded = new ArrayList<>();
    Map<DomainName, Instant> fresh = new HashMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.startsWith(".") && name.endsWith(".tmp")) {
          // Left over by a crash between write and rename; the previous file is still intact.
          Files.deleteIfExists(file);
          continue;
        }
        if (!name.endsWith(SUFFIX)) {
          continue;
        }
        try {
          StoredPolicy policy = read(file);
          loaded.add(policy);
          fresh.put(policy.domain(), policy.expiresAt());
        } catch (IOException | RuntimeException e) {
          problems.accept(new Problem(file.toString(), describe(e)));
        }
      }
    }
    index = fresh;
    return loaded;
  }

  /** Not synchronized: files are replaced by atomic rename, so a reader sees old or new. */
  @Override
  public @Nullable StoredPolicy load(DomainName domain) throws IOException {
    Path file;
    try {
      file = fileOf(domain);
    } catch (IllegalArgumentException e) {
      return null; // never saved under such a name either
    }
    try {
      return read(file);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  @Override
  public synchronized void save(StoredPolicy policy) throws IOException {
    Files.createDirectories(directory);
    Map<DomainName, Instant> idx = index();
    Path target = fileOf(policy.domain());
    Path temp = directory.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (FileChannel channel =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(encode(policy));
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      syncDirectory();
    } finally {
      Files.deleteIfExists(temp);
    }
    idx.put(policy.domain(), policy.expiresAt());
    while (idx.size() > maxEntries) {
      DomainName victim = null;
      Instant soonest = null;
      for (Map.Entry<DomainName, Instant> e : idx.entrySet()) {
        if (!e.getKey().equals(policy.domain())
            && (soonest == null || e.getValue().isBefore(soonest))) {
          victim = e.getKey();
          soonest = e.getValue();
        }
      }
      if (victim == null) {
        break;
      }
      idx.remove(victim);
      Files.deleteIfExists(fileOf(victim));
    }
  }

  @Override
  public synchronized void delete(DomainName domain) throws IOException {
    Files.deleteIfExists(fileOf(domain));
    if (index != null) {
      index.remove(domain);
    }
  }

  @Override
  public String toString() {
    return "PolicyStore.directory(" + directory + ")";
  }

  private Map<DomainName, Instant> index() throws IOException {
    Map<DomainName, Instant> idx = index;
    if (idx == null) {
      loadAll(problem -> {});
      idx = Objects.requireNonNull(index);
    }
    return idx;
  }

  private Path fileOf(DomainName domain) {
    String value = domain.value();
    if (value.length() > 253 || !SAFE_NAME.matcher(value).matches()) {
      throw new IllegalArgumentException("not a storable domain name: " + value);
    }
    return directory.resolve(value + SUFFIX);
  }

  private void syncDirectory() {
    // Makes the rename durable on POSIX file systems; not possible everywhere (Windows).
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // best effort
    }
  }

  static byte[] encode(StoredPolicy policy) {
    byte[] body = policy.body().getBytes(StandardCharsets.UTF_8);
    CRC32 crc = new CRC32();
    crc.update(body);
    String header =
        MAGIC
            + "\ndomain: "
            + policy.domain().value()
            + "\nid: "
            + policy.policyId()
            + "\nfetched-at: "
            + policy.fetchedAt().getEpochSecond()
            + "\nbody-length: "
            + body.length
            + "\nbody-crc32: "
            + Long.toHexString(crc.getValue())
            + "\n\n";
    byte[] head = header.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  static StoredPolicy read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_FILE_BYTES) {
      throw new CorruptFileException("file is " + size + " bytes, more than any policy file");
    }
    byte[] bytes = Files.readAllBytes(file);
    int end = indexOfBlankLine(bytes);
    if (end < 0) {
      throw new CorruptFileException("header is incomplete (file truncated?)");
    }
    String[] lines = new String(bytes, 0, end, StandardCharsets.US_ASCII).split("\n", -1);
    if (!lines[0].equals(MAGIC)) {
      throw new CorruptFileException("first line is not '" + MAGIC + "'");
    }
    Map<String, String> fields = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(": ");
      if (colon < 0) {
        throw new CorruptFileException("header line " + (i + 1) + " is not 'key: value'");
      }
      fields.putIfAbsent(lines[i].substring(0, colon), lines[i].substring(colon + 2));
    }
    String domainText = required(fields, "domain");
    String fileName = file.getFileName().toString();
    if (!fileName.equals(domainText + SUFFIX)) {
      throw new CorruptFileException("header names domain '" + domainText + "'");
    }
    DomainName domain = new DomainName(domainText);
    String id = required(fields, "id");
    long fetchedAt;
    long length;
    long crcValue;
    try {
      fetchedAt = Long.parseLong(required(fields, "fetched-at"));
      length = Long.parseLong(required(fields, "body-length"));
      crcValue = Long.parseLong(required(fields, "body-crc32"), 16);
    } catch (NumberFormatException e) {
      throw new CorruptFileException("a numeric header field is malformed");
    }
    int bodyStart = end + 2;
    int actual = bytes.length - bodyStart;
    if (actual != length) {
      throw new CorruptFileException(
          "body is " + actual + " bytes, header says " + length + " (file truncated?)");
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, bodyStart, actual);
    if (crc.getValue() != crcValue) {
      throw new CorruptFileException("body checksum does not match");
    }
    String body = new String(bytes, bodyStart, actual, StandardCharsets.UTF_8);
    Policy policy = Policy.parse(body);
    return new StoredPolicy(domain, id, Instant.ofEpochSecond(fetchedAt), policy, body);
  }

  private static String required(Map<String, String> fields, String key)
      throws CorruptFileException {
    String value = fields.get(key);
    if (value == null || value.isEmpty()) {
      throw new CorruptFileException("header field '" + key + "' is missing");
    }
    return value;
  }

  private static int indexOfBlankLine(byte[] bytes) {
    for (int i = 0; i + 1 < bytes.length; i++) {
      if (bytes[i] == '\n' && bytes[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static String describe(Exception e) {
    if (e instanceof NoSuchFileException) {
      return "file vanished while loading";
    }
    if (e instanceof CorruptFileException) {
      return e.getMessage();
    }
    if (e instanceof IOException) {
      return "cannot read: " + e.getMessage();
    }
    String message = e.getMessage();
    return "invalid content: "
        + (message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(""));
  }

  /** A stored file that does not have the expected shape. */
  static final class CorruptFileException extends IOException {
    CorruptFileException(String message) {
      super(message);
    }
  }
}
