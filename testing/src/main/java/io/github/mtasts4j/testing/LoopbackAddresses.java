package io.github.mtasts4j.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Distinct loopback addresses (127.0.0.0/8) and a port free on all of them, so several SMTP
 * receivers can listen on the same port at different addresses, as MX hosts do.
 *
 * <p>Relies on the whole 127.0.0.0/8 block being routed to the loopback interface (true on Linux;
 * on macOS only aliases that were configured exist). Thread-safe.
 */
public final class LoopbackAddresses {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<InetAddress> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private LoopbackAddresses() {}

  /**
   * Picks {@code n} distinct random addresses in 127.0.0.0/8, never 127.0.0.1 and never one this
   * JVM handed out before, so parallel tests do not collide.
   *
   * @param n how many (1 to 1000)
   * @return the addresses, in no particular order
   */
  public static List<InetAddress> allocate(int n) {
    if (n < 1 || n > 1000) {
      throw new IllegalArgumentException("n must be between 1 and 1000: " + n);
    }
    List<InetAddress> out = new ArrayList<>(n);
    while (out.size() < n) {
      byte[] ip = {
        127, (byte) (1 + RANDOM.nextInt(254)), (byte) (1 + RANDOM.nextInt(254)), (byte) (1 + RANDOM.nextInt(254))
      };
      InetAddress a;
      try {
        a = InetAddress.getByAddress(ip);
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
      if (HANDED_OUT.add(a)) {
        out.add(a);
      }
    }
    return List.copyOf(out);
  }

  /**
   * Finds a port that is currently bindable on every given address. Another process may still take
   * it before the caller binds, so callers that bind several servers should be ready to retry.
   *
   * @param addresses at least one address
   * @return the port
   * @throws java.io.UncheckedIOException if no common port was found after several attempts
   */
  public static int commonFreePort(List<InetAddress> addresses) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("no addresses");
    }
    IOException last = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      List<ServerSocket> held = new ArrayList<>();
      try {
        ServerSocket first = bind(addresses.get(0), 0);
        held.add(first);
        int port = first.getLocalPort();
        for (int i = 1; i < addresses.size(); i++) {
          held.add(bind(addresses.get(i), port));
        }
        return port;
      } catch (IOException e) {
        last = e;
      } finally {
        for (ServerSocket s : held) {
          try {
            s.close();
          } catch (IOException e) {
            // nothing to do: it was only a probe
          }
        }
      }
    }
    throw new java.io.UncheckedIOException("no port free on all of " + addresses, last);
  }

  private static ServerSocket bind(InetAddress address, int port) throws IOException {
    ServerSocket s = new ServerSocket();
    try {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(address, port));
      return s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }
}
