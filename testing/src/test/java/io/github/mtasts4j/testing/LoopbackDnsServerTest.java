package io.github.mtasts4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

class LoopbackDnsServerTest {

  private LoopbackDnsServer dns;
  private SimpleResolver resolver;

  @BeforeEach
  void start() {
    dns = LoopbackDnsServer.start();
    resolver = new SimpleResolver(dns.address());
    resolver.setTimeout(Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    dns.close();
  }

  private Message ask(String name, int type) throws IOException {
    return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
  }

  @Test
  void start_udpAndTcp_shareOnePortOnLoopback() {
    assertThat(dns.address().getAddress().isLoopbackAddress()).isTrue();
    assertThat(dns.port()).isEqualTo(dns.address().getPort()).isPositive();
  }

  @Test
  void txt_multipleStrings_oneRecordAuthoritative() throws Exception {
    dns.txt("_mta-sts.example.com", "v=STSv1; ", "id=20240101;");
    Message m = ask("_mta-sts.example.com.", Type.TXT);
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
    List<Record> answers = m.getSection(Section.ANSWER);
    assertThat(answers).hasSize(1);
    assertThat(((TXTRecord) answers.get(0)).getStrings()).containsExactly("v=STSv1; ", "id=20240101;");
    assertThat(answers.get(0).getTTL()).isEqualTo(300);
  }

  @Test
  void txt_calledTwice_twoRecordsWithGivenTtl() throws Exception {
    dns.txt("_mta-sts.example.com.", 60, "v=STSv1; id=a;");
    dns.txt("_MTA-STS.Example.COM", 60, "v=STSv1; id=b;");
    Message m = ask("_mta-sts.example.com.", Type.TXT);
    assertThat(m.getSection(Section.ANSWER)).hasSize(2).allMatch(r -> r.getTTL() == 60);
  }

  @Test
  void txt_backslashAndUtf8_servedVerbatim() throws Exception {
    dns.txt("t.example", "a\\b \"q\" é");
    TXTRecord r = (TXTRecord) ask("t.example.", Type.TXT).getSection(Section.ANSWER).get(0);
    assertThat(r.getStringsAsByteArrays().get(0))
        .isEqualTo("a\\b \"q\" é".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void query_unknownName_nxdomain() throws Exception {
    dns.txt("_mta-sts.example.com", "v=STSv1; id=1;");
    assertThat(ask("nothing.example.org.", Type.TXT).getRcode()).isEqualTo(Rcode.NXDOMAIN);
  }

  @Test
  void query_existingNameOtherType_nodata() throws Exception {
    dns.a("mx.example.com", "127.0.0.5");
    Message m = ask("mx.example.com.", Type.TXT);
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
    assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
  }

  @Test
  void query_emptyNonTerminal_nodataNotNxdomain() throws Exception {
    dns.txt("_mta-sts.example.com", "v=STSv1; id=1;");
    Message m = ask("example.com.", Type.TXT);
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void query_cnameToKnownTarget_cnameAndChasedRecords() throws Exception {
    dns.cname("_mta-sts.example.com", "_mta-sts.provider.net");
    dns.txt("_mta-sts.provider.net", "v=STSv1; id=p1;");
    List<Record> answers = ask("_mta-sts.example.com.", Type.TXT).getSection(Section.ANSWER);
    assertThat(answers).hasSize(2);
    assertThat(answers.get(0)).isInstanceOf(CNAMERecord.class);
    assertThat(((CNAMERecord) answers.get(0)).getTarget()).isEqualTo(Name.fromString("_mta-sts.provider.net."));
    assertThat(((TXTRecord) answers.get(1)).getStrings()).containsExactly("v=STSv1; id=p1;");
  }

  @Test
  void query_cnameToUnknownTarget_nxdomainWithCname() throws Exception {
    dns.cname("_mta-sts.example.com", "gone.provider.net");
    Message m = ask("_mta-sts.example.com.", Type.TXT);
    assertThat(m.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(m.getSection(Section.ANSWER)).singleElement().isInstanceOf(CNAMERecord.class);
  }

  @Test
  void query_cnameLoop_terminates() throws Exception {
    dns.cname("a.example", "b.example");
    dns.cname("b.example", "a.example");
    assertThat(ask("a.example.", Type.TXT).getSection(Section.ANSWER)).hasSize(2);
  }

  @Test
  void mx_records_servedWithPreference() throws Exception {
    dns.mx("example.com", 10, "mx1.example.com");
    dns.mx("example.com", 20, "mx2.example.com.");
    List<Record> answers = ask("example.com.", Type.MX).getSection(Section.ANSWER);
    assertThat(answers).extracting(r -> ((MXRecord) r).getPriority()).containsExactlyInAnyOrder(10, 20);
    assertThat(answers).extracting(r -> ((MXRecord) r).getTarget().toString())
        .containsExactlyInAnyOrder("mx1.example.com.", "mx2.example.com.");
  }

  @Test
  void aaaa_andRemoveByType_removesOnlyThatType() throws Exception {
    dns.a("mx.example.com", "127.0.0.9");
    dns.aaaa("mx.example.com", "::1");
    assertThat(ask("mx.example.com.", Type.AAAA).getSection(Section.ANSWER)).hasSize(1);
    dns.remove("mx.example.com", "AAAA");
    assertThat(ask("mx.example.com.", Type.AAAA).getSection(Section.ANSWER)).isEmpty();
    assertThat(ask("mx.example.com.", Type.A).getSection(Section.ANSWER)).hasSize(1);
    dns.remove("mx.example.com");
    assertThat(ask("mx.example.com.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
  }

  @Test
  void servfail_name_answersServfailUntilCleared() throws Exception {
    dns.txt("_mta-sts.example.com", "v=STSv1; id=1;");
    dns.servfail("_mta-sts.example.com");
    assertThat(ask("_mta-sts.example.com.", Type.TXT).getRcode()).isEqualTo(Rcode.SERVFAIL);
    dns.clearBehaviour("_mta-sts.example.com");
    assertThat(ask("_mta-sts.example.com.", Type.TXT).getSection(Section.ANSWER)).hasSize(1);
  }

  @Test
  void refuse_name_answersRefused() throws Exception {
    dns.refuse("_mta-sts.example.com");
    assertThat(ask("_mta-sts.example.com.", Type.TXT).getRcode()).isEqualTo(Rcode.REFUSED);
  }

  @Test
  void blackhole_udpAndTcp_clientTimesOutQuickly() {
    dns.blackhole("_mta-sts.example.com");
    resolver.setTimeout(Duration.ofMillis(300));
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> ask("_mta-sts.example.com.", Type.TXT)).isInstanceOf(IOException.class);
    resolver.setTCP(true);
    assertThatThrownBy(() -> ask("_mta-sts.example.com.", Type.TXT)).isInstanceOf(IOException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThat(dns.queries())
        .extracting(LoopbackDnsServer.Query::transport)
        .contains("udp", "tcp");
  }

  @Test
  void truncateOverUdp_udpGetsTcBitThenTcpGetsFullAnswer() throws Exception {
    dns.txt("_mta-sts.example.com", "v=STSv1; id=1;");
    dns.truncateOverUdp("_mta-sts.example.com");
    resolver.setIgnoreTruncation(true);
    Message udpOnly = ask("_mta-sts.example.com.", Type.TXT);
    assertThat(udpOnly.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(udpOnly.getSection(Section.ANSWER)).isEmpty();

    resolver.setIgnoreTruncation(false); // SimpleResolver then retries over TCP
    Message full = ask("_mta-sts.example.com.", Type.TXT);
    assertThat(full.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(full.getSection(Section.ANSWER)).hasSize(1);
    assertThat(dns.queries())
        .containsExactly(
            new LoopbackDnsServer.Query("_mta-sts.example.com.", "TXT", "udp"),
            new LoopbackDnsServer.Query("_mta-sts.example.com.", "TXT", "udp"),
            new LoopbackDnsServer.Query("_mta-sts.example.com.", "TXT", "tcp"));
  }

  @Test
  void query_answerTooBigForUdp_truncatedThenServedOverTcp() throws Exception {
    for (int i = 0; i < 6; i++) {
      dns.txt("big.example", "x".repeat(200) + i);
    }
    Message m = ask("big.example.", Type.TXT);
    assertThat(m.getSection(Section.ANSWER)).hasSize(6);
    assertThat(dns.count("big.example", "txt")).isEqualTo(2);
    assertThat(dns.queries()).extracting(LoopbackDnsServer.Query::transport).containsExactly("udp", "tcp");
  }

  @Test
  void count_caseInsensitiveAcrossNameForms() throws Exception {
    ask("Foo.Example.", Type.TXT);
    ask("foo.example.", Type.TXT);
    ask("foo.example.", Type.MX);
    assertThat(dns.count("FOO.example", "TXT")).isEqualTo(2);
    assertThat(dns.count("foo.example.", "mx")).isEqualTo(1);
    assertThat(dns.count("bar.example", "TXT")).isZero();
  }

  @Test
  void txt_stringOver255Bytes_rejected() {
    assertThatThrownBy(() -> dns.txt("x.example", "y".repeat(256)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void close_twice_isIdempotentAndStopsAnswering() {
    dns.close();
    dns.close();
    resolver.setTimeout(Duration.ofMillis(200));
    assertThatThrownBy(() -> ask("a.example.", Type.A)).isInstanceOf(IOException.class);
  }
}
