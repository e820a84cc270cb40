package io.github.mtasts4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Mode;
import io.github.mtasts4j.MxPattern;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.ResultType;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import io.github.mtasts4j.testing.FakeClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Aggregation over several domains, mode none, restarts, the journal and daily finalization. */
class ReporterLifecycleTest {
  static final LocalDate DAY = LocalDate.parse("2026-03-10");
  static final DomainName ALPHA = new DomainName("alpha.example");
  static final DomainName BETA = new DomainName("beta.example");
  static final DomainName GAMMA = new DomainName("gamma.example");

  @TempDir Path state;
  final FakeClock clock = FakeClock.at(Instant.parse("2026-03-10T08:00:00Z"));
  final MapDns dns = new MapDns();
  final AtomicInteger ids = new AtomicInteger();

  TlsReporter reporter() {
    return TlsReporter.newBuilder()
        .organizationName("Sender Org")
        .contactInfo("tlsrpt@sender.example")
        .stateDirectory(state)
        .clock(clock)
        .dnsClient(dns)
        .random(new SplittableRandom(42))
        .maxRandomDelay(Duration.ofHours(2))
        .reportIds(() -> "id" + ids.incrementAndGet() + "@sender.example")
        .build();
  }

  static Policy policy(Mode mode, String... mx) {
    return new Policy(mode, 604800, java.util.Arrays.stream(mx).map(m -> (MxPattern) new MxPattern.Exact(new DomainName(m))).toList());
  }

  static Instant at(String time) {
    return Instant.parse(DAY + "T" + time + "Z");
  }

  static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  static SessionResult ok(DomainName d, Policy p, String mx, String time) {
    return SessionResult.success(d, p, new DomainName(mx), ip("192.0.2.25"), ip("198.51.100.1"), at(time));
  }

  static SessionResult fail(DomainName d, Policy p, String mx, ResultType type, String time) {
    return SessionResult.failure(d, p, new DomainName(mx), ip("192.0.2.25"), ip("198.51.100.1"),
        "helo." + mx, type, type == ResultType.VALIDATION_FAILURE ? "X509_ERR" : null, at(time));
  }

  @Test
  void mixedDay_threeDomains_threeReportsCheckedFieldByField() {
    Policy alphaPolicy = policy(Mode.ENFORCE, "mx.alpha.example");
    Policy betaPolicy = policy(Mode.TESTING, "mx1.beta.example", "mx2.beta.example");
    Policy gammaPolicy = policy(Mode.NONE);
    TlsReporter r = reporter();
    // alpha: successes only
    for (int i = 0; i < 7; i++) {
      r.record(ok(ALPHA, alphaPolicy, "mx.alpha.example", "09:00:00"));
    }
    // beta: a success and every negotiation / STS failure type, one of them twice
    r.record(ok(BETA, betaPolicy, "mx1.beta.example", "09:00:00"));
    List<ResultType> types = List.of(ResultType.STARTTLS_NOT_SUPPORTED, ResultType.CERTIFICATE_HOST_MISMATCH,
        ResultType.CERTIFICATE_EXPIRED, ResultType.CERTIFICATE_NOT_TRUSTED, ResultType.VALIDATION_FAILURE,
        ResultType.STS_POLICY_FETCH_ERROR, ResultType.STS_POLICY_INVALID, ResultType.STS_WEBPKI_INVALID);
    for (ResultType type : types) {
      r.record(fail(BETA, betaPolicy, "mx2.beta.example", type, "10:00:00"));
    }
    r.record(fail(BETA, betaPolicy, "mx2.beta.example", ResultType.CERTIFICATE_EXPIRED, "23:59:59"));
    // beta also had sessions before its policy was found: a separate no-policy-found entry
    r.record(SessionResult.failure(BETA, null, null, null, ip("198.51.100.1"),
        null, ResultType.STS_POLICY_FETCH_ERROR, "HTTP 404", at("01:00:00")));
    // gamma: mode none — successes counted, failures never reported (STS-69)
    r.record(ok(GAMMA, gammaPolicy, "mx.gamma.example", "11:00:00"));
    r.record(ok(GAMMA, gammaPolicy, "mx.gamma.example", "11:00:01"));
    r.record(fail(GAMMA, gammaPolicy, "mx.gamma.example", ResultType.CERTIFICATE_EXPIRED, "11:00:02"));
    r.record(fail(GAMMA, gammaPolicy, "mx.gamma.example", ResultType.STARTTLS_NOT_SUPPORTED, "11:00:03"));
    // a session of the next day does not leak into this day's reports
    r.record(SessionResult.success(ALPHA, alphaPolicy, new DomainName("mx.alpha.example"), null, null,
        Instant.parse("2026-03-11T00:00:00Z")));

    List<Delivery> deliveries = r.sendNow(DAY);
    assertThat(deliveries).extracting(Delivery::state).containsOnly(Delivery.State.NOT_PUBLISHED);
    List<TlsReport> reports = r.pending(DAY).stream()
        .map(rep -> TlsReport.parse(new String(rep.toJson(), StandardCharsets.UTF_8)))
        .sorted(java.util.Comparator.comparing(TlsReport::policyDomain)).toList();
    r.close();

    assertThat(reports).extracting(TlsReport::policyDomain)
        .containsExactly("alpha.example", "beta.example", "gamma.example");
    assertThat(reports).extracting(TlsReport::reportId).doesNotHaveDuplicates();
    for (TlsReport rep : reports) {
      assertThat(rep.organizationName()).isEqualTo("Sender Org");
      assertThat(rep.contactInfo()).isEqualTo("tlsrpt@sender.example");
      assertThat(rep.dateRange()).isEqualTo(new TlsReport.DateRange("2026-03-10T00:00:00Z", "2026-03-10T23:59:59Z"));
    }

    TlsReport alpha = reports.get(0);
    assertThat(alpha.policies()).hasSize(1);
    assertThat(alpha.policies().get(0).policy()).isEqualTo(new TlsReport.PolicyDetails("sts",
        List.of("version: STSv1", "mode: enforce", "mx: mx.alpha.example", "max_age: 604800"),
        "alpha.example", List.of("mx.alpha.example")));
    assertThat(alpha.policies().get(0).summary()).isEqualTo(new TlsReport.Summary(7, 0));
    assertThat(alpha.policies().get(0).failureDetails()).isEmpty();

    TlsReport beta = reports.get(1);
    assertThat(beta.policies()).extracting(p -> p.policy().policyType()).containsExactly("no-policy-found", "sts");
    TlsReport.PolicyResult noPolicy = beta.policies().get(0);
    assertThat(noPolicy.policy().policyString()).isEmpty();
    assertThat(noPolicy.policy().mxHost()).isEmpty();
    assertThat(noPolicy.summary()).isEqualTo(new TlsReport.Summary(0, 1));
    assertThat(noPolicy.failureDetails()).containsExactly(new TlsReport.FailureDetail(
        "sts-policy-fetch-error", "198.51.100.1", null, null, null, 1, null, "HTTP 404"));
    TlsReport.PolicyResult sts = beta.policies().get(1);
    assertThat(sts.policy().mxHost()).containsExactly("mx1.beta.example", "mx2.beta.example");
    assertThat(sts.policy().policyString()).containsExactly("version: STSv1", "mode: testing",
        "mx: mx1.beta.example", "mx: mx2.beta.example", "max_age: 604800");
    assertThat(sts.summary()).isEqualTo(new TlsReport.Summary(1, 9));
    assertThat(sts.failureDetails()).extracting(TlsReport.FailureDetail::resultType).containsExactly(
        "certificate-expired", "certificate-host-mismatch", "certificate-not-trusted",
        "starttls-not-supported", "sts-policy-fetch-error", "sts-policy-invalid", "sts-webpki-invalid",
        "validation-failure");
    assertThat(sts.failureDetails().get(0)).isEqualTo(new TlsReport.FailureDetail("certificate-expired",
        "198.51.100.1", "mx2.beta.example", "helo.mx2.beta.example", "192.0.2.25", 2, null, null));
    assertThat(sts.failureDetails().get(7).failureReasonCode()).isEqualTo("X509_ERR");

    TlsReport gamma = reports.get(2);
    assertThat(gamma.policies()).hasSize(1);
    assertThat(gamma.policies().get(0).policy().policyString()).contains("mode: none");
    assertThat(gamma.policies().get(0).summary()).isEqualTo(new TlsReport.Summary(2, 0));
    assertThat(gamma.policies().get(0).failureDetails()).isEmpty();
    // "failure-details" is left out of the JSON altogether
    assertThat(new String(gamma.toJson(), StandardCharsets.UTF_8)).doesNotContain("failure-details");
  }

  @Test
  void sessionResult_inconsistentComponents_rejected() {
    Policy p = policy(Mode.TESTING, "mx.alpha.example");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SessionResult(ALPHA, PolicyType.STS, null,
        new DomainName("mx.alpha.example"), null, null, null, null, null, null, at("01:00:00")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("policy");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SessionResult(ALPHA, PolicyType.NO_POLICY_FOUND, p,
        new DomainName("mx.alpha.example"), null, null, null, null, null, null, at("01:00:00")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("policy");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SessionResult(ALPHA, PolicyType.STS, p,
        new DomainName("mx.alpha.example"), null, null, null, null, "X509", null, at("01:00:00")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failure");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SessionResult.success(ALPHA, p, null, null, null, at("01:00:00")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("receivingMxHostname");
  }

  @Test
  void sendNow_futureDay_rejected_andTodayStillOpen() {
    TlsReporter r = reporter();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.sendNow(DAY.plusDays(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has not begun");
    r.record(ok(ALPHA, policy(Mode.TESTING, "mx.alpha.example"), "mx.alpha.example", "09:00:00"));
    assertThat(r.pending(DAY)).extracting(TlsReport::reportId).containsExactly("pending");
    r.close();
  }

  @Test
  void tlsRptLookupFails_retriedWithBackoff_thenGivesUpAfterWindow() {
    dns.txt.put("_smtp._tls.alpha.example", new io.github.mtasts4j.spi.DnsAnswer.Error<>("SERVFAIL"));
    TlsReporter r = reporter();
    r.record(ok(ALPHA, policy(Mode.TESTING, "mx.alpha.example"), "mx.alpha.example", "09:00:00"));
    assertThat(r.sendNow(DAY)).singleElement().satisfies(d -> {
      assertThat(d.state()).isEqualTo(Delivery.State.PENDING);
      assertThat(d.destination()).isNull();
      assertThat(d.detail()).isEqualTo("SERVFAIL");
    });
    long asked = dns.asked.stream().filter(q -> q.startsWith("TXT _smtp._tls")).count();
    r.tick();
    assertThat(dns.asked.stream().filter(q -> q.startsWith("TXT _smtp._tls")).count()).isEqualTo(asked);
    clock.advance(Duration.ofMinutes(1));
    r.tick();
    assertThat(dns.asked.stream().filter(q -> q.startsWith("TXT _smtp._tls")).count()).isEqualTo(asked + 1);
    clock.advance(Duration.ofHours(25));
    r.tick(); // 8 h cap: not yet at the end of the window
    r.tick();
    for (int i = 0; i < 4; i++) {
      clock.advance(Duration.ofHours(8));
      r.tick();
    }
    assertThat(r.deliveries(DAY)).singleElement().extracting(Delivery::state).isEqualTo(Delivery.State.GAVE_UP);
    r.close();
  }

  @Test
  void tlsRptLookupFailsOnce_thenPublishedWithoutUsableUri_notPublished() {
    dns.txt.put("_smtp._tls.alpha.example", new io.github.mtasts4j.spi.DnsAnswer.Error<>("timeout"));
    TlsReporter r = reporter();
    r.record(ok(ALPHA, policy(Mode.TESTING, "mx.alpha.example"), "mx.alpha.example", "09:00:00"));
    r.sendNow(DAY);
    dns.txt("_smtp._tls.alpha.example", "v=TLSRPTv1;rua=http://insecure.example/");
    clock.advance(Duration.ofMinutes(1));
    r.tick();
    assertThat(r.deliveries(DAY)).singleElement().satisfies(d -> {
      assertThat(d.state()).isEqualTo(Delivery.State.NOT_PUBLISHED);
      assertThat(d.detail()).contains("no mailto: or https:");
    });
    r.close();
  }

  @Test
  void modeNone_onlyFailures_noReport() {
    TlsReporter r = reporter();
    r.record(fail(GAMMA, policy(Mode.NONE), "mx.gamma.example", ResultType.CERTIFICATE_EXPIRED, "10:00:00"));
    assertThat(r.pending(DAY)).isEmpty();
    assertThat(r.sendNow(DAY)).isEmpty();
    r.close();
  }

  @Test
  void restartMidDay_countsContinue_oneReportPerDomain() {
    Policy p = policy(Mode.TESTING, "mx.alpha.example");
    TlsReporter first = reporter();
    first.record(ok(ALPHA, p, "mx.alpha.example", "08:00:00"));
    first.record(fail(ALPHA, p, "mx.alpha.example", ResultType.CERTIFICATE_EXPIRED, "08:00:01"));
    first.flush(); // what the once-per-second tick does
    first.close();

    setClock(clock, "2026-03-10T12:00:00Z");
    TlsReporter second = reporter();
    assertThat(second.pending(DAY).get(0).policies().get(0).summary()).isEqualTo(new TlsReport.Summary(1, 1));
    second.record(ok(ALPHA, p, "mx.alpha.example", "12:00:00"));
    second.record(fail(ALPHA, p, "mx.alpha.example", ResultType.CERTIFICATE_EXPIRED, "12:00:01"));
    second.tick();
    second.close();

    // after midnight plus the largest possible delay, the day is finalized exactly once
    setClock(clock, "2026-03-11T02:00:00Z");
    TlsReporter third = reporter();
    third.tick();
    third.tick();
    List<TlsReport> reports = third.pending(DAY);
    assertThat(reports).hasSize(1);
    assertThat(reports.get(0).policies().get(0).summary()).isEqualTo(new TlsReport.Summary(2, 2));
    assertThat(reports.get(0).policies().get(0).failureDetails().get(0).failedSessionCount()).isEqualTo(2);
    String id = reports.get(0).reportId();
    third.close();

    // a fourth start neither re-aggregates nor re-finalizes the day
    TlsReporter fourth = reporter();
    fourth.tick();
    assertThat(fourth.pending(DAY)).extracting(TlsReport::reportId).containsExactly(id);
    assertThat(ids.get()).isEqualTo(1);
    fourth.close();
  }

  @Test
  void notFlushed_lostOnCrash_flushedKept() {
    Policy p = policy(Mode.TESTING, "mx.alpha.example");
    TlsReporter first = reporter();
    first.record(ok(ALPHA, p, "mx.alpha.example", "08:00:00"));
    first.flush();
    first.record(ok(ALPHA, p, "mx.alpha.example", "08:00:01")); // crash before the next flush
    TlsReporter second = reporter(); // "first" is abandoned without close()
    assertThat(second.pending(DAY).get(0).policies().get(0).summary().totalSuccessfulSessionCount()).isEqualTo(1);
    second.close();
  }

  @Test
  void corruptJournalEntry_skipped_restReplayed() throws Exception {
    Policy p = policy(Mode.TESTING, "mx.alpha.example");
    TlsReporter first = reporter();
    first.record(ok(ALPHA, p, "mx.alpha.example", "08:00:00"));
    first.flush();
    Path journal = state.resolve("journal").resolve(DAY + ".jsonl");
    Files.writeString(journal, "{\"t\":not json\n\u0000\u00ff garbage\n{\"t\":1}\n", StandardOpenOption.APPEND);
    first.record(ok(ALPHA, p, "mx.alpha.example", "08:00:02"));
    first.flush();
    // a line cut short by a crash in the middle of a write
    Files.writeString(journal, "{\"t\":1773129600000,\"d\":\"alpha.exa", StandardOpenOption.APPEND);
    first.close();

    TlsReporter second = reporter();
    assertThat(second.pending(DAY).get(0).policies().get(0).summary().totalSuccessfulSessionCount()).isEqualTo(2);
    // the next entry must not be glued onto the cut-short line
    second.record(ok(ALPHA, p, "mx.alpha.example", "09:00:00"));
    second.close();
    TlsReporter third = reporter();
    assertThat(third.pending(DAY).get(0).policies().get(0).summary().totalSuccessfulSessionCount()).isEqualTo(3);
    third.close();
  }

  @Test
  void tick_beforeDelay_doesNotFinalize_afterDelay_finalizesOnce() {
    TlsReporter r = reporter();
    r.record(ok(ALPHA, policy(Mode.TESTING, "mx.alpha.example"), "mx.alpha.example", "08:00:00"));
    setClock(clock, "2026-03-10T23:59:59Z");
    r.tick();
    assertThat(r.deliveries(DAY)).isEmpty();
    // the random delay is at most 2 h; step through it a minute at a time
    setClock(clock, "2026-03-11T00:00:00Z");
    int minutes = 0;
    while (r.deliveries(DAY).isEmpty()) {
      r.tick();
      clock.advance(Duration.ofMinutes(1));
      minutes++;
      assertThat(minutes).isLessThanOrEqualTo(121);
    }
    assertThat(ids.get()).isEqualTo(1);
    clock.advance(Duration.ofHours(5));
    r.tick();
    assertThat(ids.get()).isEqualTo(1);
    // a late session of a finalized day is dropped rather than starting a second report
    r.record(ok(ALPHA, policy(Mode.TESTING, "mx.alpha.example"), "mx.alpha.example", "23:00:00"));
    r.tick();
    assertThat(r.pending(DAY)).hasSize(1);
    assertThat(r.pending(DAY).get(0).policies().get(0).summary().totalSuccessfulSessionCount()).isEqualTo(1);
    r.close();
  }

  @Test
  void finishedReports_keptThirtyDays_thenDeleted() {
    TlsReporter r = reporter();
    r.record(ok(ALPHA, policy(Mode.TESTING, "mx.alpha.example"), "mx.alpha.example", "08:00:00"));
    assertThat(r.sendNow(DAY)).extracting(Delivery::state).containsExactly(Delivery.State.NOT_PUBLISHED);
    setClock(clock, "2026-04-09T00:00:00Z"); // 30 days after DAY
    r.tick();
    assertThat(r.pending(DAY)).hasSize(1);
    clock.advance(Duration.ofDays(1));
    r.tick();
    assertThat(r.pending(DAY)).isEmpty();
    assertThat(state.resolve("outbox").resolve(DAY.toString())).doesNotExist();
    r.close();
  }

  @Test
  void record_concurrentThreads_allCounted() throws Exception {
    TlsReporter r = reporter();
    Policy p = policy(Mode.TESTING, "mx.alpha.example");
    int threads = 4;
    int each = 5_000;
    Thread[] ts = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      DomainName d = t % 2 == 0 ? ALPHA : BETA;
      ts[t] = new Thread(() -> {
        for (int i = 0; i < each; i++) {
          r.record(i % 10 == 0
              ? fail(d, p, "mx.alpha.example", ResultType.CERTIFICATE_EXPIRED, "09:00:00")
              : ok(d, p, "mx.alpha.example", "09:00:00"));
        }
      });
      ts[t].start();
    }
    for (Thread t : ts) {
      t.join();
    }
    List<TlsReport> reports = r.pending(DAY);
    assertThat(reports).hasSize(2);
    for (TlsReport rep : reports) {
      assertThat(rep.policies().get(0).summary()).isEqualTo(new TlsReport.Summary(9_000, 1_000));
    }
    r.close();
    // and the journal holds every one of them
    TlsReporter again = reporter();
    assertThat(again.pending(DAY)).extracting(rep -> rep.policies().get(0).summary())
        .containsOnly(new TlsReport.Summary(9_000, 1_000));
    again.close();
  }

  @Test
  void uLabelPolicyDomainAndMxHost_reportJsonHasALabels() throws Exception {
    DomainName domain = DomainName.of("bücher.example");
    DomainName mx = DomainName.of("mx.bücher.example");
    Policy p = new Policy(Mode.TESTING, 604800, List.of(new MxPattern.Exact(mx)));
    TlsReporter first = reporter();
    first.record(SessionResult.success(domain, p, mx, ip("192.0.2.25"), ip("198.51.100.1"), at("08:00:00")));
    first.record(SessionResult.failure(domain, p, mx, ip("192.0.2.25"), ip("198.51.100.1"), null,
        ResultType.CERTIFICATE_EXPIRED, null, at("08:00:01")));
    first.close();
    TlsReporter second = reporter(); // through the journal, too
    second.sendNow(DAY);
    byte[] json = second.pending(DAY).get(0).toJson();
    second.close();

    JsonNode policy = new ObjectMapper().readTree(json).at("/policies/0/policy");
    assertThat(policy.get("policy-domain").asText()).isEqualTo("xn--bcher-kva.example");
    assertThat(policy.get("mx-host")).extracting(JsonNode::asText).containsExactly("mx.xn--bcher-kva.example");
    assertThat(policy.get("policy-string")).extracting(JsonNode::asText).contains("mx: mx.xn--bcher-kva.example");
    JsonNode failure = new ObjectMapper().readTree(json).at("/policies/0/failure-details/0");
    assertThat(failure.get("receiving-mx-hostname").asText()).isEqualTo("mx.xn--bcher-kva.example");
    assertThat(new String(json, StandardCharsets.UTF_8).chars()).allMatch(c -> c < 0x80);
    assertThat(dns.asked).contains("TXT _smtp._tls.xn--bcher-kva.example");
  }

  @Test
  void defaultReportIds_severalDomainsAndDays_distinctUuidsAtSubmitter() {
    Policy p = policy(Mode.TESTING, "mx.alpha.example");
    TlsReporter r = defaultIdReporter();
    for (DomainName d : List.of(ALPHA, BETA, GAMMA)) {
      r.record(ok(d, p, "mx.alpha.example", "09:00:00"));
      r.record(SessionResult.success(d, p, new DomainName("mx.alpha.example"), null, null,
          Instant.parse("2026-03-11T09:00:00Z")));
    }
    setClock(clock, "2026-03-12T00:00:00Z");
    r.sendNow(DAY);
    r.sendNow(DAY.plusDays(1));
    List<String> reportIds = reportIds(r);
    r.close();

    // Builder#reportIds documents the default: a random UUID, "@", the submitter domain
    assertThat(reportIds).hasSize(6).doesNotHaveDuplicates().allMatch(id -> id.matches(
        "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}@sender\\.example"), "UUID@submitter");
    // kept with the finalized reports, not made up again after a restart
    TlsReporter again = defaultIdReporter();
    assertThat(reportIds(again)).isEqualTo(reportIds);
    again.close();
  }

  private TlsReporter defaultIdReporter() {
    return TlsReporter.newBuilder()
        .organizationName("Sender Org")
        .contactInfo("tlsrpt@sender.example")
        .stateDirectory(state)
        .clock(clock)
        .dnsClient(dns)
        .build();
  }

  private static List<String> reportIds(TlsReporter r) {
    return Stream.of(DAY, DAY.plusDays(1)).flatMap(d -> r.pending(d).stream()).map(TlsReport::reportId).toList();
  }

  @Test
  void started_journalsWithoutFlushOrTick_andANewReporterReplaysIt() throws Exception {
    Policy p = policy(Mode.TESTING, "mx.alpha.example");
    TlsReporter first = reporter();
    Path journal = state.resolve("journal").resolve(DAY + ".jsonl");
    try (WatchService watcher = state.getFileSystem().newWatchService()) {
      journal.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
      first.start();
      first.record(ok(ALPHA, p, "mx.alpha.example", "08:00:00"));
      first.record(fail(ALPHA, p, "mx.alpha.example", ResultType.CERTIFICATE_EXPIRED, "08:00:01"));
      // the timer runs once a second; wait for its write, bounded, without calling flush() or tick()
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!wholeLinesWritten(journal)) {
        long left = deadline - System.nanoTime();
        WatchKey key = left > 0 ? watcher.poll(left, TimeUnit.NANOSECONDS) : null;
        assertThat(key).as("the started reporter journals within 10 s").isNotNull();
        key.pollEvents();
        key.reset();
      }
      // "first" is left running, as if the process died now: nothing was closed or flushed by hand
      TlsReporter second = reporter();
      assertThat(second.pending(DAY)).singleElement()
          .satisfies(rep -> assertThat(rep.policies().get(0).summary()).isEqualTo(new TlsReport.Summary(1, 1)));
      second.close();
    } finally {
      first.close();
    }
  }

  private static boolean wholeLinesWritten(Path file) throws java.io.IOException {
    if (!Files.exists(file)) {
      return false;
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    return !text.isEmpty() && text.endsWith("\n");
  }

  /** Moves the fake clock forward to {@code instant}. */
  static void setClock(FakeClock clock, String instant) {
    clock.advance(Duration.between(clock.instant(), Instant.parse(instant)));
  }
}
