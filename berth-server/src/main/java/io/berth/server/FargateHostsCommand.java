package io.berth.server;

import io.berth.server.fargate.FargateHostsHandler;
import picocli.CommandLine.Command;

/**
 * {@code berth fargate-hosts}: the hosts given to Fargate in the account and the signed region, which no ECS call
 * shows, with the tasks they run; signed as the account's root.
 */
@Command(name = "fargate-hosts", mixinStandardHelpOptions = true,
        description = "Lists the hosts given to Fargate ('berth agent --fargate') in the account and region, with the "
                + "Fargate tasks they run (JSON).")
final class FargateHostsCommand extends OperatorCommand {

    FargateHostsCommand() {
        super(FargateHostsHandler.PATH);
    }
}
