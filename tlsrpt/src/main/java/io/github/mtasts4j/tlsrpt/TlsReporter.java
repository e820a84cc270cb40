package io.github.mtasts4j.tlsrpt;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Mode;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.spi.DnsClient;
import io.github.mtasts4j.tlsrpt.Aggregator.Bucket;
import io.github.mtasts4j.tlsrpt.Outbox.Destination;
import io.github.mtasts4j.tlsrpt.Outbox.Item;
import io.github.mtasts4j.tlsrpt.Outbox.State;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects TLS session results and sends one RFC 8460 report per policy domain per UTC day.
 *
 * <p>{@link #record(SessionResult)} is cheap and thread-safe: it bumps in-memory counters per
 * policy domain, UTC day and policy, without a lock shared across domains and, once a domain's
 * policy and failure kind have been seen that day, without allocating. {@link #tick()} does the
 * rest at the clock's current instant: it journals the counts recorded since its last run,
 * finalizes every finished day once its random delay (RPT-12) has passed, looks up each domain's
 * {@code _smtp._tls} record and delivers to every {@code rua} URI, retrying with exponential
 * back-off for up to 24 hours (RPT-35). {@link #start()} calls {@code tick()} every second on a
 * daemon thread; tests call it directly with a fake clock.
 *
 * <p><b>Durability.</b> Everything lives in the state directory: the journal of counts (replayed
 * on start, so counts continue after a restart), the finalized reports with their delivery state
 * (so nothing is sent twice or forgotten), and the last finalized day. Recording writes nothing;
 * the counts recorded since the last write are journaled (and forced to disk) by every {@link
 * #tick()}, {@link #flush()} and {@link #close()}, so while {@link #start() started} a crash loses
 * at most the last second of session results, never a day. An application that drives {@code
 * tick()} itself owns that bound. A corrupt journal line is skipped with a warning. Only one
 * reporter may use a state directory at a time. Finished reports are kept for 30 days, then
 * deleted.
 *
 * <p><b>What is reported.</b> Sessions under a {@code mode: none} policy count only as successes;
 * their failures are not reported (RFC 8461 §6, STS-69), so such a domain's report never has
 * failure details. Sessions are assigned to the UTC day of {@link SessionResult#at()}; a result
 * for a day already finalized is dropped. The report's {@code date-range} runs from {@code
 * 00:00:00Z} to {@code 23:59:59Z} of that day, as in the RFC's example. The sessions that carry
 * mailed reports are not subject to MTA-STS and are never counted (RPT-9).
 */
public final class TlsReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TlsReporter.class);
  private static final Duration MAX_BACKOFF = Duration.ofHours(8);
  private static final long SECONDS_PER_DAY = 86_400;

  private final String organizationName;
  private final String contactInfo;
  private final String submitter;
  private final java.time.InstantSource clock;
  private final DnsClient dns;
  private final RandomGenerator random;
  private final Duration maxDelay;
  private final Duration retryWindow;
  private final Duration initialBackoff;
  private final Supplier<String> reportIds;
  private final HttpsSender https;
  private final @Nullable MailSender mail;

  private final Aggregator aggregator = new Aggregator();
  private final Journal journal;
  private final Outbox outbox;
  private final Path watermarkFile;
  private volatile @Nullable LocalDate finalizedThrough;
  /** {@link #finalizedThrough} as an epoch day, {@link Long#MIN_VALUE} for none: read per record. */
  private volatile long finalizedThroughDay = Long.MIN_VALUE;
  /** Serializes journal writes, so that a delta is read, written and marked journaled once. */
  private final Object flushLock = new Object();
  private final Map<LocalDate, Duration> delays = new ConcurrentHashMap<>();
  private final Map<String, Item> open = new ConcurrentHashMap<>();
  private final Object work = new Object();
  private @Nullable ScheduledExecutorService scheduler;
  private @Nullable LocalDate lastCleanup;
  /** Finished reports are kept this many days for {@link #pending} and {@link #deliveries}. */
  static final int RETENTION_DAYS = 30;

  private TlsReporter(Builder b) {
    this.organizationName = Objects.requireNonNull(b.organizationName, "organizationName not set");
    this.contactInfo = Objects.requireNonNull(b.contactInfo, "contactInfo not set");
    this.submitter = Keys.domain(contactInfo.substring(contactInfo.lastIndexOf('@') + 1)).value();
    Path state = Objects.requireNonNull(b.stateDirectory, "stateDirectory not set");
    this.clock = b.clock;
    this.dns = b.dns != null ? b.dns : DnsClient.system();
    this.random = b.random;
    this.maxDelay = b.maxDelay;
    this.retryWindow = b.retryWindow;
    this.initialBackoff = b.initialBackoff;
    this.reportIds =
        b.reportIds != null ? b.reportIds : () -> UUID.randomUUID() + "@" + submitter;
    SSLContext ssl = b.sslContext != null ? b.sslContext : defaultSsl();
    this.https = new HttpsSender(ssl, b.timeout, b.deliveryDeadline, dns);
    this.mail =
        b.dkim == null
            ? null
            : new MailSender(
                dns,
                b.dkim,
                b.mailFrom != null ? b.mailFrom : contactInfo,
                submitter,
                b.heloName != null ? b.heloName : submitter,
                new MailSender.Route(b.relayHost, b.smtpPort),
                ssl,
                b.timeout,
                b.deliveryDeadline);
    this.journal = new Journal(state.resolve("journal"));
    this.outbox = new Outbox(state.resolve("outbox"));
    this.watermarkFile = state.resolve("finalized-through");
    recover();
  }

  private static SSLContext defaultSsl() {
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no default TLS context", e);
    }
  }

  /**
   * Returns a new builder.
   *
   * @return the builder
   */
  public static Builder newBuilder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- recording (delivery path)

  /**
   * Counts one session in memory; the next {@link #tick()} or {@link #flush()} journals it.
   * Thread-safe and cheap: no lock shared across domains, no I/O, and no allocation once the
   * domain's {@link Policy} instance (and, for a failure, the same failure details) has been seen
   * that day. Never throws for a valid result. A {@code mode: none} failure is dropped (STS-69), as
   * is a result for a day already finalized.
   *
   * @param result the session outcome
   */
  public void record(SessionResult result) {
    Objects.requireNonNull(result, "result");
    Policy policy = result.policy();
    if (result.failure() != null && policy != null && policy.mode() == Mode.NONE) {
      return;
    }
    long day = Math.floorDiv(result.at().getEpochSecond(), SECONDS_PER_DAY);
    if (day <= finalizedThroughDay) {
      LOG.debug("dropping a session of {} for {}: that day's reports are final", result.policyDomain(), LocalDate.ofEpochDay(day));
      return;
    }
    aggregator.add(result, day);
  }

  // ---------------------------------------------------------------- scheduled work

  /**
   * Journals the counts recorded since the last write and forces them to disk. {@link #tick()}
   * and {@link #close()} do this too.
   */
  public void flush() {
    synchronized (flushLock) {
      Aggregator.Pending pending = aggregator.unjournaled();
      try {
        journal.append(pending.deltas());
      } catch (RuntimeException e) {
        pending.abort(); // written again, whole, by the next flush
        throw e;
      }
      pending.commit();
    }
  }

  /**
   * Does everything due at the clock's current instant: flushes the journal, finalizes finished
   * days whose random delay has passed, and makes every due lookup and delivery attempt.
   */
  public void tick() {
    try {
      flush();
    } catch (UncheckedIOException e) {
      // Counts stay in memory and are journaled by a later flush; due reports still go out.
      LOG.warn("cannot write the TLS report journal: {}", e.getMessage());
    }
    Instant now = clock.instant();
    synchronized (work) {
      LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
      LocalDate due = null;
      for (LocalDate day : aggregator.days()) {
        if (day.isBefore(today) && !now.isBefore(dueAt(day))) {
          due = day;
        }
      }
      if (due != null) {
        finalizeThrough(due, now);
      }
      for (Item item : List.copyOf(open.values())) {
        process(item, now, false);
      }
      if (!today.equals(lastCleanup)) {
        lastCleanup = today;
        for (Item item : outbox.all()) {
          if (item.done() && item.date().isBefore(today.minusDays(RETENTION_DAYS))) {
            outbox.delete(item);
          }
        }
      }
    }
  }

  /** Starts calling {@link #tick()} once per second on a daemon thread. */
  public synchronized void start() {
    if (scheduler != null) {
      throw new IllegalStateException("already started");
    }
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "mtasts4j-tlsrpt");
              t.setDaemon(true);
              return t;
            });
    s.scheduleWithFixedDelay(
        () -> {
          try {
            tick();
          } catch (RuntimeException e) {
            LOG.warn("TLS reporting step failed: {}", e.toString());
          }
        },
        1,
        1,
        TimeUnit.SECONDS);
    scheduler = s;
  }

  /** Stops the background thread (if started), writes the journal and releases the HTTP client. */
  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      try {
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      scheduler = null;
    }
    try {
      flush();
    } finally {
      try {
        https.close();
      } catch (IOException e) {
        LOG.debug("closing HTTP client: {}", e.toString());
      }
    }
  }

  // ---------------------------------------------------------------- API for show / send

  /**
   * The reports for {@code day}: the finalized ones, or, for a day still open, what would be sent
   * if it ended now (with the provisional {@code report-id} {@code "pending"}).
   *
   * @param day the UTC day
   * @return the reports, one per policy domain
   */
  public List<TlsReport> pending(LocalDate day) {
    flush();
    LocalDate done = finalizedThrough;
    if (done != null && !day.isAfter(done)) {
      return outbox.forDay(day).stream().map(Item::report).toList();
    }
    List<TlsReport> reports = new ArrayList<>();
    for (Bucket bucket : aggregator.buckets()) {
      if (bucket.day().equals(day)) {
        List<TlsReport.PolicyResult> policies = aggregator.snapshot(bucket);
        if (!policies.isEmpty()) {
          reports.add(report(day, "pending", policies));
        }
      }
    }
    reports.sort(java.util.Comparator.comparing(TlsReport::policyDomain));
    return reports;
  }

  /**
   * Finalizes {@code day} (and any earlier open day) now, without waiting for the day to end or
   * for the random delay, and makes one delivery attempt to every destination not yet delivered,
   * ignoring back-off. Sessions recorded later for a finalized day are dropped.
   *
   * @param day the UTC day, today at the latest
   * @return the delivery state of every report of {@code day}
   * @throws IllegalArgumentException if {@code day} is after the clock's current UTC day
   */
  public List<Delivery> sendNow(LocalDate day) {
    flush();
    Instant now = clock.instant();
    if (day.isAfter(LocalDate.ofInstant(now, ZoneOffset.UTC))) {
      throw new IllegalArgumentException("cannot send reports for " + day + ": the day has not begun");
    }
    synchronized (work) {
      LocalDate done = finalizedThrough;
      if (done == null || day.isAfter(done)) {
        finalizeThrough(day, now);
      }
      for (Item item : List.copyOf(open.values())) {
        if (item.date().equals(day)) {
          process(item, now, true);
        }
      }
    }
    return deliveries(day);
  }

  /**
   * The delivery state of every finalized report of a day.
   *
   * @param day the UTC day
   * @return one element per report and destination
   */
  public List<Delivery> deliveries(LocalDate day) {
    List<Delivery> out = new ArrayList<>();
    for (Item item : outbox.forDay(day)) {
      String id = item.report().reportId();
      switch (item.lookupState()) {
        case PENDING ->
            out.add(new Delivery(day, item.domain(), id, null, Delivery.State.PENDING, item.lookupAttempts(), item.lookupError()));
        case NOT_PUBLISHED ->
            out.add(new Delivery(day, item.domain(), id, null, Delivery.State.NOT_PUBLISHED, 0, item.lookupError()));
        case GAVE_UP ->
            out.add(new Delivery(day, item.domain(), id, null, Delivery.State.GAVE_UP, item.lookupAttempts(), item.lookupError()));
        default -> {
          for (Destination d : item.destinations()) {
            out.add(
                new Delivery(
                    day,
                    item.domain(),
                    id,
                    URI.create(d.uri()),
                    switch (d.state()) {
                      case DELIVERED -> Delivery.State.DELIVERED;
                      case GAVE_UP -> Delivery.State.GAVE_UP;
                      default -> Delivery.State.PENDING;
                    },
                    d.attempts(),
                    d.lastError()));
          }
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- internals

  private Instant dueAt(LocalDate day) {
    Duration delay =
        delays.computeIfAbsent(
            day, d -> Duration.ofMillis(random.nextLong(maxDelay.toMillis() + 1)));
    return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(delay);
  }

  private TlsReport report(LocalDate day, String reportId, List<TlsReport.PolicyResult> policies) {
    Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
    return new TlsReport(
        organizationName,
        new TlsReport.DateRange(start.toString(), start.plusSeconds(86_399).toString()),
        contactInfo,
        reportId,
        policies);
  }

  /** Turns every open bucket up to {@code day} into an outbox item, once. Holds {@code work}. */
  private void finalizeThrough(LocalDate requested, Instant now) {
    LocalDate done = finalizedThrough;
    // A record() racing an earlier finalization can leave a bucket of a finalized day behind:
    // finalize it too, but never move the watermark back.
    LocalDate day = done != null && requested.isBefore(done) ? done : requested;
    setFinalizedThrough(day); // from here on, record() drops sessions of these days
    try {
      flush();
    } catch (UncheckedIOException e) {
      // The reports are built from the counts in memory, so a journal that cannot be written
      // (already logged by tick) must not hold them back; the unwritten counts of later days
      // stay marked for the next flush.
      LOG.debug("finalizing without a journal write: {}", e.getMessage());
    }
    for (Bucket bucket : aggregator.buckets()) {
      if (bucket.day().isAfter(day)) {
        continue;
      }
      if (!outbox.contains(bucket.day(), bucket.domain())) {
        List<TlsReport.PolicyResult> policies = aggregator.snapshot(bucket);
        if (!policies.isEmpty()) {
          TlsReport report = report(bucket.day(), reportIds.get(), policies);
          Item item =
              new Item(
                  bucket.day().toString(),
                  bucket.domain(),
                  new String(report.toJson(), StandardCharsets.UTF_8),
                  State.PENDING,
                  0,
                  null,
                  now.toEpochMilli(),
                  null,
                  List.of());
          outbox.save(item);
          open.put(key(item), item);
          LOG.debug("finalized TLS report {} for {} on {}", report.reportId(), bucket.domain(), bucket.day());
        }
      }
      aggregator.remove(bucket);
    }
    writeWatermark(day);
    synchronized (flushLock) {
      for (LocalDate d : journal.days()) {
        if (!d.isAfter(day)) {
          journal.delete(d);
        }
      }
    }
  }

  private void process(Item item, Instant now, boolean force) {
    long nowMs = now.toEpochMilli();
    if (item.lookupState() == State.PENDING && (force || nowMs >= item.nextLookupMillis())) {
      item = lookup(item, now);
      save(item);
    }
    if (item.lookupState() != State.RESOLVED) {
      return;
    }
    byte[] gzipped = null;
    TlsReport report = null;
    List<Destination> dests = new ArrayList<>(item.destinations());
    for (int i = 0; i < dests.size(); i++) {
      Destination d = dests.get(i);
      if (d.state() != State.PENDING || (!force && nowMs < d.nextAttemptMillis())) {
        continue;
      }
      if (report == null) {
        report = item.report();
        gzipped = TlsReport.gzip(item.reportJson().getBytes(StandardCharsets.UTF_8));
      }
      dests.set(i, attempt(d, report, gzipped, now));
      item = withDestinations(item, dests);
      save(item); // before the next attempt: a delivered destination is never sent again
    }
  }

  private Item lookup(Item item, Instant now) {
    TlsRptLookup result = TlsRptLookup.lookup(dns, Keys.domain(item.domain()));
    long nowMs = now.toEpochMilli();
    if (result instanceof TlsRptLookup.Published published) {
      List<Destination> dests = new ArrayList<>();
      for (URI uri : published.record().rua()) {
        dests.add(new Destination(uri.toString(), State.PENDING, 0, null, nowMs, null));
      }
      if (dests.isEmpty()) {
        return lookupDone(item, State.NOT_PUBLISHED, "no mailto: or https: URI in rua", List.of());
      }
      return lookupDone(item, State.RESOLVED, null, dests);
    }
    if (result instanceof TlsRptLookup.NotPublished np) {
      LOG.debug("{} publishes no TLSRPT record: {}", item.domain(), np.detail());
      return lookupDone(item, State.NOT_PUBLISHED, np.detail(), List.of());
    }
    String detail = ((TlsRptLookup.Failed) result).detail();
    long first = item.firstLookupMillis() != null ? item.firstLookupMillis() : nowMs;
    int attempts = item.lookupAttempts() + 1;
    if (nowMs - first >= retryWindow.toMillis()) {
      LOG.warn("giving up the TLS report for {} on {}: TLSRPT lookup kept failing: {}", item.domain(), item.day(), detail);
      return new Item(item.day(), item.domain(), item.reportJson(), State.GAVE_UP, attempts, first, nowMs, detail, List.of());
    }
    return new Item(item.day(), item.domain(), item.reportJson(), State.PENDING, attempts, first, nextAttempt(attempts, first, nowMs), detail, List.of());
  }

  private static Item lookupDone(Item item, State state, @Nullable String detail, List<Destination> dests) {
    return new Item(
        item.day(), item.domain(), item.reportJson(), state, item.lookupAttempts(),
        item.firstLookupMillis(), item.nextLookupMillis(), detail, dests);
  }

  private static Item withDestinations(Item item, List<Destination> dests) {
    return new Item(
        item.day(), item.domain(), item.reportJson(), item.lookupState(), item.lookupAttempts(),
        item.firstLookupMillis(), item.nextLookupMillis(), item.lookupError(), dests);
  }

  private Destination attempt(Destination d, TlsReport report, byte[] gzipped, Instant now) {
    long nowMs = now.toEpochMilli();
    URI uri = URI.create(d.uri());
    long first = d.firstAttemptMillis() != null ? d.firstAttemptMillis() : nowMs;
    try {
      String note = null;
      if ("https".equalsIgnoreCase(uri.getScheme())) {
        https.send(uri, gzipped);
      } else if (mail != null) {
        note = mail.send(uri, report, gzipped, now);
      } else {
        LOG.warn("cannot mail the TLS report for {} to {}: no DKIM key configured", report.policyDomain(), uri);
        return new Destination(d.uri(), State.GAVE_UP, d.attempts(), first, nowMs, "no DKIM key configured for mailto: reports");
      }
      LOG.debug("delivered TLS report {} to {}", report.reportId(), uri);
      return new Destination(d.uri(), State.DELIVERED, d.attempts(), first, nowMs, note);
    } catch (DeliveryException e) {
      int attempts = d.attempts() + 1;
      if (nowMs - first >= retryWindow.toMillis()) {
        LOG.warn("giving up the TLS report {} to {} after {} attempts: {}", report.reportId(), uri, attempts, e.getMessage());
        return new Destination(d.uri(), State.GAVE_UP, attempts, first, nowMs, e.getMessage());
      }
      LOG.debug("TLS report {} to {} failed (attempt {}): {}", report.reportId(), uri, attempts, e.getMessage());
      return new Destination(d.uri(), State.PENDING, attempts, first, nextAttempt(attempts, first, nowMs), e.getMessage());
    }
  }

  /** Exponential back-off from {@code initialBackoff}, capped, never past the retry window. */
  private long nextAttempt(int failedAttempts, long firstMs, long nowMs) {
    long backoff = initialBackoff.toMillis() << Math.min(failedAttempts - 1, 30);
    backoff = Math.min(backoff, MAX_BACKOFF.toMillis());
    return Math.min(nowMs + backoff, firstMs + retryWindow.toMillis());
  }

  private void save(Item item) {
    outbox.save(item);
    if (item.done()) {
      open.remove(key(item));
    } else {
      open.put(key(item), item);
    }
  }

  private static String key(Item item) {
    return item.day() + "/" + item.domain();
  }

  private void recover() {
    setFinalizedThrough(readWatermark());
    for (Item item : outbox.all()) {
      if (!item.done()) {
        open.put(key(item), item);
      }
    }
    LocalDate done = finalizedThrough;
    for (LocalDate day : journal.days()) {
      if (done != null && !day.isAfter(done)) {
        journal.delete(day);
        continue;
      }
      Map<String, Boolean> alreadyFinal = new HashMap<>();
      journal.replay(
          day,
          delta -> {
            if (!alreadyFinal.computeIfAbsent(delta.domain(), dom -> outbox.contains(day, dom))) {
              aggregator.restore(delta);
            }
          });
    }
  }

  private void setFinalizedThrough(@Nullable LocalDate day) {
    finalizedThrough = day;
    finalizedThroughDay = day == null ? Long.MIN_VALUE : day.toEpochDay();
  }

  private @Nullable LocalDate readWatermark() {
    if (!Files.exists(watermarkFile)) {
      return null;
    }
    try {
      return LocalDate.parse(Files.readString(watermarkFile, StandardCharsets.UTF_8).trim());
    } catch (IOException | java.time.DateTimeException e) {
      LOG.warn("ignoring unreadable {}", watermarkFile);
      return null;
    }
  }

  private void writeWatermark(LocalDate day) {
    try {
      Path tmp = watermarkFile.resolveSibling(watermarkFile.getFileName() + ".tmp");
      Files.writeString(tmp, day.toString(), StandardCharsets.UTF_8);
      Files.move(tmp, watermarkFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + watermarkFile, e);
    }
  }

  /**
   * Configures a {@link TlsReporter}. Required: {@link #organizationName}, {@link #contactInfo},
   * {@link #stateDirectory}. Mailed reports additionally need {@link #dkim}.
   */
  public static final class Builder {
    private @Nullable String organizationName;
    private @Nullable String contactInfo;
    private @Nullable Path stateDirectory;
    private java.time.InstantSource clock = java.time.InstantSource.system();
    private @Nullable DnsClient dns;
    private RandomGenerator random = new SecureRandom();
    private Duration maxDelay = Duration.ofHours(4);
    private Duration retryWindow = Duration.ofHours(24);
    private Duration initialBackoff = Duration.ofMinutes(1);
    private Duration timeout = Duration.ofSeconds(60);
    private Duration deliveryDeadline = Duration.ofMinutes(5);
    private @Nullable Supplier<String> reportIds;
    private @Nullable SSLContext sslContext;
    private @Nullable DkimKey dkim;
    private @Nullable String mailFrom;
    private @Nullable String heloName;
    private @Nullable String relayHost;
    private int smtpPort = 25;

    private Builder() {}

    /**
     * {@code organization-name} of every report (RPT-13).
     *
     * @param name the value
     * @return this builder
     */
    public Builder organizationName(String name) {
      if (name.isBlank()) {
        throw new IllegalArgumentException("organizationName is blank");
      }
      this.organizationName = name;
      return this;
    }

    /**
     * {@code contact-info} (RPT-15): an addr-spec whose domain is the submitter in the {@code
     * TLS-Report-Submitter} header, the subject and the file name.
     *
     * @param addrSpec the value
     * @return this builder
     * @throws IllegalArgumentException if it is not {@code local@domain}
     */
    public Builder contactInfo(String addrSpec) {
      int at = addrSpec.lastIndexOf('@');
      if (at <= 0 || at == addrSpec.length() - 1 || addrSpec.chars().anyMatch(c -> c <= ' ')) {
        throw new IllegalArgumentException("contactInfo must be an address local@domain: " + addrSpec);
      }
      Keys.domain(addrSpec.substring(at + 1));
      this.contactInfo = addrSpec;
      return this;
    }

    /**
     * The directory holding the journal and the report state; created if missing.
     *
     * @param dir the value
     * @return this builder
     */
    public Builder stateDirectory(Path dir) {
      this.stateDirectory = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /**
     * The wall clock; defaults to the system clock.
     *
     * @param clock the value
     * @return this builder
     */
    public Builder clock(java.time.InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * DNS for {@code _smtp._tls} and mail routing; defaults to {@link DnsClient#system()}.
     *
     * @param dns the value
     * @return this builder
     */
    public Builder dnsClient(DnsClient dns) {
      this.dns = Objects.requireNonNull(dns, "dns");
      return this;
    }

    /**
     * The source of the random send delay; defaults to a {@link SecureRandom}.
     *
     * @param random the value
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * The upper bound of the random delay after midnight UTC before a day's reports go out
     * (RPT-12); default 4 hours, at most 23 hours so that days finalize in order.
     *
     * @param delay the value
     * @return this builder
     */
    public Builder maxRandomDelay(Duration delay) {
      if (delay.isNegative() || delay.compareTo(Duration.ofHours(23)) > 0) {
        throw new IllegalArgumentException("maxRandomDelay must be 0..23h, got " + delay);
      }
      this.maxDelay = delay;
      return this;
    }

    /**
     * How long after the first failed attempt to keep retrying (RPT-35); default 24 hours.
     *
     * @param window the value
     * @return this builder
     */
    public Builder retryWindow(Duration window) {
      if (window.isNegative()) {
        throw new IllegalArgumentException("retryWindow is negative: " + window);
      }
      this.retryWindow = window;
      return this;
    }

    /**
     * The first retry delay, doubled after every failure (capped at 8 hours); default 1 minute.
     *
     * @param backoff the value
     * @return this builder
     */
    public Builder initialBackoff(Duration backoff) {
      if (backoff.isNegative() || backoff.isZero()) {
        throw new IllegalArgumentException("initialBackoff must be positive: " + backoff);
      }
      this.initialBackoff = backoff;
      return this;
    }

    /**
     * Connect and read time limit for HTTPS and SMTP: the longest wait for a connection, for the
     * next bytes of an HTTPS answer, for a complete SMTP reply, or for a blocked SMTP write;
     * default 60 seconds. A peer that keeps sending slowly is stopped by the {@link
     * #deliveryDeadline}.
     *
     * @param timeout the value
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * The longest one delivery attempt may take in all, however the other side paces its
     * answers: one HTTPS POST, from connecting to the response status, or one SMTP session with
     * one mail host, from connecting to the last reply; default 5 minutes. An attempt cut off by
     * it is a failed attempt, retried like any other (a mailed report first tries the next mail
     * host). Each SMTP reply is also limited in size.
     *
     * @param deadline the value
     * @return this builder
     */
    public Builder deliveryDeadline(Duration deadline) {
      if (deadline.isNegative() || deadline.isZero()) {
        throw new IllegalArgumentException("deliveryDeadline must be positive: " + deadline);
      }
      this.deliveryDeadline = deadline;
      return this;
    }

    /**
     * The source of {@code report-id}s; each call must return a new unique value (RPT-16).
     * Default: a random UUID, {@code @}, the submitter domain.
     *
     * @param ids the value
     * @return this builder
     */
    public Builder reportIds(Supplier<String> ids) {
      this.reportIds = Objects.requireNonNull(ids, "ids");
      return this;
    }

    /**
     * The TLS context for HTTPS POSTs and STARTTLS; defaults to the JDK default (its {@code
     * cacerts}). Certificates are always verified.
     *
     * @param context the value
     * @return this builder
     */
    public Builder sslContext(SSLContext context) {
      this.sslContext = Objects.requireNonNull(context, "context");
      return this;
    }

    /**
     * The DKIM key for mailed reports (RPT-10); without it {@code mailto:} URIs are skipped.
     *
     * @param key the value
     * @return this builder
     */
    public Builder dkim(DkimKey key) {
      this.dkim = Objects.requireNonNull(key, "key");
      return this;
    }

    /**
     * The {@code From} and envelope sender of mailed reports; defaults to the contact info.
     *
     * @param address the value
     * @return this builder
     */
    public Builder mailFrom(String address) {
      this.mailFrom = Objects.requireNonNull(address, "address");
      return this;
    }

    /**
     * The EHLO name for report mail sessions; defaults to the submitter domain.
     *
     * @param name the value
     * @return this builder
     * @throws IllegalArgumentException if {@code name} is blank or has spaces or non-ASCII
     */
    public Builder heloName(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank() || name.chars().anyMatch(c -> c <= ' ' || c > '~')) {
        throw new IllegalArgumentException(
            "HELO name must be a host name or address literal: " + name);
      }
      this.heloName = name;
      return this;
    }

    /**
     * Sends report mail through {@code host} instead of the report address domain's MX hosts.
     * Either way the session is plain SMTP on {@link #smtpPort}, not subject to MTA-STS.
     *
     * @param host the value
     * @return this builder
     * @throws IllegalArgumentException if {@code host} is not a host name
     */
    public Builder relayHost(String host) {
      Objects.requireNonNull(host, "host");
      DomainName.of(host); // fails now, not at the first report to send
      this.relayHost = host;
      return this;
    }

    /**
     * The SMTP port for report mail; default 25.
     *
     * @param port the value
     * @return this builder
     */
    public Builder smtpPort(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.smtpPort = port;
      return this;
    }

    /**
     * Builds the reporter and replays its state directory.
     *
     * @return the reporter
     * @throws NullPointerException if a required setting is missing
     * @throws java.io.UncheckedIOException if the state directory cannot be used
     */
    public TlsReporter build() {
      return new TlsReporter(this);
    }
  }
}
