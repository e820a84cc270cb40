package io.github.mtasts4j.smtp;

/**
 * Receives one {@link TlsSessionEvent} per TLS session attempt, for SMTP TLS Reporting (RFC 8460).
 * Called on the delivering thread, possibly from several threads at once: implementations must be
 * thread-safe, fast, and must not throw (an exception is logged and ignored). Besides sessions
 * with an MX host, a policy that could not be fetched arrives as an event whose {@link
 * TlsSessionEvent#mxHost()} is null (see {@link TlsSessionEvent}).
 */
@FunctionalInterface
public interface TlsSessionListener {

  /** Handles one session attempt. */
  void onSession(TlsSessionEvent event);

  /** A listener that ignores every event. */
  static TlsSessionListener ignoring() {
    return event -> {};
  }
}
