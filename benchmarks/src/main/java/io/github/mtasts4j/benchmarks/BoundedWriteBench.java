package io.github.mtasts4j.benchmarks;

import io.github.mtasts4j.smtp.internal.BoundedSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the write alarm of the bounded SMTP socket costs: one write of a message chunk to a
 * loopback connection whose far end drains as fast as it can, through {@link BoundedSocket}
 * ({@code bounded}: an alarm scheduled and cancelled around every write) and straight to the
 * socket ({@code raw}, the reference), in the same run. Angus Mail writes DATA in chunks of its
 * output buffer (8 KiB); smaller chunks make the alarm's share larger.
 *
 * <p>Run (about 1 minute): {@code java -jar benchmarks/target/benchmarks.jar BoundedWriteBench
 * -prof gc -rf json -rff write.json}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BoundedWriteBench {
  @Param({"512", "8192"})
  int chunk;

  private ServerSocket listener;
  private Socket rawClient;
  private Socket boundedClient;
  private OutputStream raw;
  private OutputStream bounded;
  private byte[] data;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    drainEverything();
    rawClient = connect();
    Socket underBounded = connect();
    boundedClient =
        new BoundedSocket(underBounded, BoundedSocket.MAX_REPLY_BYTES, Duration.ofMinutes(2));
    raw = rawClient.getOutputStream();
    bounded = boundedClient.getOutputStream();
    data = new byte[chunk];
  }

  private Socket connect() throws IOException {
    Socket s = new Socket(listener.getInetAddress(), listener.getLocalPort());
    s.setTcpNoDelay(true);
    return s;
  }

  /** Accepts every connection and reads it to its end on a daemon thread of its own. */
  private void drainEverything() {
    Thread acceptor =
        new Thread(
            () -> {
              while (!listener.isClosed()) {
                try {
                  Socket s = listener.accept();
                  Thread drain = new Thread(() -> drain(s), "bench-drain");
                  drain.setDaemon(true);
                  drain.start();
                } catch (IOException e) {
                  return; // closed at teardown
                }
              }
            },
            "bench-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private static void drain(Socket s) {
    byte[] buf = new byte[64 * 1024];
    try (s; InputStream in = s.getInputStream()) {
      while (in.read(buf) >= 0) {
        // discard
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    rawClient.close();
    boundedClient.close();
    listener.close();
  }

  /** The reference: the write alone. */
  @Benchmark
  public void raw() {
    write(raw);
  }

  /** The same write with its alarm scheduled and cancelled around it. */
  @Benchmark
  public void bounded() {
    write(bounded);
  }

  private void write(OutputStream out) {
    try {
      out.write(data, 0, data.length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
