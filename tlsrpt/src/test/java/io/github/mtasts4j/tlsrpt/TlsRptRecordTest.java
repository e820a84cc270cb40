package io.github.mtasts4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.spi.DnsAnswer;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TlsRptRecordTest {

  /** Rows: record | expected usable rua, separated by a space. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "v=TLSRPTv1;rua=mailto:tlsrpt@example.com | mailto:tlsrpt@example.com",
        "v=TLSRPTv1; rua=https://reports.example.com/v1/tlsrpt | https://reports.example.com/v1/tlsrpt",
        // RPT-4: delimiter with WSP on both sides and one trailing ';'
        "'v=TLSRPTv1 ;\trua=mailto:a@example.com ; ' | mailto:a@example.com",
        // RPT-3: comma list with WSP around commas
        "'v=TLSRPTv1;rua=mailto:a@example.com ,\thttps://r.example.net/x' | mailto:a@example.com https://r.example.net/x",
        // RPT-3 IMPL: other schemes ignored
        "v=TLSRPTv1;rua=http://r.example.net/x,ftp://f.example,mailto:a@example.com | mailto:a@example.com",
        // RPT-4 IMPL: union over repeated rua, duplicates dropped
        "v=TLSRPTv1;rua=mailto:a@example.com;rua=https://r.example.net/x,mailto:a@example.com | mailto:a@example.com https://r.example.net/x",
        // RPT-4: unknown extension fields accepted and ignored
        "v=TLSRPTv1;ext_1=foo;rua=mailto:a@example.com;x.y-z=1 | mailto:a@example.com",
        // percent-encoded comma inside a URI stays one URI
        "v=TLSRPTv1;rua=https://r.example.net/a%2Cb | https://r.example.net/a%2Cb",
        // scheme is case-insensitive
        "v=TLSRPTv1;rua=MAILTO:a@example.com | MAILTO:a@example.com",
      })
  void parse_validRecord_yieldsUsableRua(String txt, String expected) {
    TlsRptRecord record = TlsRptRecord.parse(txt);
    assertThat(record.rua())
        .containsExactlyElementsOf(Arrays.stream(expected.split(" ")).map(URI::create).toList());
  }

  @Test
  void parse_otherSchemes_keptAsIgnored() {
    TlsRptRecord record = TlsRptRecord.parse("v=TLSRPTv1;rua=http://r.example/x,mailto:a@b.example");
    assertThat(record.ignoredRua()).containsExactly(URI.create("http://r.example/x"));
  }

  @Test
  void parse_extensions_keptByName() {
    TlsRptRecord record = TlsRptRecord.parse("v=TLSRPTv1;rua=mailto:a@b.example;foo=bar");
    assertThat(record.extensions()).isEqualTo(Map.of("foo", "bar"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "v=tlsrptv1;rua=mailto:a@b.example | must begin with",
        "'v=TLSRPTv1 rua=mailto:a@b.example' | must begin with",
        "' v=TLSRPTv1;rua=mailto:a@b.example' | must begin with",
        "v=TLSRPTv2;rua=mailto:a@b.example | must begin with",
        "v=TLSRPTv1; | no rua",
        "v=TLSRPTv1;foo=bar | no rua",
        "v=TLSRPTv1;rua= | has no URI",
        "v=TLSRPTv1;rua=mailto:a@b.example,,mailto:c@d.example | empty URI",
        "v=TLSRPTv1;;rua=mailto:a@b.example | not name=value",
        "v=TLSRPTv1;rua=mailto:a@b.example;junk | not name=value",
        "v=TLSRPTv1;rua=https://a b.example/ | invalid URI",
        "v=TLSRPTv1;rua=mailto:a@b.example;v=TLSRPTv1 | only first",
        "v=TLSRPTv1;rua=mailto:a@b.example;_bad=1 | malformed extension",
      })
  void parse_invalidRecord_throwsNamingProblem(String txt, String message) {
    assertThatThrownBy(() -> TlsRptRecord.parse(txt))
        .isInstanceOf(InvalidTlsRptRecordException.class)
        .hasMessageContaining(message);
  }

  @Test
  void lookup_queriesSmtpTlsName() {
    MapDns dns = new MapDns().txt("_smtp._tls.example.com", "v=TLSRPTv1;rua=mailto:r@example.com");
    TlsRptLookup result = TlsRptLookup.lookup(dns, new DomainName("example.com"));
    assertThat(dns.asked).containsExactly("TXT _smtp._tls.example.com");
    assertThat(result).isInstanceOf(TlsRptLookup.Published.class);
    assertThat(((TlsRptLookup.Published) result).record().rua())
        .containsExactly(URI.create("mailto:r@example.com"));
  }

  @Test
  void lookup_otherTxtRecordsPresent_areDiscarded() {
    MapDns dns =
        new MapDns()
            .txt(
                "_smtp._tls.example.com",
                "v=spf1 -all",
                "v=TLSRPTv1;rua=mailto:r@example.com",
                "v=TLSRPTv10;rua=mailto:x@example.com");
    assertThat(TlsRptLookup.lookup(dns, new DomainName("example.com")))
        .isInstanceOf(TlsRptLookup.Published.class);
  }

  @Test
  void lookup_twoTlsRptRecords_notPublished() {
    MapDns dns =
        new MapDns()
            .txt(
                "_smtp._tls.example.com",
                "v=TLSRPTv1;rua=mailto:r@example.com",
                "v=TLSRPTv1; rua=https://r.example.com/");
    TlsRptLookup result = TlsRptLookup.lookup(dns, new DomainName("example.com"));
    assertThat(result).isInstanceOf(TlsRptLookup.NotPublished.class);
    assertThat(((TlsRptLookup.NotPublished) result).detail()).contains("2 TLSRPTv1 records");
  }

  @Test
  void lookup_invalidSingleRecord_notPublished() {
    MapDns dns = new MapDns().txt("_smtp._tls.example.com", "v=TLSRPTv1;foo=bar");
    TlsRptLookup result = TlsRptLookup.lookup(dns, new DomainName("example.com"));
    assertThat(result).isInstanceOf(TlsRptLookup.NotPublished.class);
    assertThat(((TlsRptLookup.NotPublished) result).detail()).contains("no rua");
  }

  @Test
  void lookup_nxdomain_notPublished() {
    assertThat(TlsRptLookup.lookup(new MapDns(), new DomainName("example.com")))
        .isInstanceOf(TlsRptLookup.NotPublished.class);
  }

  @Test
  void lookup_dnsError_failed() {
    MapDns dns = new MapDns();
    dns.txt.put("_smtp._tls.example.com", new DnsAnswer.Error<>("SERVFAIL"));
    TlsRptLookup result = TlsRptLookup.lookup(dns, new DomainName("example.com"));
    assertThat(result).isEqualTo(new TlsRptLookup.Failed(new DomainName("example.com"), "SERVFAIL"));
  }

  @Test
  void lookup_multiStringRecordJoinedByDnsClient_parses() {
    // RPT-6: the DnsClient joins character-strings with nothing between them.
    String joined = String.join("", List.of("v=TLSRPTv1;rua=mailto:r", "@example.com"));
    MapDns dns = new MapDns().txt("_smtp._tls.example.com", joined);
    TlsRptLookup result = TlsRptLookup.lookup(dns, new DomainName("example.com"));
    assertThat(((TlsRptLookup.Published) result).record().rua())
        .containsExactly(URI.create("mailto:r@example.com"));
  }
}
