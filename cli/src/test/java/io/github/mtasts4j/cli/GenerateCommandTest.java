package io.github.mtasts4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mtasts4j.LintReport;
import io.github.mtasts4j.Mode;
import io.github.mtasts4j.MxPattern;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.PolicyLint;
import io.github.mtasts4j.PolicyRecord;
import io.github.mtasts4j.tlsrpt.TlsRptRecord;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class GenerateCommandTest {

  private static final String[] MAILCOW = {
    "generate", "--domain", "example.com", "--domain", "other.com", "--mx", "mail.example.com",
    "--rua", "mailto:tls@example.com", "--mailcow"
  };

  private static String policyBody(String out) {
    List<String> lines = new ArrayList<>();
    for (String l : out.split("\n")) {
      if (l.matches("(version|mode|mx|max_age): .*")) {
        lines.add(l);
      }
    }
    return String.join("\n", lines) + "\n";
  }

  @Test
  void generate_mailcowLayout_outputParsesBackWithOurParsers() {
    Cli.Result r = Cli.run(MAILCOW);
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
    String out = r.out();

    Matcher txt = Pattern.compile("^_mta-sts\\.example\\.com\\. 3600 IN TXT \"([^\"]+)\"$",
        Pattern.MULTILINE).matcher(out);
    assertThat(txt.find()).as(out).isTrue();
    PolicyRecord record = PolicyRecord.parse(txt.group(1));
    assertThat(record.id()).matches("\\d{14}Z");

    Policy policy = Policy.parse(policyBody(out));
    assertThat(policy.mode()).isEqualTo(Mode.TESTING);
    assertThat(policy.maxAgeSeconds()).isGreaterThanOrEqualTo(604_800L);
    assertThat(policy.mx()).extracting(MxPattern::text).containsExactly("mail.example.com");
    LintReport lint = PolicyLint.lint(policyBody(out));
    assertThat(lint.errors()).isEmpty();

    assertThat(out)
        .contains("mta-sts.example.com. 3600 IN CNAME mail.example.com.")
        .contains("_smtp._tls.example.com. 3600 IN TXT \"v=TLSRPTv1; rua=mailto:tls@example.com\"")
        .contains("mta-sts.other.com. 3600 IN CNAME mail.example.com.")
        .contains("_mta-sts.other.com. 3600 IN CNAME _mta-sts.example.com.")
        .contains("_smtp._tls.other.com. 3600 IN CNAME _smtp._tls.example.com.")
        .contains("ADDITIONAL_SAN=mta-sts.*")
        .contains("ADDITIONAL_SERVER_NAMES=mta-sts.*")
        .contains("acme-mailcow");
  }

  @Test
  void generate_json_everyFieldPresentAndPolicyFileParses() {
    String[] args = new String[MAILCOW.length + 5];
    System.arraycopy(MAILCOW, 0, args, 0, MAILCOW.length);
    System.arraycopy(
        new String[] {"--json", "--mode", "enforce", "--id", "abc123"}, 0, args, MAILCOW.length, 5);
    Cli.Result r = Cli.run(args);
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
    JsonNode j = r.json();
    assertThat(j.get("domains")).hasSize(2);
    assertThat(j.get("policy").get("mode").asText()).isEqualTo("enforce");
    assertThat(j.get("policy").get("max_age").asLong()).isEqualTo(604_800L);
    Policy p = Policy.parse(j.get("policy_file").asText());
    assertThat(p.mode()).isEqualTo(Mode.ENFORCE);
    assertThat(j.get("mailcow_conf")).hasSize(2);
    assertThat(j.get("advice")).isNotEmpty();
    List<String> txt = new ArrayList<>();
    for (JsonNode rec : j.get("records")) {
      if (rec.get("type").asText().equals("TXT") && rec.get("name").asText().startsWith("_mta-sts")) {
        txt.add(rec.get("value").asText());
      }
    }
    assertThat(txt).hasSize(1);
    assertThat(PolicyRecord.parse(txt.get(0)).id()).isEqualTo("abc123");
  }

  @Test
  void generate_withoutMailcow_extraDomainDelegatesToPrimaryPolicyHost() {
    Cli.Result r = Cli.run("generate", "--domain", "a.example", "--domain", "b.example",
        "--mx", "*.mx.a.example", "--rua", "https://reports.a.example/tlsrpt", "--max-age", "3600");
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
    assertThat(r.out())
        .contains("mta-sts.b.example. 3600 IN CNAME mta-sts.a.example.")
        .doesNotContain("ADDITIONAL_SAN")
        .contains("under a day");
    assertThat(Policy.parse(policyBody(r.out())).maxAgeSeconds()).isEqualTo(3600);
  }

  @Test
  void generate_tlsrptRecordAndPolicyFile_parseBackToTheInputs() {
    String[] base = {"generate", "--domain", "example.test", "--domain", "second.test",
        "--mx", "mail.example.test", "--mx", "*.backup.example.test",
        "--rua", "https://reports.example.test/tlsrpt", "--mode", "enforce",
        "--max-age", "1209600"};
    Cli.Result json = Cli.run(concat(base, "--json"));
    assertThat(json.code()).as(json.err()).isEqualTo(ExitCodes.OK);
    Cli.Result text = Cli.run(base);
    assertThat(text.code()).as(text.err()).isEqualTo(ExitCodes.OK);

    // the TLSRPT record, through tlsrpt's own parser, from both the JSON and the zone-file text
    String rptValue = null;
    for (JsonNode rec : json.json().get("records")) {
      if (rec.get("name").asText().equals("_smtp._tls.example.test")) {
        assertThat(rec.get("type").asText()).isEqualTo("TXT");
        rptValue = rec.get("value").asText();
      }
    }
    assertThat(rptValue).as(json.out()).isNotNull();
    Matcher zone = Pattern.compile("^_smtp\\._tls\\.example\\.test\\. \\d+ IN TXT \"([^\"]+)\"$",
        Pattern.MULTILINE).matcher(text.out());
    assertThat(zone.find()).as(text.out()).isTrue();
    assertThat(zone.group(1)).isEqualTo(rptValue);
    TlsRptRecord rpt = TlsRptRecord.parse(rptValue);
    assertThat(rpt.rua()).containsExactly(URI.create("https://reports.example.test/tlsrpt"));
    assertThat(rpt.ignoredRua()).isEmpty();
    assertThat(rpt.extensions()).isEmpty();

    // the policy file, through the sender's parser and the strict linter
    String file = json.json().get("policy_file").asText();
    assertThat(policyBody(text.out())).isEqualTo(file);
    Policy policy = Policy.parse(file);
    assertThat(policy.mode()).isEqualTo(Mode.ENFORCE);
    assertThat(policy.maxAgeSeconds()).isEqualTo(1_209_600L);
    assertThat(policy.mx()).extracting(MxPattern::text)
        .containsExactly("mail.example.test", "*.backup.example.test");
    LintReport lint = PolicyLint.lint(file);
    assertThat(lint.valid()).isTrue();
    assertThat(lint.errors()).isEmpty();
    assertThat(lint.warnings()).isEmpty();
    assertThat(lint.policy()).isEqualTo(policy);
    JsonNode view = json.json().get("policy");
    assertThat(view.get("mode").asText()).isEqualTo("enforce");
    assertThat(view.get("max_age").asLong()).isEqualTo(1_209_600L);
    assertThat(view.get("mx").get(1).asText()).isEqualTo("*.backup.example.test");
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void generate_badMode_usageError() {
    Cli.run("generate", "--domain", "example.com", "--mx", "mail.example.com", "--rua",
        "mailto:a@example.com", "--mode", "Enforce").assertOneLineError(ExitCodes.USAGE);
  }

  @Test
  void generate_badRua_usageError() {
    Cli.run("generate", "--domain", "example.com", "--mx", "mail.example.com", "--rua",
        "tls@example.com").assertOneLineError(ExitCodes.USAGE);
  }

  @Test
  void generate_malformedDomain_usageError() {
    Cli.Result r = Cli.run("generate", "--domain", "exa mple..com", "--mx", "mail.example.com",
        "--rua", "mailto:a@example.com").assertOneLineError(ExitCodes.USAGE);
    assertThat(r.err()).contains("not a valid domain name");
  }

  @Test
  void generate_maxAgeAboveLimit_usageError() {
    Cli.run("generate", "--domain", "example.com", "--mx", "mail.example.com", "--rua",
        "mailto:a@example.com", "--max-age", "31557601").assertOneLineError(ExitCodes.USAGE);
  }
}
