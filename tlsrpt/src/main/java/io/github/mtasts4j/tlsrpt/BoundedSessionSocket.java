package io.github.mtasts4j.tlsrpt;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A connected socket for one report mail session, bounded in size and in time. Everything the
 * server sends between two of our writes (a greeting, a reply, a TLS handshake flight) must fit in
 * {@code maxReplyBytes}, and at the session's deadline the socket is closed, which ends whatever
 * read or write is blocked on it. Angus Mail reads reply lines without any limit and keeps a
 * multi-line reply in memory, and the socket timeout only bounds the gap between bytes, so without
 * this a mail host could send an endless line, or dribble continuation lines, and hold the
 * reporter (and memory) forever. TLS layered on top (STARTTLS) reads and writes through this
 * socket's streams, so the bounds hold after STARTTLS too. The same approach as the SMTP module's
 * socket for deliveries, which that module does not export. Reads and writes are for one thread,
 * as Angus uses them; {@link #close()} may come from any.
 */
final class BoundedSessionSocket extends Socket {
  /** Far above any real SMTP reply or TLS handshake flight, far below a memory problem. */
  static final int MAX_REPLY_BYTES = 256 * 1024;

  private final Socket raw;
  private final long maxReplyBytes;
  private final long deadlineNanos;
  private final Duration sessionLimit;
  private final CompletableFuture<Void> watchdog;
  private final InputStream in;
  private final OutputStream out;
  private boolean newReply = true;
  private long replyBytes;

  /**
   * Wraps {@code raw}, closing it at {@code deadlineNanos}.
   *
   * @param raw the connected socket
   * @param maxReplyBytes the most the server may send between two of our writes
   * @param deadlineNanos the end of the session, on the {@link System#nanoTime()} scale
   * @param sessionLimit the time the session was given, for messages
   */
  BoundedSessionSocket(Socket raw, long maxReplyBytes, long deadlineNanos, Duration sessionLimit)
      throws IOException {
    this.raw = raw;
    this.maxReplyBytes = maxReplyBytes;
    this.deadlineNanos = deadlineNanos;
    this.sessionLimit = sessionLimit;
    this.in = new BoundedInput(raw.getInputStream());
    this.out = new MarkingOutput(raw.getOutputStream());
    // Runs on the timer thread itself, so busy pool threads cannot delay the close.
    this.watchdog =
        CompletableFuture.runAsync(
            this::closeQuietly,
            CompletableFuture.delayedExecutor(
                Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS, Runnable::run));
  }

  /** True once the deadline has passed: whatever failed then failed for lack of time. */
  boolean expired() {
    return System.nanoTime() - deadlineNanos >= 0;
  }

  private void checkDeadline() throws SocketTimeoutException {
    if (expired()) {
      throw new SocketTimeoutException(
          "SMTP session did not complete within " + sessionLimit.toMillis() + " ms");
    }
  }

  private int allow(int wanted) throws IOException {
    checkDeadline();
    if (newReply) {
      newReply = false;
      replyBytes = 0;
    }
    if (replyBytes >= maxReplyBytes) {
      throw new IOException("reply from the server longer than " + maxReplyBytes + " bytes");
    }
    return (int) Math.min(wanted, maxReplyBytes - replyBytes);
  }

  private final class BoundedInput extends FilterInputStream {
    BoundedInput(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      allow(1);
      int b = super.read();
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
      int n = super.read(b, off, allow(len));
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

  private final class MarkingOutput extends FilterOutputStream {
    MarkingOutput(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      checkDeadline();
      newReply = true;
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      checkDeadline();
      newReply = true;
      out.write(b, off, len);
    }
  }

  private void closeQuietly() {
    try {
      raw.close();
    } catch (IOException ignored) {
      // closing is all that is left to do
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
    watchdog.cancel(false);
    raw.close();
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

  @Override
  public synchronized void setSoTimeout(int timeout) throws SocketException {
    raw.setSoTimeout(timeout);
  }

  @Override
  public synchronized int getSoTimeout() throws SocketException {
    return raw.getSoTimeout();
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

  @Override
  public String toString() {
    return "BoundedSessionSocket[" + raw + "]";
  }
}
