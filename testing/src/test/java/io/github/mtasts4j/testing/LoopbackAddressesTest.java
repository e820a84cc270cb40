package io.github.mtasts4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoopbackAddressesTest {

  @Test
  void allocate_n_distinctLoopbackNotLocalhost() {
    List<InetAddress> a = LoopbackAddresses.allocate(5);
    List<InetAddress> b = LoopbackAddresses.allocate(5);
    assertThat(a).hasSize(5).doesNotHaveDuplicates().allMatch(InetAddress::isLoopbackAddress);
    assertThat(a).noneMatch(x -> x.getHostAddress().equals("127.0.0.1"));
    assertThat(b).doesNotContainAnyElementsOf(a);
  }

  @Test
  void allocate_zero_rejected() {
    assertThatThrownBy(() -> LoopbackAddresses.allocate(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void commonFreePort_threeAddresses_bindableOnAll() throws Exception {
    List<InetAddress> addrs = LoopbackAddresses.allocate(3);
    int port = LoopbackAddresses.commonFreePort(addrs);
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (InetAddress a : addrs) {
        ServerSocket s = new ServerSocket();
        held.add(s);
        s.bind(new InetSocketAddress(a, port));
        assertThat(s.getLocalPort()).isEqualTo(port);
      }
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }
}
