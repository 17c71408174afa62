package io.berth.control.iam;

import io.berth.control.Caller;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityRequest;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * The STS API: who the caller is, and temporary credentials of roles. GetCallerIdentity needs no
 * permission, as in AWS.
 */
final class StsService {

    private final Directories directories;

    StsService(Directories directories) {
        this.directories = directories;
    }

    void addTo(QueryOperations operations) {
        operations.add("GetCallerIdentity", GetCallerIdentityRequest.class, this::getCallerIdentity);
    }

    GetCallerIdentityResponse getCallerIdentity(Caller caller, GetCallerIdentityRequest request) {
        String account = caller.scope().account();
        String userId = Principals.parse(caller.principalArn()).map(p -> switch (p.type()) {
            case "user" -> directories.cached(p.account()).user(p.name()).map(Directory.User::id).orElse(null);
            case "assumed-role" -> directories.cached(p.account()).role(p.name())
                    .map(r -> r.id() + ":" + p.sessionName()).orElse(null);
            default -> null;
        }).orElse(account);
        return GetCallerIdentityResponse.builder().userId(userId).account(account).arn(caller.principalArn()).build();
    }
}
