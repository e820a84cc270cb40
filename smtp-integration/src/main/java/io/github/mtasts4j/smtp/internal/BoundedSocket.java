package io.github.mtasts4j.smtp.internal;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * A connected socket bounded in size and time, for one SMTP session: everything the peer sends
 * between two of our writes (a greeting, a reply, a TLS handshake flight) must fit in {@code
 * maxReplyBytes} and arrive within {@code replyTimeout} of the first read; a single write may stay
 * blocked (the peer accepting no data) for at most that same time, after which the connection is
 * closed; and with a session limit, nothing happens on the socket after that limit has passed.
 * Angus Mail reads reply lines without any limit, the socket timeout only bounds the gap between
 * bytes, and nothing bounds a blocked write on a socket handed to Angus, so without this a server
 * could send an endless line, dribble continuation lines, or stop reading in the middle of DATA,
 * and hold a delivery (and memory) forever. TLS layered on top (STARTTLS) reads and writes through
 * this socket's streams, so the bounds hold after STARTTLS too. Reads and writes are for one
 * thread, as Angus uses them. Not API: shared by the SMTP and TLS reporting modules.
 */
public final class BoundedSocket extends Socket {
  /** Far above any real SMTP reply or TLS handshake flight, far below a memory problem. */
  public static final int MAX_REPLY_BYTES = 256 * 1024;

  /** {@link #writeStarted} when no write is in progress. */
  private static final long IDLE = 0;
  /** {@link #writeStarted} once the alarm has given a write up: the connection is closed. */
  private static final long ABANDONED = Long.MIN_VALUE;

  private final Socket raw;
  private final long maxReplyBytes;
  private final long replyTimeoutNanos;
  private final int readTimeoutMillis;
  private final long sessionDeadline;
  private final long sessionLimitMillis;
  private final InputStream in;
  private final OutputStream out;
  private boolean newReply = true;
  private long replyBytes;
  private long replyDeadline;
  /** When the write in progress started ({@link System#nanoTime()}), or IDLE, or ABANDONED. */
  private final AtomicLong writeStarted = new AtomicLong(IDLE);
  private final AtomicBoolean alarmSet = new AtomicBoolean();
  private volatile @Nullable Future<?> alarm;
  private volatile boolean commandsMarkedAbove;

  /**
   * Wraps a connected socket; every reply and every write is bounded by {@code replyTimeout}.
   *
   * @param raw the connected socket, closed with this one
   * @param maxReplyBytes the most the peer may send between two of our writes
   * @param replyTimeout the longest wait for a complete reply, and for a blocked write
   * @throws IOException if the socket's streams cannot be had
   */
  public BoundedSocket(Socket raw, long maxReplyBytes, Duration replyTimeout) throws IOException {
    this(raw, maxReplyBytes, replyTimeout, null);
  }

  /**
   * Wraps a connected socket as {@link #BoundedSocket(Socket, long, Duration)} does, and gives
   * the whole session {@code sessionLimit} from now: no read or write waits past it.
   *
   * @param raw the connected socket, closed with this one
   * @param maxReplyBytes the most the peer may send between two of our writes
   * @param replyTimeout the longest wait for a complete reply, and for a blocked write
   * @param sessionLimit the time the whole session has, or null for no limit
   * @throws IOException if the socket's streams cannot be had
   */
  public BoundedSocket(
      Socket raw, long maxReplyBytes, Duration replyTimeout, @Nullable Duration sessionLimit)
      throws IOException {
    this.raw = raw;
    this.maxReplyBytes = maxReplyBytes;
    this.replyTimeoutNanos = saturatedNanos(replyTimeout);
    this.readTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, replyTimeout.toMillis()));
    long now = System.nanoTime();
    this.sessionLimitMillis = sessionLimit == null ? -1 : sessionLimit.toMillis();
    this.sessionDeadline =
        now + (sessionLimit == null ? Long.MAX_VALUE / 4 : saturatedNanos(sessionLimit));
    this.in = new BoundedInput(raw.getInputStream());
    this.out = new MarkingOutput(raw.getOutputStream());
  }

  /**
   * Converts {@code d} to nanoseconds, capping it at about 73 years, which still leaves room to add
   * it to {@link System#nanoTime()}: a "practically endless" timeout must not overflow.
   *
   * @param d a duration
   * @return its nanoseconds, at most {@code Long.MAX_VALUE / 4}
   */
  public static long saturatedNanos(Duration d) {
    return d.compareTo(Duration.ofNanos(Long.MAX_VALUE / 4)) > 0 ? Long.MAX_VALUE / 4 : d.toNanos();
  }

  /**
   * Tells whether the session limit has passed: whatever failed then failed for lack of time.
   *
   * @return false when there is no session limit or it has not passed
   */
  public boolean sessionExpired() {
    return sessionLimitMillis >= 0 && System.nanoTime() - sessionDeadline >= 0;
  }

  private SocketTimeoutException sessionTimeout() {
    return new SocketTimeoutException(
        "SMTP session did not complete within " + sessionLimitMillis + " ms");
  }

  private int allow(int wanted) throws IOException {
    long now = System.nanoTime();
    if (newReply) {
      newReply = false;
      replyBytes = 0;
      replyDeadline = now + replyTimeoutNanos;
    }
    if (sessionExpired()) {
      throw sessionTimeout();
    }
    if (writeAbandoned()) {
      throw writeTimeout();
    }
    long remaining = Math.min(replyDeadline - now, sessionDeadline - now);
    if (remaining <= 0) {
      throw new SocketTimeoutException(
          "no complete reply from the server within " + readTimeoutMillis + " ms");
    }
    if (replyBytes >= maxReplyBytes) {
      throw new IOException("reply from the server longer than " + maxReplyBytes + " bytes");
    }
    // Rounded up, so a read that times out has really reached the deadline.
    long remainingMillis = (remaining + 999_999) / 1_000_000;
    raw.setSoTimeout((int) Math.max(1, Math.min(readTimeoutMillis, remainingMillis)));
    return (int) Math.min(wanted, maxReplyBytes - replyBytes);
  }

  /** Names the limit a read ran into, when it was ours rather than the gap between bytes. */
  private IOException explained(SocketException e) {
    return writeAbandoned() ? writeTimeout() : e;
  }

  /** Names the limit a read ran into, when it was ours rather than the gap between bytes. */
  private SocketTimeoutException explained(SocketTimeoutException e) {
    if (sessionExpired()) {
      return sessionTimeout();
    }
    if (System.nanoTime() - replyDeadline >= 0) {
      return new SocketTimeoutException(
          "no complete reply from the server within " + readTimeoutMillis + " ms");
    }
    return e;
  }

  private final class BoundedInput extends FilterInputStream {
    BoundedInput(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      allow(1);
      int b;
      try {
        b = super.read();
      } catch (SocketTimeoutException e) {
        throw explained(e);
      } catch (SocketException e) {
        throw explained(e);
      }
      if (b >= 0) {
        replyBytes++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      int n;
      try {
        n = super.read(b, off, allow(len));
      } catch (SocketTimeoutException e) {
        throw explained(e);
      } catch (SocketException e) {
        throw explained(e);
      }
      if (n > 0) {
        replyBytes += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      return read(new byte[(int) Math.min(n, 8192)], 0, (int) Math.min(n, 8192));
    }
  }

  private SocketTimeoutException writeTimeout() {
    return sessionExpired()
        ? sessionTimeout()
        : new SocketTimeoutException("the server accepted no data for " + readTimeoutMillis + " ms");
  }

  private boolean writeAbandoned() {
    return writeStarted.get() == ABANDONED;
  }

  private long writeLimitNanos(long started) {
    return Math.min(replyTimeoutNanos, sessionDeadline - started);
  }

  /**
   * The alarm: gives up a write blocked past its limit by closing the connection, and otherwise
   * sets itself again for the write in progress, or goes quiet until the next write. One alarm
   * per connection at most, so a write costs no scheduling of its own.
   */
  private void checkWrite() {
    while (true) {
      long started = writeStarted.get();
      if (started == ABANDONED || raw.isClosed()) {
        return; // nothing left to watch: no new alarm holds on to this socket
      }
      if (started == IDLE) {
        alarmSet.set(false);
        // A write that began just now saw the alarm still set and did not set one.
        if (writeStarted.get() == IDLE || !alarmSet.compareAndSet(false, true)) {
          return;
        }
        continue;
      }
      long overdue = System.nanoTime() - started - writeLimitNanos(started);
      if (overdue < 0) {
        alarm = Alarms.after(-overdue, this::checkWrite);
        return;
      }
      // Only that same write is given up: one that has just returned keeps its connection.
      if (writeStarted.compareAndSet(started, ABANDONED)) {
        try {
          raw.close();
        } catch (IOException e) {
          // closing is all that is left to do
        }
        return;
      }
    }
  }

  private interface Write {
    void run() throws IOException;
  }

  /** Runs {@code write}, watched by the alarm that closes the connection if it stays blocked. */
  private void timed(Write write) throws IOException {
    if (!commandsMarkedAbove) {
      newReply = true;
    }
    if (writeAbandoned()) {
      throw writeTimeout();
    }
    if (sessionExpired()) {
      throw sessionTimeout();
    }
    long started = System.nanoTime();
    if (started == IDLE || started == ABANDONED) {
      started++;
    }
    writeStarted.set(started);
    if (alarmSet.compareAndSet(false, true)) {
      alarm = Alarms.after(writeLimitNanos(started), this::checkWrite);
    }
    try {
      write.run();
    } catch (IOException e) {
      if (writeAbandoned()) {
        throw writeTimeout();
      }
      throw e;
    } finally {
      writeStarted.compareAndSet(started, IDLE);
    }
    if (writeAbandoned()) {
      throw writeTimeout(); // the alarm won the race: the connection is gone
    }
  }

  /**
   * Returns {@code tls}, a TLS socket just layered on {@code under}, ready for an SMTP client. When
   * {@code under} is a BoundedSocket, only writes through the returned socket (the client's
   * commands) start a new reply from then on: TLS's own writes (a KeyUpdate or renegotiation the
   * server asks for) would otherwise let the server reset the bounds of the reply it is sending,
   * again and again. Any other pair is returned unchanged.
   *
   * @param under the socket {@code tls} was layered on
   * @param tls the TLS socket
   * @return the socket to hand to the SMTP client
   */
  public static Socket layered(Socket under, Socket tls) {
    if (under instanceof BoundedSocket bounded && tls instanceof SSLSocket ssl) {
      bounded.commandsMarkedAbove = true;
      return new CommandMarkingSslSocket(ssl, bounded::startNewReply);
    }
    return tls;
  }

  private void startNewReply() {
    newReply = true;
  }

  private final class MarkingOutput extends FilterOutputStream {
    MarkingOutput(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      timed(() -> out.write(b));
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      timed(() -> out.write(b, off, len));
    }
  }

  @Override
  public InputStream getInputStream() {
    return in;
  }

  @Override
  public OutputStream getOutputStream() {
    return out;
  }

  @Override
  public void connect(SocketAddress endpoint, int timeout) throws IOException {
    throw new SocketException("already connected");
  }

  @Override
  public boolean isConnected() {
    return raw.isConnected();
  }

  @Override
  public boolean isBound() {
    return raw.isBound();
  }

  @Override
  public boolean isClosed() {
    return raw.isClosed();
  }

  @Override
  public boolean isInputShutdown() {
    return raw.isInputShutdown();
  }

  @Override
  public boolean isOutputShutdown() {
    return raw.isOutputShutdown();
  }

  @Override
  public void shutdownInput() throws IOException {
    raw.shutdownInput();
  }

  @Override
  public void shutdownOutput() throws IOException {
    raw.shutdownOutput();
  }

  @Override
  public synchronized void close() throws IOException {
    Future<?> pending = alarm;
    if (pending != null) {
      pending.cancel(false); // holds this socket no longer than the connection lasts
    }
    try {
      raw.close();
    } finally {
      super.close(); // in case anything made this wrapper create a socket of its own
    }
  }

  @Override
  public InetAddress getInetAddress() {
    return raw.getInetAddress();
  }

  @Override
  public InetAddress getLocalAddress() {
    return raw.getLocalAddress();
  }

  @Override
  public int getPort() {
    return raw.getPort();
  }

  @Override
  public int getLocalPort() {
    return raw.getLocalPort();
  }

  @Override
  public SocketAddress getRemoteSocketAddress() {
    return raw.getRemoteSocketAddress();
  }

  @Override
  public SocketAddress getLocalSocketAddress() {
    return raw.getLocalSocketAddress();
  }

  /** Ignored: {@link #allow} sets the raw socket's timeout before every read. */
  @Override
  public synchronized void setSoTimeout(int timeout) {}

  @Override
  public synchronized int getSoTimeout() {
    return readTimeoutMillis;
  }

  @Override
  public void setTcpNoDelay(boolean on) throws SocketException {
    raw.setTcpNoDelay(on);
  }

  @Override
  public boolean getTcpNoDelay() throws SocketException {
    return raw.getTcpNoDelay();
  }

  @Override
  public void setKeepAlive(boolean on) throws SocketException {
    raw.setKeepAlive(on);
  }

  @Override
  public void setSoLinger(boolean on, int linger) throws SocketException {
    raw.setSoLinger(on, linger);
  }

  // Every other option is the raw socket's too: asking this wrapper would make java.net.Socket
  // create a native socket for it (JSSE asks for SO_LINGER when it closes a layered TLS socket).

  @Override
  public int getSoLinger() throws SocketException {
    return raw.getSoLinger();
  }

  @Override
  public boolean getKeepAlive() throws SocketException {
    return raw.getKeepAlive();
  }

  @Override
  public void setReceiveBufferSize(int size) throws SocketException {
    raw.setReceiveBufferSize(size);
  }

  @Override
  public int getReceiveBufferSize() throws SocketException {
    return raw.getReceiveBufferSize();
  }

  @Override
  public void setSendBufferSize(int size) throws SocketException {
    raw.setSendBufferSize(size);
  }

  @Override
  public int getSendBufferSize() throws SocketException {
    return raw.getSendBufferSize();
  }

  @Override
  public void setOOBInline(boolean on) throws SocketException {
    raw.setOOBInline(on);
  }

  @Override
  public boolean getOOBInline() throws SocketException {
    return raw.getOOBInline();
  }

  @Override
  public void setTrafficClass(int tc) throws SocketException {
    raw.setTrafficClass(tc);
  }

  @Override
  public int getTrafficClass() throws SocketException {
    return raw.getTrafficClass();
  }

  @Override
  public void setReuseAddress(boolean on) throws SocketException {
    raw.setReuseAddress(on);
  }

  @Override
  public boolean getReuseAddress() throws SocketException {
    return raw.getReuseAddress();
  }

  @Override
  public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
    raw.setOption(name, value);
    return this;
  }

  @Override
  public <T> T getOption(SocketOption<T> name) throws IOException {
    return raw.getOption(name);
  }

  @Override
  public Set<SocketOption<?>> supportedOptions() {
    return raw.supportedOptions();
  }

  @Override
  public void sendUrgentData(int data) throws IOException {
    raw.sendUrgentData(data);
  }

  @Override
  public void bind(SocketAddress bindpoint) throws IOException {
    throw new SocketException("already connected");
  }

  @Override
  public String toString() {
    return "BoundedSocket[" + raw + "]";
  }
}
