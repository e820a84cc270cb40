package io.github.mtasts4j.cache;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Policy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Persistent storage for fetched policies, so a restarted sender keeps its downgrade protection
 * (RFC 8461 §10.2). {@link PolicyCache} loads every stored policy once when it is built, saves each
 * successfully fetched policy, and deletes a domain's policy when it is invalidated or found
 * expired. Implementations must be thread-safe; each call concerns one domain except {@link
 * #loadAll}.
 */
public interface PolicyStore {

  /**
   * One stored policy.
   *
   * @param domain the Policy Domain
   * @param policyId the TXT id the policy was fetched under
   * @param fetchedAt when it was fetched (whole seconds)
   * @param policy the parsed policy
   * @param body the policy file exactly as served, kept so it can be parsed again on load
   */
  record StoredPolicy(
      DomainName domain, String policyId, Instant fetchedAt, Policy policy, String body) {
    /** Validates the components. */
    public StoredPolicy {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(policyId, "policyId");
      Objects.requireNonNull(fetchedAt, "fetchedAt");
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(body, "body");
    }

    /** {@code fetchedAt + max_age}: the instant the policy stops applying. */
    public Instant expiresAt() {
      return fetchedAt.plusSeconds(policy.maxAgeSeconds());
    }
  }

  /**
   * A stored item that could not be read.
   *
   * @param location where it is, such as a file path
   * @param detail one line: what is wrong with it
   */
  record Problem(String location, String detail) {
    /** Validates the components. */
    public Problem {
      Objects.requireNonNull(location, "location");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * Reads every stored policy. An unreadable, truncated or corrupt item is skipped and reported to
   * {@code problems}; it never hides the other items.
   *
   * @throws IOException only when the store as a whole cannot be read
   */
  List<StoredPolicy> loadAll(Consumer<Problem> problems) throws IOException;

  /**
   * Reads the stored policy of one domain, or returns null when there is none. {@link PolicyCache}
   * calls it when a lookup finds nothing in memory (for example after the policy was evicted for
   * size), before going to the network. The default returns null: a store that does not override
   * it is read only by {@link #loadAll} at start.
   *
   * @param domain the Policy Domain
   * @return its stored policy, expired or not, or null
   * @throws IOException if the stored item exists but cannot be read or is corrupt
   */
  default @Nullable StoredPolicy load(DomainName domain) throws IOException {
    return null;
  }

  /** Saves {@code policy}, replacing any stored policy of the same domain, atomically. */
  void save(StoredPolicy policy) throws IOException;

  /** Deletes the stored policy of {@code domain}, if any. */
  void delete(DomainName domain) throws IOException;

  /** A store that keeps nothing (the default). */
  static PolicyStore none() {
    return NoStore.INSTANCE;
  }

  /**
   * A store keeping one file per domain in {@code directory} (created if missing), at most 10 000
   * files; see {@link #directory(Path, int)}.
   */
  static PolicyStore directory(Path directory) {
    return new DirectoryPolicyStore(directory, DirectoryPolicyStore.DEFAULT_MAX_ENTRIES);
  }

  /**
   * A store keeping one file per domain in {@code directory} (created if missing).
   *
   * <p>Each file is named {@code <domain>.policy} (only a validated {@link DomainName} becomes a
   * file name) and holds a short header (format version, domain, policy id, fetch time in epoch
   * seconds, body length and CRC-32) followed by the policy body as served. Writes go to a
   * temporary file in the same directory, are forced to disk, then atomically renamed over the old
   * file, so a crash leaves either the old or the new file. A file whose header, length or checksum
   * does not match is reported and skipped.
   *
   * <p>Size bound: when saving a new domain would exceed {@code maxEntries} files, the stored
   * policies that expire soonest are deleted first.
   *
   * @throws IllegalArgumentException if {@code maxEntries < 1}
   */
  static PolicyStore directory(Path directory, int maxEntries) {
    return new DirectoryPolicyStore(directory, maxEntries);
  }
}

enum NoStore implements PolicyStore {
  INSTANCE;

  @Override
  public List<StoredPolicy> loadAll(Consumer<Problem> problems) {
    return List.of();
  }

  @Override
  public void save(StoredPolicy policy) {}

  @Override
  public void delete(DomainName domain) {}
}
