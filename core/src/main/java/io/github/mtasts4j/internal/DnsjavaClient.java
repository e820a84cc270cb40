package io.github.mtasts4j.internal;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.spi.DnsAnswer;
import io.github.mtasts4j.spi.DnsClient;
import io.github.mtasts4j.spi.MxHost;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * {@link DnsClient} on dnsjava. Not API.
 *
 * <p>Each instance owns its {@link SimpleResolver}s (one per server, nothing static or shared) and
 * sends raw queries for absolute names, so no search path, hosts file or cache is involved. UDP is
 * tried first; {@link SimpleResolver} repeats a truncated answer over TCP. Every public call has
 * one deadline of {@code timeout × attempts}: servers are tried in turn, each attempt waiting at
 * most {@code timeout} and never beyond the deadline. CNAME chains are followed inside an answer
 * and, when the recursive server did not chase them, by new queries, up to {@value
 * #MAX_CNAME_DEPTH} links; a loop or a longer chain is an error.
 */
public final class DnsjavaClient implements DnsClient {
  private static final Logger LOG = LoggerFactory.getLogger(DnsjavaClient.class);

  /** The longest CNAME chain followed. */
  static final int MAX_CNAME_DEPTH = 8;

  /** Attempts per server when the caller does not say. */
  static final int DEFAULT_ATTEMPTS_PER_SERVER = 2;

  private static final Duration SYSTEM_TIMEOUT = Duration.ofSeconds(5);

  private final List<SimpleResolver> resolvers;
  private final Duration timeout;
  private final int attempts;

  private DnsjavaClient(List<InetSocketAddress> servers, Duration timeout, int attempts) {
    Objects.requireNonNull(servers, "servers");
    Objects.requireNonNull(timeout, "timeout");
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("at least one DNS server is needed");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("DNS timeout must be positive: " + timeout);
    }
    if (attempts < 1) {
      throw new IllegalArgumentException("DNS attempts must be >= 1: " + attempts);
    }
    List<SimpleResolver> list = new ArrayList<>();
    for (InetSocketAddress server : servers) {
      Objects.requireNonNull(server, "server");
      SimpleResolver resolver = new SimpleResolver(server);
      resolver.setTimeout(timeout);
      list.add(resolver);
    }
    this.resolvers = List.copyOf(list);
    this.timeout = timeout;
    this.attempts = attempts;
  }

  /** See {@link DnsClient#system()}. */
  public static DnsClient system() {
    // A fresh ResolverConfig reads the system configuration without touching dnsjava's defaults.
    List<InetSocketAddress> servers = new ResolverConfig().servers();
    if (servers.isEmpty()) {
      servers = List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 53));
    }
    return new DnsjavaClient(
        servers, SYSTEM_TIMEOUT, DEFAULT_ATTEMPTS_PER_SERVER * servers.size());
  }

  /** See {@link DnsClient#servers(List, Duration)}. */
  public static DnsClient servers(List<InetSocketAddress> servers, Duration timeout) {
    Objects.requireNonNull(servers, "servers");
    return new DnsjavaClient(servers, timeout, DEFAULT_ATTEMPTS_PER_SERVER * servers.size());
  }

  /**
   * A client asking {@code servers} in turn, {@code attempts} sends in all, each waiting at most
   * {@code timeout}.
   */
  public static DnsClient servers(List<InetSocketAddress> servers, Duration timeout, int attempts) {
    return new DnsjavaClient(servers, timeout, attempts);
  }

  @Override
  public DnsAnswer<String> txt(DomainName name) {
    return lookup(name, Type.TXT, newDeadline(), DnsjavaClient::txtValue);
  }

  @Override
  public DnsAnswer<MxHost> mx(DomainName name) {
    boolean[] nullMx = {false};
    DnsAnswer<MxHost> answer =
        lookup(name, Type.MX, newDeadline(), r -> mxValue(r, () -> nullMx[0] = true));
    if (answer instanceof DnsAnswer.NotFound<MxHost> notFound
        && notFound.unusable()
        && nullMx[0]) {
      return new DnsAnswer.NotFound<>(
          false, "null MX (RFC 7505) for " + name.value() + ": the domain accepts no mail", true);
    }
    if (answer instanceof DnsAnswer.Found<MxHost> found) {
      List<MxHost> sorted = new ArrayList<>(found.records());
      sorted.sort(Comparator.comparingInt(MxHost::preference)); // List.sort is stable
      return new DnsAnswer.Found<>(sorted, found.ttl());
    }
    return answer;
  }

  @Override
  public DnsAnswer<InetAddress> addresses(DomainName name) {
    long deadline = newDeadline();
    DnsAnswer<InetAddress> a = lookup(name, Type.A, deadline, r -> address(name, r));
    DnsAnswer<InetAddress> aaaa = lookup(name, Type.AAAA, deadline, r -> address(name, r));
    List<InetAddress> all = new ArrayList<>();
    Duration ttl = null;
    for (DnsAnswer<InetAddress> answer : List.of(a, aaaa)) {
      if (answer instanceof DnsAnswer.Found<InetAddress> found) {
        all.addAll(found.records());
        ttl = ttl == null || found.ttl().compareTo(ttl) < 0 ? found.ttl() : ttl;
      }
    }
    if (!all.isEmpty()) {
      if (a instanceof DnsAnswer.Error<InetAddress> e) {
        LOG.debug("using AAAA records only: {}", e.detail());
      } else if (aaaa instanceof DnsAnswer.Error<InetAddress> e) {
        LOG.debug("using A records only: {}", e.detail());
      }
      return new DnsAnswer.Found<>(all, ttl);
    }
    if (a instanceof DnsAnswer.Error<InetAddress>) {
      return a;
    }
    if (aaaa instanceof DnsAnswer.Error<InetAddress>) {
      return aaaa;
    }
    boolean nxdomain =
        ((DnsAnswer.NotFound<InetAddress>) a).nxdomain()
            && ((DnsAnswer.NotFound<InetAddress>) aaaa).nxdomain();
    return new DnsAnswer.NotFound<>(
        nxdomain,
        (nxdomain ? "NXDOMAIN" : "no A or AAAA record") + " for " + name.value());
  }

  private long newDeadline() {
    return System.nanoTime() + timeout.toNanos() * attempts;
  }

  /** Converts one record of the requested type, or returns null to skip it. */
  @FunctionalInterface
  private interface Converter<T> {
    T convert(Record record);
  }

  private <T> DnsAnswer<T> lookup(
      DomainName queried, int type, long deadline, Converter<T> converter) {
    String typeName = Type.string(type);
    Name current;
    try {
      current = Name.fromString(queried.value() + ".");
    } catch (TextParseException e) {
      return new DnsAnswer.Error<>(typeName + " lookup for " + queried + ": not a DNS name");
    }
    Set<Name> visited = new HashSet<>();
    visited.add(current);
    long minTtl = Long.MAX_VALUE;
    int links = 0;
    while (true) {
      Message response;
      try {
        response = send(current, type, deadline);
      } catch (DnsFailure e) {
        return new DnsAnswer.Error<>(
            typeName + " lookup for " + describe(queried, current) + " failed: " + e.getMessage());
      }
      // Follow the CNAMEs the server put in the answer, then look for the records at the end.
      Map<Name, CNAMERecord> cnames = new HashMap<>();
      for (Record record : response.getSection(Section.ANSWER)) {
        if (record instanceof CNAMERecord cname) {
          cnames.putIfAbsent(cname.getName(), cname);
        }
      }
      boolean advanced = false;
      CNAMERecord link;
      while ((link = cnames.get(current)) != null && type != Type.CNAME) {
        Name target = link.getTarget();
        if (!visited.add(target)) {
          return new DnsAnswer.Error<>(
              typeName + " lookup for " + queried + " failed: CNAME loop at " + target);
        }
        if (++links > MAX_CNAME_DEPTH) {
          return new DnsAnswer.Error<>(
              typeName + " lookup for " + queried + " failed: more than " + MAX_CNAME_DEPTH
                  + " CNAMEs");
        }
        minTtl = Math.min(minTtl, link.getTTL());
        current = target;
        advanced = true;
      }
      List<T> values = new ArrayList<>();
      long answerTtl = Long.MAX_VALUE;
      for (Record record : response.getSection(Section.ANSWER)) {
        if (record.getType() == type && record.getName().equals(current)) {
          T value = converter.convert(record);
          if (value != null) {
            values.add(value);
          }
          answerTtl = Math.min(answerTtl, record.getTTL());
        }
      }
      if (answerTtl != Long.MAX_VALUE) {
        if (values.isEmpty()) {
          return new DnsAnswer.NotFound<>(
              false, "no usable " + typeName + " record for " + describe(queried, current), true);
        }
        return new DnsAnswer.Found<>(values, Duration.ofSeconds(Math.min(minTtl, answerTtl)));
      }
      int rcode = response.getRcode();
      if (rcode == Rcode.NXDOMAIN) {
        return new DnsAnswer.NotFound<>(
            true, "NXDOMAIN for " + describe(queried, current) + " " + typeName);
      }
      if (rcode != Rcode.NOERROR) {
        return new DnsAnswer.Error<>(
            typeName + " lookup for " + describe(queried, current) + " failed: "
                + Rcode.string(rcode));
      }
      if (!advanced) {
        return new DnsAnswer.NotFound<>(
            false, "no " + typeName + " record for " + describe(queried, current));
      }
      // The answer ended in a CNAME whose target it does not cover: the server may not have
      // chased it, so ask for the target ourselves (bounded by MAX_CNAME_DEPTH and the deadline).
    }
  }

  private static String describe(DomainName queried, Name current) {
    String target = current.toString(true);
    return target.equalsIgnoreCase(queried.value())
        ? queried.value()
        : queried.value() + " (via CNAME " + target + ")";
  }

  private Message send(Name name, int type, long deadline) throws DnsFailure {
    Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    String lastProblem = "no server answered";
    for (int attempt = 0; attempt < attempts; attempt++) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        break;
      }
      SimpleResolver resolver = resolvers.get(attempt % resolvers.size());
      long wait = Math.min(remaining, timeout.toNanos());
      CompletableFuture<Message> future = resolver.sendAsync(query).toCompletableFuture();
      try {
        Message response = future.get(wait, TimeUnit.NANOSECONDS);
        int rcode = response.getRcode();
        if ((rcode == Rcode.SERVFAIL || rcode == Rcode.REFUSED)
            && attempt + 1 < attempts
            && resolvers.size() > 1) {
          // Another server may do better; a single server would only repeat itself.
          lastProblem = Rcode.string(rcode) + " from " + resolver.getAddress();
          continue;
        }
        return response;
      } catch (TimeoutException e) {
        future.cancel(true);
        lastProblem = "timed out waiting for " + resolver.getAddress();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        lastProblem = oneLine(cause) + " from " + resolver.getAddress();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        future.cancel(true);
        throw new DnsFailure("interrupted");
      }
      LOG.debug("DNS attempt {} for {} {}: {}", attempt + 1, name, Type.string(type), lastProblem);
    }
    throw new DnsFailure(lastProblem);
  }

  private static String oneLine(Throwable t) {
    String kind = t instanceof IOException ? "I/O error" : t.getClass().getSimpleName();
    String message = t.getMessage();
    return message == null ? kind : kind + ": " + message.replaceAll("\\s+", " ");
  }

  private static String txtValue(Record record) {
    StringBuilder sb = new StringBuilder();
    for (byte[] part : ((TXTRecord) record).getStringsAsByteArrays()) {
      sb.append(new String(part, StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  private static MxHost mxValue(Record record, Runnable onNullMx) {
    MXRecord mx = (MXRecord) record;
    String target = mx.getTarget().toString(true);
    if (target.isEmpty() || target.equals(".")) {
      LOG.debug("skipping null MX at {}", mx.getName());
      onNullMx.run();
      return null;
    }
    try {
      return new MxHost(DomainName.of(target), mx.getPriority());
    } catch (IllegalArgumentException e) {
      LOG.debug("skipping MX {} at {}: {}", target, mx.getName(), e.getMessage());
      return null;
    }
  }

  private static InetAddress address(DomainName name, Record record) {
    InetAddress raw =
        record instanceof ARecord a ? a.getAddress() : ((AAAARecord) record).getAddress();
    try {
      return InetAddress.getByAddress(name.value(), raw.getAddress());
    } catch (UnknownHostException e) {
      throw new IllegalStateException("address of impossible length", e);
    }
  }

  /** A failed exchange with every server, with a one-line reason. */
  private static final class DnsFailure extends Exception {
    private static final long serialVersionUID = 1L;

    DnsFailure(String message) {
      super(message, null, false, false);
    }
  }

  @Override
  public String toString() {
    List<String> addresses = new ArrayList<>();
    for (SimpleResolver r : resolvers) {
      addresses.add(String.valueOf(r.getAddress()));
    }
    return "DnsjavaClient" + addresses + " timeout=" + timeout + " attempts=" + attempts;
  }
}
