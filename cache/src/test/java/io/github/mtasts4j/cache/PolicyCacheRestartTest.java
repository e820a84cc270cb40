package io.github.mtasts4j.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Mode;
import io.github.mtasts4j.Resolution;
import io.github.mtasts4j.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Persistence across restarts (issue #3 item 7). */
class PolicyCacheRestartTest {
  @TempDir Path dir;

  private final ScriptedNetwork net = new ScriptedNetwork();
  private final io.github.mtasts4j.testing.FakeClock clock = io.github.mtasts4j.testing.FakeClock.at(java.time.Instant.parse("2026-01-01T00:00:00Z"));
  private final List<String> problems = new CopyOnWriteArrayList<>();

  private PolicyCache newCache() {
    return PolicyCache.newBuilder(net::discover, net::fetch)
        .clock(clock)
        .ticker(clock)
        .noRefreshSweep()
        .refreshExecutor(r -> {})
        .store(PolicyStore.directory(dir))
        .listener(
            new CacheListener() {
              @Override
              public void storeProblem(String location, String detail) {
                problems.add(location + " | " + detail);
              }
            })
        .build();
  }

  private static DomainName d(String name) {
    return new DomainName(name);
  }

  @Test
  void restart_sameDirectory_samePoliciesWithSameRemainingLifetime() {
    List<String> names = List.of("a.example", "b.example", "c.example");
    for (String n : names) {
      net.record(d(n), "id" + n.charAt(0), Duration.ofMinutes(10));
      net.serve(d(n), Mode.ENFORCE, 86400, "mx." + n);
    }
    List<Resolution.Active> before = new ArrayList<>();
    try (PolicyCache first = newCache()) {
      for (String n : names) {
        before.add((Resolution.Active) first.resolve(d(n)));
        clock.advance(Duration.ofSeconds(7));
      }
    }
    clock.advance(Duration.ofHours(3));

    // DNS is down after the restart: the persisted policies must still apply (STS-28).
    names.forEach(n -> net.dnsFails(d(n)));
    try (PolicyCache second = newCache()) {
      for (Resolution.Active old : before) {
        Resolution now = second.resolve(old.domain());
        assertThat(now).isInstanceOfSatisfying(Resolution.Active.class, a -> {
          assertThat(a.source()).isEqualTo(Source.CACHE_FALLBACK);
          assertThat(a.policy()).isEqualTo(old.policy());
          assertThat(a.policyId()).isEqualTo(old.policyId());
          assertThat(a.expiresAt()).isEqualTo(old.expiresAt());
        });
      }
      names.forEach(n -> assertThat(net.fetches(d(n))).isEqualTo(1));
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void restart_afterConfirmingTxt_appliesAsCacheWithoutFetching() {
    net.record(d("a.example"), "x1", Duration.ofMinutes(10));
    net.serve(d("a.example"), Mode.TESTING, 3600, "mx.a.example");
    try (PolicyCache first = newCache()) {
      first.resolve(d("a.example"));
    }
    try (PolicyCache second = newCache()) {
      Resolution r = second.resolve(d("a.example"));
      assertThat(((Resolution.Active) r).source()).isEqualTo(Source.CACHE);
    }
    assertThat(net.fetches(d("a.example"))).isEqualTo(1);
    assertThat(net.txtQueries(d("a.example"))).isEqualTo(2);
  }

  @Test
  void restart_expiredWhileDown_notLoadedAndFileDeleted() {
    net.record(d("a.example"), "x1", Duration.ofMinutes(10));
    net.serve(d("a.example"), Mode.ENFORCE, 600, "mx.a.example");
    try (PolicyCache first = newCache()) {
      first.resolve(d("a.example"));
    }
    clock.advance(Duration.ofSeconds(601));
    try (PolicyCache second = newCache()) {
      assertThat(second.peek(d("a.example"))).isNull();
    }
    assertThat(dir.resolve("a.example.policy")).doesNotExist();
  }

  @Test
  void restart_truncatedAndCorruptFiles_othersLoadAndProblemsNameTheFiles() throws IOException {
    List<String> names = List.of("a.example", "b.example", "c.example", "d.example");
    for (String n : names) {
      net.record(d(n), "id1", Duration.ofMinutes(10));
      net.serve(d(n), Mode.ENFORCE, 86400, "mx." + n);
    }
    try (PolicyCache first = newCache()) {
      names.forEach(n -> first.resolve(d(n)));
    }
    Path truncated = dir.resolve("b.example.policy");
    byte[] bytes = Files.readAllBytes(truncated);
    Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    Path corrupt = dir.resolve("c.example.policy");
    Files.writeString(corrupt, "this is not a policy file at all");

    try (PolicyCache second = newCache()) {
      assertThat(second.cachedPolicies())
          .extracting(a -> a.domain().value())
          .containsExactlyInAnyOrder("a.example", "d.example");
      assertThat(second.stats().storeProblems()).isEqualTo(2);
    }
    assertThat(problems).hasSize(2);
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith(truncated.toString()));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith(corrupt.toString()));
  }
}
