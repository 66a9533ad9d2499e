/**
 * File locks shared by the state, the release dirs and the local deploy ({@link io.facsimile.core.lock.ExclusiveFileLock}):
 * one place for what the OS and the JDK make subtle.
 */
package io.facsimile.core.lock;
