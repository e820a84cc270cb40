package io.github.mtasts4j.smtp;

import io.github.mtasts4j.DomainName;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Operator overrides of MTA-STS for listed Policy Domains. Both lists are empty by default, and
 * every use shows up in {@link DeliveryReport#overridesUsed()}. Immutable and thread-safe.
 *
 * <pre>{@code
 * LocalOverrides overrides = LocalOverrides.builder()
 *     .skip(DomainName.of("broken-policy.example"))
 *     .testingAsEnforce(DomainName.of("bank.example"))
 *     .build();
 * }</pre>
 */
public final class LocalOverrides {

  /** The kinds of override. */
  public enum Kind {
    /** MTA-STS is not consulted for the domain at all: delivery is opportunistic. */
    SKIP_MTA_STS("skip-mta-sts"),
    /** A {@code testing} policy of the domain is applied as if its mode were {@code enforce}. */
    TESTING_AS_ENFORCE("testing-as-enforce");

    private final String token;

    Kind(String token) {
      this.token = token;
    }

    /** Returns the JSON spelling, such as {@code skip-mta-sts}. */
    public String token() {
      return token;
    }
  }

  private static final LocalOverrides NONE = new LocalOverrides(Set.of(), Set.of());

  private final Set<DomainName> skip;
  private final Set<DomainName> testingAsEnforce;

  private LocalOverrides(Set<DomainName> skip, Set<DomainName> testingAsEnforce) {
    this.skip = Set.copyOf(skip);
    this.testingAsEnforce = Set.copyOf(testingAsEnforce);
  }

  /** No overrides: MTA-STS applies as published. */
  public static LocalOverrides none() {
    return NONE;
  }

  /** Returns an empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** True when MTA-STS is skipped for {@code policyDomain}. */
  public boolean skips(DomainName policyDomain) {
    return skip.contains(Objects.requireNonNull(policyDomain, "policyDomain"));
  }

  /** True when a {@code testing} policy of {@code policyDomain} is applied as {@code enforce}. */
  public boolean treatsTestingAsEnforce(DomainName policyDomain) {
    return testingAsEnforce.contains(Objects.requireNonNull(policyDomain, "policyDomain"));
  }

  /** The domains for which MTA-STS is skipped. */
  public Set<DomainName> skipped() {
    return skip;
  }

  /** The domains whose {@code testing} policies are applied as {@code enforce}. */
  public Set<DomainName> testingAsEnforce() {
    return testingAsEnforce;
  }

  @Override
  public String toString() {
    return "LocalOverrides[skip=" + skip + ", testingAsEnforce=" + testingAsEnforce + "]";
  }

  /** Builds {@link LocalOverrides}. Not thread-safe. */
  public static final class Builder {
    private final Set<DomainName> skip = new LinkedHashSet<>();
    private final Set<DomainName> testingAsEnforce = new LinkedHashSet<>();

    private Builder() {}

    /**
     * Skips MTA-STS for {@code domains}.
     *
     * @throws IllegalArgumentException if a domain is also listed for {@link #testingAsEnforce}
     */
    public Builder skip(DomainName... domains) {
      return skip(java.util.List.of(domains));
    }

    /**
     * Skips MTA-STS for {@code domains}.
     *
     * @throws IllegalArgumentException if a domain is also listed for {@link #testingAsEnforce}
     */
    public Builder skip(Collection<DomainName> domains) {
      for (DomainName d : domains) {
        if (testingAsEnforce.contains(d)) {
          throw new IllegalArgumentException(
              d + " is already listed as testing-as-enforce; it cannot also be skipped");
        }
        skip.add(d);
      }
      return this;
    }

    /**
     * Applies {@code testing} policies of {@code domains} as {@code enforce}.
     *
     * @throws IllegalArgumentException if a domain is also listed for {@link #skip}
     */
    public Builder testingAsEnforce(DomainName... domains) {
      return testingAsEnforce(java.util.List.of(domains));
    }

    /**
     * Applies {@code testing} policies of {@code domains} as {@code enforce}.
     *
     * @throws IllegalArgumentException if a domain is also listed for {@link #skip}
     */
    public Builder testingAsEnforce(Collection<DomainName> domains) {
      for (DomainName d : domains) {
        if (skip.contains(d)) {
          throw new IllegalArgumentException(
              d + " is already listed as skipped; it cannot also be testing-as-enforce");
        }
        testingAsEnforce.add(d);
      }
      return this;
    }

    /** Builds the overrides. */
    public LocalOverrides build() {
      if (skip.isEmpty() && testingAsEnforce.isEmpty()) {
        return NONE;
      }
      return new LocalOverrides(skip, testingAsEnforce);
    }
  }
}
