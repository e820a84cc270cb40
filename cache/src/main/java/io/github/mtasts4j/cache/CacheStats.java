package io.github.mtasts4j.cache;

/**
 * A snapshot of a {@link PolicyCache}'s counters since it was built. Counters only increase.
 *
 * @param hits lookups answered from memory with no network traffic
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
