package io.github.mtasts4j.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.cache.PolicyStore.Problem;
import io.github.mtasts4j.cache.PolicyStore.StoredPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyStoreTest {
  @TempDir Path dir;

  private static StoredPolicy stored(String domain, String id, long fetchedAt, long maxAge) {
    String body =
        "version: STSv1\r\nmode: enforce\r\nmx: mx." + domain + "\r\nmax_age: " + maxAge + "\r\n";
    return new StoredPolicy(
        new DomainName(domain), id, Instant.ofEpochSecond(fetchedAt), Policy.parse(body), body);
  }

  @Test
  void directory_saveThenLoad_roundTripsEveryField() throws IOException {
    PolicyStore store = PolicyStore.directory(dir);
    StoredPolicy a = stored("a.example", "id1", 1_700_000_000L, 86400);
    StoredPolicy b = stored("b.example", "id2", 1_700_000_100L, 604800);
    store.save(a);
    store.save(b);

    List<Problem> problems = new ArrayList<>();
    List<StoredPolicy> loaded = PolicyStore.directory(dir).loadAll(problems::add);

    assertThat(problems).isEmpty();
    assertThat(loaded).usingRecursiveFieldByFieldElementComparator().containsExactlyInAnyOrder(a, b);
    assertThat(dir.resolve("a.example.policy")).exists();
  }

  @Test
  void directory_loadOneDomain_returnsSavedPolicyOrNullWhenAbsent() throws IOException {
    PolicyStore store = PolicyStore.directory(dir);
    StoredPolicy a = stored("a.example", "id1", 1_700_000_000L, 86400);
    store.save(a);

    assertThat(PolicyStore.directory(dir).load(new DomainName("a.example")))
        .usingRecursiveComparison().isEqualTo(a);
    assertThat(store.load(new DomainName("b.example"))).isNull();
  }

  @Test
  void directory_loadCorruptFile_throwsNamingTheProblem() throws IOException {
    PolicyStore store = PolicyStore.directory(dir);
    store.save(stored("a.example", "id1", 1_700_000_000L, 86400));
    Path file = dir.resolve("a.example.policy");
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));

    org.assertj.core.api.Assertions.assertThatIOException()
        .isThrownBy(() -> store.load(new DomainName("a.example")))
        .withMessageContaining("truncated");
  }

  @Test
  void none_load_returnsNull() throws IOException {
    assertThat(PolicyStore.none().load(new DomainName("a.example"))).isNull();
  }

  @Test
  void directory_saveSameDomainTwice_keepsOnlyTheLatestAndNoTempFiles() throws IOException {
    PolicyStore store = PolicyStore.directory(dir);
    store.save(stored("a.example", "old", 1_700_000_000L, 86400));
    store.save(stored("a.example", "new", 1_700_000_500L, 86400));
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.example.policy");
    }
    assertThat(store.loadAll(p -> {})).extracting(StoredPolicy::policyId).containsExactly("new");
  }

  @Test
  void directory_truncatedAndCorruptFiles_skippedAndNamedOthersLoad() throws IOException {
    PolicyStore store = PolicyStore.directory(dir);
    store.save(stored("good.example", "g", 1_700_000_000L, 86400));
    store.save(stored("cut.example", "c", 1_700_000_000L, 86400));
    store.save(stored("bad.example", "b", 1_700_000_000L, 86400));
    Path cut = dir.resolve("cut.example.policy");
    byte[] bytes = Files.readAllBytes(cut);
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 10));
    Path bad = dir.resolve("bad.example.policy");
    byte[] flipped = Files.readAllBytes(bad);
    flipped[flipped.length - 5] ^= 0x20; // one bit of the body
    Files.write(bad, flipped);
    Files.writeString(dir.resolve("junk.example.policy"), "\u0000\u0001garbage");

    List<Problem> problems = new ArrayList<>();
    List<StoredPolicy> loaded = PolicyStore.directory(dir).loadAll(problems::add);

    assertThat(loaded).extracting(s -> s.domain().value()).containsExactly("good.example");
    assertThat(problems)
        .extracting(Problem::location)
        .containsExactlyInAnyOrder(
            cut.toString(), bad.toString(), dir.resolve("junk.example.policy").toString());
    assertThat(problems)
        .filteredOn(p -> p.location().equals(cut.toString()))
        .extracting(Problem::detail)
        .singleElement()
        .asString()
        .contains("truncated");
    assertThat(problems)
        .filteredOn(p -> p.location().equals(bad.toString()))
        .extracting(Problem::detail)
        .singleElement()
        .asString()
        .contains("checksum");
  }

  @Test
  void directory_validChecksumButInvalidPolicy_reported() throws IOException {
    String body = "version: STSv1\nmode: enforce\nmax_age: 86400\n"; // enforce without mx
    byte[] file =
        DirectoryPolicyStore.encode(
            new StoredPolicy(
                new DomainName("x.example"),
                "i",
                Instant.ofEpochSecond(1),
                stored("x.example", "i", 1, 1).policy(),
                body));
    Files.write(dir.resolve("x.example.policy"), file);
    List<Problem> problems = new ArrayList<>();
    assertThat(PolicyStore.directory(dir).loadAll(problems::add)).isEmpty();
    assertThat(problems).singleElement().satisfies(p -> assertThat(p.detail()).startsWith("invalid"));
  }

  @Test
  void directory_fileRenamedToOtherDomain_rejected() throws IOException {
    PolicyStore store = PolicyStore.directory(dir);
    store.save(stored("a.example", "id1", 1_700_000_000L, 86400));
    Files.move(dir.resolve("a.example.policy"), dir.resolve("victim.example.policy"));
    List<Problem> problems = new ArrayList<>();
    assertThat(PolicyStore.directory(dir).loadAll(problems::add)).isEmpty();
    assertThat(problems).singleElement().satisfies(p -> assertThat(p.detail()).contains("a.example"));
  }

  @Test
  void directory_leftoverTempFile_deletedAndIgnored() throws IOException {
    Path temp = dir.resolve(".a.example.policy.123.tmp");
    Files.writeString(temp, "half", StandardCharsets.US_ASCII);
    List<Problem> problems = new ArrayList<>();
    assertThat(PolicyStore.directory(dir).loadAll(problems::add)).isEmpty();
    assertThat(problems).isEmpty();
    assertThat(temp).doesNotExist();
  }

  @Test
  void directory_overMaxEntries_deletesThoseExpiringSoonest() throws IOException {
    PolicyStore store = PolicyStore.directory(dir, 2);
    store.save(stored("long.example", "l", 1_700_000_000L, 604800));
    store.save(stored("short.example", "s", 1_700_000_000L, 3600));
    store.save(stored("mid.example", "m", 1_700_000_000L, 86400));
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted(Comparator.naturalOrder()))
          .containsExactly("long.example.policy", "mid.example.policy");
    }
  }

  @Test
  void directory_deleteRemovesFile() throws IOException {
    PolicyStore store = PolicyStore.directory(dir);
    store.save(stored("a.example", "id1", 1_700_000_000L, 86400));
    store.delete(new DomainName("a.example"));
    assertThat(store.loadAll(p -> {})).isEmpty();
  }

  @Test
  void directory_maxEntriesBelowOne_rejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> PolicyStore.directory(dir, 0));
  }
}
