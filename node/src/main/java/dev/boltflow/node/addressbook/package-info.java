/**
 * The node's address book: {@link dev.boltflow.node.addressbook.PersistentNetworkView} is the
 * {@link dev.boltflow.core.sendinvoice.NetworkView} the onion messenger dials with, kept in
 * {@code DIR/NETWORK/addressbook.json} across restarts. It holds the addresses we dialled
 * successfully, never the remote address of a peer that connected to us.
 */
package dev.boltflow.node.addressbook;
