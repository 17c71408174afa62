package io.berth.e2e;

import java.nio.file.Path;

/** One control-plane node of a {@link NodeSet}: its place in the set, its port (kept across restarts) and data. */
record Node(int index, int port, Path dataDir) {

    /** The endpoint it listens on and advertises as its public endpoint. */
    String endpoint() {
        return "https://127.0.0.1:" + port;
    }

    @Override
    public String toString() {
        return "node " + (index + 1) + " (" + endpoint() + ")";
    }
}
