package io.github.mtasts4j;

/** Where an {@link Resolution.Active} policy came from. */
public enum Source {
  /** Fetched over HTTPS during this resolution. */
  FETCHED("fetched"),
  /** Served from the cache; the TXT record still announces the same policy id. */
  CACHE("cache"),
  /**
   * Served from the cache because no live policy could be obtained (DNS or HTTPS failed, or the
   * record vanished): RFC 8461 §3.3 requires applying the cached policy.
   */
  CACHE_FALLBACK("cache-fallback");

  private final String token;

  Source(String token) {
    this.token = token;
  }

  /** Returns the spelling used in the CLI's JSON, such as {@code cache-fallback}. */
  public String token() {
    return token;
  }
}
