package dev.boltflow.node.config;

/** A configuration that cannot be used: the message says which option, where, and why. */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
