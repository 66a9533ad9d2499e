/**
 * What makes a re-render incremental: the run's source files read once, listings and fingerprints
 * of inputs, the key of what an instance was resolved from, and the stamp beside each release dir
 * that lets an unchanged instance be skipped without resolving, planning or rendering it.
 */
package io.facsimile.core.incremental;
