package io.github.mtasts4j.smtp;

import io.github.mtasts4j.smtp.internal.BoundedSocket;
import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Failure;
import io.github.mtasts4j.Mode;
import io.github.mtasts4j.PolicySource;
import io.github.mtasts4j.Resolution;
import io.github.mtasts4j.ResultType;
import io.github.mtasts4j.spi.DnsAnswer;
import io.github.mtasts4j.spi.DnsClient;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks a {@link DeliveryPlan} with Angus Mail: one SMTP session per candidate, on a socket opened
 * to an address from our {@link DnsClient} that carries the MX host name, with our socket factory
 * for STARTTLS. With {@link SmtpCredentials} every session requires verified TLS whatever the
 * candidate's own requirement, so the credentials are never sent in cleartext or to an unverified
 * peer. Immutable and thread-safe.
 */
final class DeliveryEngine {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryEngine.class);

  private final PolicySource policies;
  private final DnsClient dns;
  private final MxTlsVerifier tls;
  private final InstantSource clock;
  private final String heloName;
  private final int port;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final TlsSessionListener listener;
  private final LocalOverrides overrides;
  private final @Nullable SmtpCredentials credentials;
  private final boolean implicitTls;

  DeliveryEngine(
      PolicySource policies,
      DnsClient dns,
      MxTlsVerifier tls,
      InstantSource clock,
      String heloName,
      int port,
      Duration connectTimeout,
      Duration readTimeout,
      TlsSessionListener listener,
      LocalOverrides overrides,
      @Nullable SmtpCredentials credentials,
      boolean implicitTls) {
    this.policies = policies;
    this.dns = dns;
    this.tls = tls;
    this.clock = clock;
    this.heloName = heloName;
    this.port = port;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.listener = listener;
    this.overrides = overrides;
    this.credentials = credentials;
    this.implicitTls = implicitTls;
  }

  LocalOverrides overrides() {
    return overrides;
  }

  /** The message, its envelope sender (null: the message's From) and the recipients. */
  record Envelope(
      MimeMessage message, @Nullable InternetAddress sender, List<InternetAddress> recipients) {
    Envelope {
      Objects.requireNonNull(message, "message");
      recipients = List.copyOf(recipients);
    }

    List<String> addresses() {
      return recipients.stream().map(InternetAddress::getAddress).toList();
    }
  }

  /**
   * Delivers to one Policy Domain. {@code planner} turns a resolution (null: skipped by override)
   * into a plan; it is called again after a {@link PolicySource#recheck}.
   */
  DeliveryReport deliver(
      DomainName policyDomain,
      Function<@Nullable Resolution, DeliveryPlan> planner,
      Envelope envelope) {
    try {
      return deliverUnguarded(policyDomain, planner, envelope);
    } catch (RuntimeException e) {
      // A broken plug-in (policy source, DNS client, listener) for one domain must not cost the
      // other domains of the message their delivery or their report: defer this one.
      LOG.warn("delivery to {} stopped by an unexpected error: {}", policyDomain, e.toString());
      return new DeliveryReport(
          policyDomain,
          envelope.addresses(),
          null,
          false,
          List.of(),
          DeliveryStatus.DEFERRED,
          "delivery stopped by an unexpected error, treated as temporary: "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + oneLine(e.getMessage())),
          java.util.Set.of());
    }
  }

  private DeliveryReport deliverUnguarded(
      DomainName policyDomain,
      Function<@Nullable Resolution, DeliveryPlan> planner,
      Envelope envelope) {
    Resolution resolution = overrides.skips(policyDomain) ? null : policies.resolve(policyDomain);
    reportPolicyFailure(policyDomain, resolution);
    DeliveryPlan plan = planner.apply(resolution);
    List<Attempt> attempts = new ArrayList<>();
    if (plan instanceof DeliveryPlan.Unroutable unroutable) {
      return report(plan, envelope, attempts, unroutable.status(), unroutable.reason());
    }
    DeliveryPlan.Ready ready = (DeliveryPlan.Ready) plan;
    Round round = walk(ready, envelope, attempts);
    if (round.terminal != null) {
      return report(ready, envelope, attempts, round.terminal, round.reason);
    }
    if (ready.enforced() && round.policyRefusals > 0) {
      // RFC 8461 §5: never fail for an enforce policy before checking for an updated one.
      Resolution again = policies.recheck(policyDomain);
      if (changed(resolution, again)) {
        LOG.debug("policy of {} changed on recheck; trying again", policyDomain);
        DeliveryPlan second = planner.apply(again);
        if (second instanceof DeliveryPlan.Unroutable unroutable) {
          return report(second, envelope, attempts, unroutable.status(), unroutable.reason());
        }
        DeliveryPlan.Ready secondReady = (DeliveryPlan.Ready) second;
        Round round2 = walk(secondReady, envelope, attempts);
        if (round2.terminal != null) {
          return report(secondReady, envelope, attempts, round2.terminal, round2.reason);
        }
        return report(
            secondReady,
            envelope,
            attempts,
            DeliveryStatus.DEFERRED,
            "no MX host of "
                + policyDomain
                + " passed the rechecked MTA-STS policy; the failure is treated as temporary");
      }
      return report(
          ready,
          envelope,
          attempts,
          DeliveryStatus.DEFERRED,
          "no MX host of "
              + policyDomain
              + " satisfied its enforce MTA-STS policy (policy rechecked, unchanged); "
              + "the failure is treated as temporary");
    }
    return report(
        ready,
        envelope,
        attempts,
        DeliveryStatus.DEFERRED,
        "no MX host of " + policyDomain + " accepted the message: " + round.lastProblem);
  }

  private static boolean changed(@Nullable Resolution before, Resolution after) {
    if (before instanceof Resolution.Active a && after instanceof Resolution.Active b) {
      return !a.policyId().equals(b.policyId()) || !a.policy().equals(b.policy());
    }
    return !(before instanceof Resolution.Active) || !(after instanceof Resolution.Active);
  }

  private DeliveryReport report(
      DeliveryPlan plan,
      Envelope envelope,
      List<Attempt> attempts,
      DeliveryStatus status,
      String reason) {
    boolean enforced = plan instanceof DeliveryPlan.Ready r && r.enforced();
    LOG.debug("{}: {} ({})", plan.policyDomain(), status.token(), reason);
    return new DeliveryReport(
        plan.policyDomain(),
        envelope.addresses(),
        plan.resolution(),
        enforced,
        attempts,
        status,
        reason,
        plan.overridesUsed());
  }

  /** The result of walking the candidates once. */
  private static final class Round {
    @Nullable DeliveryStatus terminal;
    String reason = "";
    String lastProblem = "no candidate";
    int policyRefusals;
  }

  private Round walk(DeliveryPlan.Ready plan, Envelope envelope, List<Attempt> attempts) {
    Round round = new Round();
    for (MxCandidate candidate : plan.candidates()) {
      Step step = tryCandidate(plan, candidate, envelope);
      attempts.add(step.attempt);
      if (step.policyRefusal) {
        round.policyRefusals++;
      }
      if (step.terminal != null) {
        round.terminal = step.terminal;
        round.reason = step.problem;
        return round;
      }
      round.lastProblem = step.problem;
    }
    return round;
  }

  /** One candidate's result: a terminal status, or go on to the next candidate. */
  private record Step(
      Attempt attempt, @Nullable DeliveryStatus terminal, boolean policyRefusal, String problem) {}

  private Step tryCandidate(DeliveryPlan.Ready plan, MxCandidate c, Envelope envelope) {
    DomainName mx = c.host();
    if (c.skip()) {
      Failure mismatch = Objects.requireNonNull(c.policyFailure());
      emit(plan, mx, null, null, null, mismatch);
      return new Step(
          new Attempt(
              mx,
              c.preference(),
              false,
              null,
              TlsState.NOT_ATTEMPTED,
              mismatch.type(),
              mismatch.detail(),
              Attempt.Outcome.SKIPPED,
              null),
          null,
          true,
          mismatch.detail());
    }
    DnsAnswer<InetAddress> answer = dns.addresses(mx);
    if (!(answer instanceof DnsAnswer.Found<InetAddress> found)) {
      String detail =
          "no address for "
              + mx
              + ": "
              + (answer instanceof DnsAnswer.NotFound<InetAddress> nf
                  ? nf.detail()
                  : ((DnsAnswer.Error<InetAddress>) answer).detail());
      return unreachable(c, null, detail);
    }
    String connectProblem = "no address";
    for (InetAddress address : found.records()) {
      InetAddress named;
      try {
        // Keep the MX name on the address: Angus takes the TLS identity from it (STYLE §1.7).
        named = InetAddress.getByAddress(mx.value(), address.getAddress());
      } catch (UnknownHostException e) {
        connectProblem = "bad address " + address.getHostAddress();
        continue;
      }
      Socket socket = new Socket();
      try {
        socket.connect(new InetSocketAddress(named, port), millis(connectTimeout));
        socket.setSoTimeout(millis(readTimeout));
      } catch (IOException e) {
        closeQuietly(socket);
        connectProblem =
            "cannot connect to " + mx + " [" + address.getHostAddress() + "]:" + port + ": "
                + e.getMessage();
        LOG.debug(connectProblem);
        continue;
      }
      Socket bounded;
      try {
        bounded = new BoundedSocket(socket, BoundedSocket.MAX_REPLY_BYTES, readTimeout);
      } catch (IOException e) {
        closeQuietly(socket);
        connectProblem = "cannot use the connection to " + mx + ": " + e.getMessage();
        continue;
      }
      return converse(plan, c, named, bounded, envelope);
    }
    return unreachable(c, null, connectProblem);
  }

  private static Step unreachable(MxCandidate c, @Nullable InetAddress address, String detail) {
    return new Step(
        new Attempt(
            c.host(),
            c.preference(),
            c.policyMatch(),
            address,
            TlsState.NOT_ATTEMPTED,
            null,
            detail,
            Attempt.Outcome.FAILED,
            null),
        null,
        false,
        detail);
  }

  /**
   * What one SMTP session did; {@code authFailed}: the server refused our AUTH (TLS, when required,
   * had been established); {@code handshakeFailed}: implicit TLS failed before any SMTP.
   */
  private record Session1(
      boolean handshakeFailed,
      boolean greeted,
      boolean startTlsOffered,
      boolean startTlsIssued,
      TlsObservation observation,
      @Nullable String announcedName,
      @Nullable InetAddress sendingIp,
      boolean connected,
      boolean authFailed,
      @Nullable String connectError,
      boolean sent,
      int replyCode,
      @Nullable String reply) {}

  private Step converse(
      DeliveryPlan.Ready plan,
      MxCandidate c,
      InetAddress address,
      Socket socket,
      Envelope envelope) {
    DomainName mx = c.host();
    // Credentials go only over TLS verified like under enforce, whatever the policy asks.
    TlsRequirement requirement = credentials != null ? TlsRequirement.VERIFIED : c.requirement();
    Session1 s = session(socket, mx, requirement, true, envelope);
    Failure policyFailure = c.policyFailure();
    boolean sessionUp = s.connected || s.authFailed;

    // With implicit TLS the TLS outcome is settled before the greeting, so it is always reported.
    if (!sessionUp
        && !implicitTls
        && (!s.greeted || (s.startTlsOffered && !s.startTlsIssued))) {
      return unreachable(c, address, "SMTP session with " + mx + " failed: " + s.connectError);
    }
    Failure tlsFailure = null;
    TlsState state;
    boolean cleartextRetry = false;
    if (implicitTls || s.startTlsIssued) {
      Failure recorded = s.observation.failure();
      if (!implicitTls && !s.observation.tlsStarted()) {
        tlsFailure =
            new Failure(
                ResultType.STARTTLS_NOT_SUPPORTED,
                mx + " refused the STARTTLS command: " + oneLine(s.reply));
      } else if (recorded != null) {
        tlsFailure = recorded;
      } else if (implicitTls ? s.handshakeFailed : !sessionUp) {
        tlsFailure =
            new Failure(
                ResultType.VALIDATION_FAILURE,
                "TLS handshake with " + mx + " failed: " + oneLine(s.connectError));
      }
      boolean tlsUp = implicitTls ? !s.handshakeFailed : sessionUp;
      if (tlsUp) {
        state = tlsFailure == null ? TlsState.VERIFIED : TlsState.UNVERIFIED;
      } else {
        state = TlsState.FAILED;
        // Opportunistic STARTTLS falls back to cleartext; implicit TLS has nothing to fall to.
        cleartextRetry = requirement == TlsRequirement.OPPORTUNISTIC && !implicitTls;
      }
    } else {
      state = TlsState.NOT_OFFERED;
      tlsFailure =
          new Failure(ResultType.STARTTLS_NOT_SUPPORTED, mx + " does not offer STARTTLS");
    }
    Failure first = policyFailure != null ? policyFailure : tlsFailure;
    emit(plan, mx, address, s.sendingIp, s.announcedName, first);

    if (requirement == TlsRequirement.VERIFIED && state != TlsState.VERIFIED) {
      Failure refusal = Objects.requireNonNull(tlsFailure);
      Attempt refused =
          attempt(
              c,
              address,
              state == TlsState.NOT_OFFERED ? TlsState.NOT_OFFERED : TlsState.FAILED,
              refusal,
              refusal.detail(),
              Attempt.Outcome.FAILED,
              s.reply);
      if (c.requirement() == TlsRequirement.VERIFIED) {
        return new Step(refused, null, true, "refused by MTA-STS policy: " + refusal);
      }
      return new Step(
          refused,
          null,
          false,
          "not sent to " + mx + ": SMTP credentials are only sent over verified TLS (" + refusal
              + ")");
    }

    Session1 delivery = s;
    if (cleartextRetry) {
      // Angus never falls back to cleartext after a failed handshake; ordinary opportunistic
      // TLS does (RFC 8461 §5 for testing / none), so use a second connection without STARTTLS.
      Socket again = new Socket();
      try {
        again.connect(new InetSocketAddress(address, port), millis(connectTimeout));
        again.setSoTimeout(millis(readTimeout));
        delivery =
            session(
                new BoundedSocket(again, BoundedSocket.MAX_REPLY_BYTES, readTimeout),
                mx,
                requirement,
                false,
                envelope);
      } catch (IOException e) {
        closeQuietly(again);
        return failedAttempt(c, address, state, first, null, "cannot reconnect for cleartext: "
            + e.getMessage());
      }
    }
    if (delivery.authFailed) {
      return authRejected(c, address, state, first, delivery);
    }
    if (!delivery.connected) {
      return failedAttempt(
          c, address, state, first, delivery.reply, "SMTP session with " + mx + " failed: "
              + oneLine(delivery.connectError));
    }
    Attempt.Outcome outcome = delivery.sent ? Attempt.Outcome.DELIVERED : Attempt.Outcome.FAILED;
    String detail = first == null ? null : first.detail();
    if (!delivery.sent && delivery.replyCode < 400 && delivery.connectError != null) {
      // No SMTP reply explains this failure (a dropped or stalled connection): say what did.
      String error = "transaction failed: " + oneLine(delivery.connectError);
      detail = detail == null ? error : detail + "; " + error;
    }
    Attempt attempt =
        attempt(c, address, state, first, detail, outcome, delivery.reply);
    if (delivery.sent) {
      return new Step(attempt, DeliveryStatus.DELIVERED, false, "delivered to " + mx);
    }
    return byReplyCode(
        attempt,
        delivery,
        mx + " rejected the message: ",
        mx + " temporarily refused the message: ",
        "transaction with " + mx + " failed: ");
  }

  /**
   * The step after a refusal or failure: a 5xx reply is final, a 4xx temporary; without either
   * the next candidate is tried. Each prefix is followed by the reply, or by the error.
   */
  private static Step byReplyCode(
      Attempt attempt, Session1 s, String onFinal, String onTemporary, String onOther) {
    int code = s.replyCode;
    if (code >= 500 && code < 600) {
      return new Step(attempt, DeliveryStatus.FAILED, false, onFinal + oneLine(s.reply));
    }
    if (code >= 400 && code < 500) {
      return new Step(attempt, DeliveryStatus.DEFERRED, false, onTemporary + oneLine(s.reply));
    }
    return new Step(attempt, null, false, onOther + oneLine(s.connectError));
  }

  /** An attempt at candidate {@code c}, with the result type of {@code failure} when there is one. */
  private static Attempt attempt(
      MxCandidate c,
      @Nullable InetAddress address,
      TlsState state,
      @Nullable Failure failure,
      @Nullable String detail,
      Attempt.Outcome outcome,
      @Nullable String reply) {
    return new Attempt(
        c.host(),
        c.preference(),
        c.policyMatch(),
        address,
        state,
        failure == null ? null : failure.type(),
        detail,
        outcome,
        reply);
  }

  /** The server refused our credentials: 5xx is final, 4xx temporary, anything else try on. */
  private static Step authRejected(
      MxCandidate c,
      InetAddress address,
      TlsState state,
      @Nullable Failure failure,
      Session1 s) {
    DomainName mx = c.host();
    Attempt attempt =
        attempt(
            c,
            address,
            state,
            failure,
            failure == null
                ? "authentication failed: " + oneLine(s.connectError)
                : failure.detail(),
            Attempt.Outcome.FAILED,
            s.reply);
    return byReplyCode(
        attempt,
        s,
        "SMTP authentication with " + mx + " failed: ",
        "SMTP authentication with " + mx + " temporarily failed: ",
        "SMTP authentication with " + mx + " failed: ");
  }

  private static Step failedAttempt(
      MxCandidate c,
      InetAddress address,
      TlsState state,
      @Nullable Failure failure,
      @Nullable String reply,
      String problem) {
    return new Step(
        attempt(
            c,
            address,
            state,
            failure,
            failure == null ? problem : failure.detail(),
            Attempt.Outcome.FAILED,
            reply),
        null,
        false,
        problem);
  }

  /**
   * Runs one SMTP session on {@code socket}: TLS first when implicit, connect (EHLO, STARTTLS)
   * and, if that works, send.
   */
  private Session1 session(
      Socket plain,
      DomainName mx,
      TlsRequirement requirement,
      boolean startTls,
      Envelope envelope) {
    TlsObservation observation = new TlsObservation();
    SSLSocketFactory tlsFactory = tls.socketFactory(mx, requirement, observation);
    Socket socket = plain;
    InetAddress local = plain.getLocalAddress();
    if (implicitTls) {
      try {
        socket = tlsFactory.createSocket(plain, mx.value(), port, true);
        ((SSLSocket) socket).startHandshake();
      } catch (IOException e) {
        closeQuietly(plain);
        return new Session1(
            true, false, false, false, observation, null, local, false, false,
            oneLine(e.getMessage()), false, -1, null);
      }
    }
    Properties props =
        SmtpSessionProperties.forMx(
            tlsFactory,
            startTls && !implicitTls,
            requirement == TlsRequirement.VERIFIED && !implicitTls,
            heloName,
            envelope.sender(),
            connectTimeout,
            readTimeout);
    Session session = Session.getInstance(props);
    ObservingTransport transport =
        new ObservingTransport(
            session,
            // An address literal: Jakarta Mail resolves a URLName's host through the system
            // resolver (hashCode, and again after a refused AUTH); the TLS identity is checked
            // against the MX name the socket's address carries.
            new URLName("smtp", socket.getInetAddress().getHostAddress(), port, null, null, null),
            credentials);
    try {
      try {
        transport.connect(socket);
      } catch (MessagingException e) {
        closeQuietly(socket);
        return outcome(
            transport, observation, local, transport.greeted(), false,
            e instanceof AuthenticationFailedException, describe(e), false, Reply.last(transport));
      }
      try {
        transport.sendMessage(envelope.message(), envelope.recipients().toArray(new Address[0]));
        return outcome(
            transport, observation, local, true, true, false, null, true, Reply.last(transport));
      } catch (MessagingException e) {
        Reply reply = reply(e, transport);
        return outcome(transport, observation, local, true, true, false, describe(e), false, reply);
      }
    } finally {
      try {
        transport.close();
      } catch (MessagingException e) {
        LOG.debug("closing the session with {}: {}", mx, e.getMessage());
      }
      closeQuietly(socket);
    }
  }

  /** A finished session as {@code transport} saw it; the other values say how far it got. */
  private static Session1 outcome(
      ObservingTransport transport,
      TlsObservation observation,
      @Nullable InetAddress local,
      boolean greeted,
      boolean connected,
      boolean authFailed,
      @Nullable String error,
      boolean sent,
      Reply reply) {
    return new Session1(
        false,
        greeted,
        transport.startTlsOffered(),
        transport.startTlsIssued(),
        observation,
        transport.announcedName(),
        local,
        connected,
        authFailed,
        error,
        sent,
        reply.code,
        reply.text);
  }

  private record Reply(int code, @Nullable String text) {
    /** The last reply {@code transport} received. */
    static Reply last(ObservingTransport transport) {
      return new Reply(transport.getLastReturnCode(), transport.getLastServerResponse());
    }
  }

  /**
   * The reply that ended a failed transaction. A rejected recipient wins over the final RSET; when
   * several recipients were rejected, a temporary (4xx) rejection wins so nothing bounces early.
   */
  private static Reply reply(MessagingException e, ObservingTransport transport) {
    Reply best = null;
    Exception x = e;
    int guard = 0;
    while (x != null && guard++ < 100) {
      Reply r = null;
      if (x instanceof SMTPAddressFailedException a) {
        r = new Reply(a.getReturnCode(), a.getMessage());
      } else if (x instanceof SMTPSenderFailedException s) {
        r = new Reply(s.getReturnCode(), s.getMessage());
      } else if (x instanceof SMTPSendFailedException s && s.getReturnCode() >= 400) {
        r = new Reply(s.getReturnCode(), s.getMessage());
      }
      if (r != null && r.code >= 400) {
        if (best == null || (r.code < 500 && best.code >= 500)) {
          best = r;
        }
      }
      x = x instanceof MessagingException me ? me.getNextException() : null;
    }
    if (best != null) {
      return best;
    }
    return Reply.last(transport);
  }

  /**
   * RFC 8461 §6 (STS-69 a, b): a policy that could not be fetched is worth a report even though
   * delivery goes on, with the cached policy or without one; not under a cached {@code mode:
   * none}.
   */
  private void reportPolicyFailure(DomainName policyDomain, @Nullable Resolution resolution) {
    if (resolution instanceof Resolution.Failed failed) {
      publish(
          new TlsSessionEvent(
              clock.instant(), policyDomain, null, failed.policyId(), true, null, null, null, null,
              failed.failure()));
    } else if (resolution instanceof Resolution.Active active
        && active.fallbackCause() != null
        && active.policy().mode() != Mode.NONE) {
      publish(
          new TlsSessionEvent(
              clock.instant(), policyDomain, active.policy(), active.policyId(), true, null, null,
              null, null, active.fallbackCause()));
    }
  }

  private void emit(
      DeliveryPlan.Ready plan,
      DomainName mx,
      @Nullable InetAddress receiving,
      @Nullable InetAddress sending,
      @Nullable String helo,
      @Nullable Failure failure) {
    Resolution r = plan.resolution();
    String policyId = r instanceof Resolution.Active a ? a.policyId() : null;
    TlsSessionEvent event =
        new TlsSessionEvent(
            clock.instant(),
            plan.policyDomain(),
            plan.policy(),
            policyId,
            plan.reportable(),
            mx,
            receiving,
            sending,
            helo,
            failure);
    publish(event);
  }

  private void publish(TlsSessionEvent event) {
    try {
      listener.onSession(event);
    } catch (RuntimeException e) {
      LOG.warn(
          "TLS session listener failed for {}: {}",
          event.mxHost() == null ? event.policyDomain() : event.mxHost(),
          e.toString());
    }
  }

  private static String describe(MessagingException e) {
    StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
    Throwable cause = e.getCause();
    int guard = 0;
    while (cause != null && guard++ < 5) {
      sb.append("; ").append(cause.getMessage());
      cause = cause.getCause();
    }
    return oneLine(sb.toString());
  }

  private static String oneLine(@Nullable String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").strip();
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      LOG.debug("closing socket: {}", e.getMessage());
    }
  }
}
