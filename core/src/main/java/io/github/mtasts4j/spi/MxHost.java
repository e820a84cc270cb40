package io.github.mtasts4j.spi;

import io.github.mtasts4j.DomainName;
import java.util.Objects;

/**
 * One MX record: the exchange host and its preference (lower is tried first).
 *
 * @param host the exchange host name
 * @param preference the MX preference, 0..65535
 */
public record MxHost(DomainName host, int preference) {
  /** Validates the components. */
  public MxHost {
    Objects.requireNonNull(host, "host");
    if (preference < 0 || preference > 65535) {
      throw new IllegalArgumentException("MX preference out of range: " + preference);
    }
  }
}
