package io.github.mtasts4j.cache;

/**
 * A snapshot of a {@link PolicyCache}'s counters since it was built. Counters only increase.
 *
 * <p>Binding to a metrics library needs no adapter module: counters and the size come from {@link
 * PolicyCache#stats()}, and details the counters do not carry (failure types, refresh failures,
 * eviction causes) from a {@link CacheListener}. With Micrometer, for example:
 *
 * <pre>{@code
 * MeterRegistry registry = ...;
 * CacheListener events = new CacheListener() {
 *   public void fetchFailed(DomainName domain, String policyId, Failure failure) {
 *     registry.counter("mtasts.fetch.failures", "type", failure.type().token()).increment();
 *   }
 *   public void refreshFailed(DomainName domain, String policyId, Failure failure) {
 *     registry.counter("mtasts.refresh.failures").increment();
 *   }
 * };
 * PolicyCache cache = PolicyCache.newBuilder(mtaSts).listener(events).build();
 * FunctionCounter.builder("mtasts.cache.hits", cache, c -> c.stats().hits()).register(registry);
 * FunctionCounter.builder("mtasts.cache.misses", cache, c -> c.stats().misses()).register(registry);
 * FunctionCounter.builder("mtasts.cache.fetches", cache, c -> c.stats().fetches())
 *     .register(registry);
 * Gauge.builder("mtasts.cache.size", cache, c -> c.stats().size()).register(registry);
 * }</pre>
 *
 * Each {@link PolicyCache#stats()} call sums a few striped counters; it is meant for scraping,
 * not for every message. Avoid {@link CacheListener#hit} for metrics: use {@link #hits()}.
 *
 * @param hits lookups answered from memory with no network traffic (may undercount slightly
 *     under heavy concurrency, see {@link PolicyCache#stats()})
 * @param misses lookups that needed the network (or joined a lookup already under way)
 * @param txtLookups {@code _mta-sts} TXT lookups made by the cache
 * @param fetches successful policy fetches (including refreshes)
 * @param fetchFailures failed or invalid policy fetches (including refreshes)
 * @param fallbacks lookups answered with a cached policy because no live policy was available
 * @param refreshes background refreshes attempted
 * @param evictions entries removed by expiry or by the size bound
 * @param storeProblems problems reported by the policy store (corrupt files, failed writes)
 * @param size domains currently held (approximate)
 */
public record CacheStats(
    long hits,
    long misses,
    long txtLookups,
    long fetches,
    long fetchFailures,
    long fallbacks,
    long refreshes,
    long evictions,
    long storeProblems,
    long size) {}
