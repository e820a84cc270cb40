/** Seams for DNS and HTTP, so tests and embedders can substitute their own. */
package io.github.mtasts4j.spi;
