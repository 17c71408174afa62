package io.berth.server;

import io.berth.server.node.NodesHandler;
import picocli.CommandLine.Command;

/** {@code berth nodes}: asks any node which nodes share its store and which one leads, signed as an account's root. */
@Command(name = "nodes", mixinStandardHelpOptions = true,
        description = "Shows the control plane's nodes: which one leads, its epoch and when its lease runs out (JSON).")
final class NodesCommand extends OperatorCommand {

    NodesCommand() {
        super(NodesHandler.PATH);
    }
}
