package io.berth.server.api;

import io.berth.control.Operations;
import io.berth.control.access.AccessControl;
import io.berth.model.AwsJson;
import io.berth.model.EcsException;
import software.amazon.awssdk.services.ecs.model.EcsRequest;
import software.amazon.awssdk.services.ecs.model.EcsResponse;

/**
 * Every ECS operation Berth answers, by name: a {@link JsonTable} for the ECS target whose gate is
 * the ECS access control. Operations of the ECS API that no service added answer
 * UnsupportedFeatureException naming the operation; names outside the API answer
 * UnknownOperationException.
 */
public final class OperationTable implements Operations {

    public static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";
    public static final int MAX_BODY_BYTES = 1 << 20;
    private static final String MODEL_PACKAGE = EcsRequest.class.getPackageName();

    private final JsonTable table;

    /** @param access decides, once a request is decoded and before it runs, whether the caller may make it */
    public OperationTable(AwsJson json, AccessControl access) {
        this.table = new JsonTable(TARGET_PREFIX, "ecs", MAX_BODY_BYTES, json,
                (operation, caller, request, origin) -> access.authorize(caller, operation, (EcsRequest) request, origin),
                OperationTable::unknown);
    }

    @Override
    public <Q extends EcsRequest, R extends EcsResponse> void add(String name, Class<Q> requestType,
            Handler<Q, R> handler) {
        table.add(name, requestType, handler::handle);
    }

    /** The ECS operations as the edge serves them. */
    public JsonTable table() {
        return table;
    }

    public boolean supports(String operation) {
        return table.supports(operation);
    }

    private static EcsException unknown(String operation) {
        if (isEcsOperation(operation)) {
            return EcsException.unsupportedFeature("Berth does not support the ECS operation " + operation + " yet.");
        }
        return JsonTable.unknownOperation(operation);
    }

    /** Whether the name is an operation of the ECS API: the SDK has a request shape for each. */
    static boolean isEcsOperation(String operation) {
        if (operation.isEmpty() || !Character.isUpperCase(operation.charAt(0))
                || !operation.chars().allMatch(Character::isLetterOrDigit)) {
            return false;
        }
        try {
            Class<?> type = Class.forName(MODEL_PACKAGE + "." + operation + "Request");
            return EcsRequest.class.isAssignableFrom(type);
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
