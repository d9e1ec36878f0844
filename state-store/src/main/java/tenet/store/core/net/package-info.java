/**
 * Pure value types for the network fields of Tenet resources: IP addresses, prefixes, interface
 * addresses, MAC addresses, label selectors and resource names.
 *
 * <p>Every {@code parse} method throws {@link java.lang.IllegalArgumentException} whose message is
 * a reason the user can act on. Messages never name the field being parsed: the validator that
 * calls them knows the field path and prefixes it. Nothing here does I/O, DNS included, so the
 * store's validation stays deterministic on every replica.
 */
package tenet.store.core.net;
