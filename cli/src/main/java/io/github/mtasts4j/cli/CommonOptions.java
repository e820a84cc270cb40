package io.github.mtasts4j.cli;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The options every command takes (issue #5, "Options every command takes"), mixed into each
 * subcommand with picocli's {@code @Mixin}.
 */
public final class CommonOptions {

  @Option(
      names = "--dns",
      paramLabel = "HOST[:PORT]",
      converter = Converters.DnsServer.class,
      description = {
        "Resolver for every DNS lookup (TXT, MX, A, AAAA, CNAME chains), repeatable;"
            + " IPv6 in brackets, e.g. [::1]:5353. Default: the system's resolvers."
      })
  List<InetSocketAddress> dns = new ArrayList<>();

  @Option(
      names = "--trust-anchors",
      paramLabel = "FILE",
      description =
          "PEM file of CA certificates trusted for the policy host (HTTPS) and MX hosts"
              + " (STARTTLS), instead of the JDK's default trust store.")
  @Nullable Path trustAnchors;

  @Option(
      names = "--smtp-port",
      paramLabel = "N",
      defaultValue = "25",
      converter = Converters.Port.class,
      description = "TCP port used to reach MX hosts (default: ${DEFAULT-VALUE}).")
  int smtpPort = 25;

  @Option(
      names = "--policy-port",
      paramLabel = "N",
      defaultValue = "443",
      hidden = true,
      converter = Converters.Port.class,
      description = "Tests and demo only: TCP port of policy hosts (RFC 8461 fixes 443).")
  int policyPort = 443;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Directory of the persistent policy cache: a policy fetched in one run stays in"
              + " effect in the next until its max_age ends. Default: in memory, this run only."
              + " send also records its TLS sessions in DIR/tlsrpt/ for report.")
  @Nullable Path stateDir;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "10",
      converter = Converters.Seconds.class,
      description = "Timeout per network operation, in seconds (default: ${DEFAULT-VALUE})."
          + " check gives the whole probe of one address 3 times this.")
  Duration timeout = Duration.ofSeconds(10);

  @Option(names = "--json", description = "Print one JSON object on stdout instead of text.")
  boolean json;

  @Option(
      names = {"-v", "--verbose"},
      description = "Print more detail, and stack traces for unexpected errors.")
  boolean verbose;
}
