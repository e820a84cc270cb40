package io.github.mtasts4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoCommandTest {

  @Test
  void demo_human_everyScenarioOutcomeShownWithinTimeLimit() {
    long start = System.nanoTime();
    Cli.Result r = Cli.run("demo");
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCodes.OK);
    assertThat(seconds).isLessThan(15);
    assertThat(r.out())
        .containsPattern("good MX\\s+enforce\\s+mx.good.test\\s+match\\s+verified\\s+-\\s+"
            + "delivered\\s+delivered\\s+mx.good.test \\(TLS\\)")
        .containsPattern("rogue.outside.test\\s+no match\\s+not-attempted\\s+\\S+\\s+"
            + "skipped \\(never connected\\)")
        .containsPattern("bad certificate, enforce.*certificate-host-mismatch.*deferred\\s+nowhere")
        .containsPattern("no STARTTLS, enforce.*not-offered\\s+starttls-not-supported.*deferred\\s+"
            + "nowhere")
        .containsPattern("bad certificate, testing.*certificate-expired.*delivered\\s+"
            + "mx.testing.test \\(TLS\\)")
        .containsPattern("no policy, no STARTTLS.*mx.nopolicy.test \\(cleartext\\)")
        .contains("All 6 scenarios behaved as RFC 8461 requires");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void demo_json_scenariosAndArrivals() {
    Cli.Result r = Cli.run("demo", "--json");
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCodes.OK);
    JsonNode j = r.json();
    assertThat(j.get("all_as_expected").asBoolean()).isTrue();
    Map<String, JsonNode> byName = new HashMap<>();
    j.get("scenarios").forEach(s -> byName.put(s.get("name").asText(), s));
    assertThat(byName).hasSize(6);
    assertThat(byName.get("good MX").get("status").asText()).isEqualTo("delivered");
    assertThat(byName.get("good MX").get("arrived_at").get(0).asText())
        .isEqualTo("mx.good.test (TLS)");
    assertThat(byName.get("MX outside the policy").get("never_connected").get(0).asText())
        .isEqualTo("rogue.outside.test");
    assertThat(byName.get("bad certificate, enforce").get("status").asText())
        .isEqualTo("deferred");
    assertThat(byName.get("bad certificate, enforce").get("arrived_at")).isEmpty();
    assertThat(byName.get("no STARTTLS, enforce").get("attempts").get(0).get("failure").asText())
        .isEqualTo("starttls-not-supported");
    assertThat(byName.get("bad certificate, testing").get("status").asText())
        .isEqualTo("delivered");
  }
}
