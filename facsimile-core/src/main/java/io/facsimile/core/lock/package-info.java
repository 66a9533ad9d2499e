/** File-lock primitives shared by the state and the deploy: one place for what the OS and the JDK make subtle. */
package io.facsimile.core.lock;
