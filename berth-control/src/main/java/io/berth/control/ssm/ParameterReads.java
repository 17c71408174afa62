package io.berth.control.ssm;

import io.berth.control.Caller;
import io.berth.control.Paging;
import io.berth.control.crypto.Sealer;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import io.berth.model.EcsException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ssm.model.DescribeParametersRequest;
import software.amazon.awssdk.services.ssm.model.DescribeParametersResponse;
import software.amazon.awssdk.services.ssm.model.GetParameterHistoryRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterHistoryResponse;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathRequest;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.GetParametersRequest;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterHistory;
import software.amazon.awssdk.services.ssm.model.ParameterMetadata;

/** GetParameter, GetParameters, GetParametersByPath, DescribeParameters and GetParameterHistory. */
final class ParameterReads {

    private static final Logger log = LoggerFactory.getLogger(ParameterReads.class);

    private final State state;
    private final Sealer sealer;
    private final ParameterPermissions permissions;

    ParameterReads(State state, Sealer sealer, ParameterPermissions permissions) {
        this.state = state;
        this.sealer = sealer;
        this.permissions = permissions;
    }

    GetParameterResponse getParameter(Caller caller, GetParameterRequest request) {
        Region region = state.region(caller.scope());
        Parameters.Ref ref = Parameters.parseRef(caller.scope(), region, "name", request.name());
        permissions.require(caller, "GetParameter", ref.name(), region.get(Parameters.KIND, ref.name()).orElse(null));
        ParameterVersion version = Parameters.resolve(region, ref);
        boolean decrypt = Boolean.TRUE.equals(request.withDecryption());
        return GetParameterResponse.builder().parameter(present(caller, version, ref.selector(), decrypt)).build();
    }

    GetParametersResponse getParameters(Caller caller, GetParametersRequest request) {
        List<String> names = request.hasNames() ? request.names() : List.of();
        if (names.isEmpty() || names.size() > 10) {
            throw SsmErrors.constraint("names", null, names.isEmpty()
                    ? "Member must have length greater than or equal to 1"
                    : "Member must have length less than or equal to 10");
        }
        Region region = state.region(caller.scope());
        Map<String, Parameters.Ref> refs = new LinkedHashMap<>();
        List<String> invalid = new ArrayList<>();
        for (String name : names) {
            try {
                refs.putIfAbsent(name, Parameters.parseRef(caller.scope(), region, "names.member", name));
            } catch (EcsException e) {
                if (!invalid.contains(name)) {
                    invalid.add(name);
                }
            }
        }
        for (Parameters.Ref ref : refs.values()) {
            permissions.require(caller, "GetParameters", ref.name(), region.get(Parameters.KIND, ref.name()).orElse(null));
        }
        boolean decrypt = Boolean.TRUE.equals(request.withDecryption());
        List<Parameter> found = new ArrayList<>();
        refs.forEach((name, ref) -> {
            try {
                found.add(present(caller, Parameters.resolve(region, ref), ref.selector(), decrypt));
            } catch (EcsException e) {
                if (!"ParameterNotFound".equals(e.code()) && !"ParameterVersionNotFound".equals(e.code())) {
                    throw e;
                }
                invalid.add(name);
            }
        });
        return GetParametersResponse.builder().parameters(found).invalidParameters(invalid).build();
    }

    GetParametersByPathResponse getParametersByPath(Caller caller, GetParametersByPathRequest request) {
        String path = Parameters.requireValidPath("path", request.path());
        List<ParameterFilters.Filter> filters = ParameterFilters.forPath(
                request.hasParameterFilters() ? request.parameterFilters() : List.of());
        boolean recursive = Boolean.TRUE.equals(request.recursive());
        checkPaging(request.maxResults(), 10, request.nextToken());
        permissions.requireOn(caller, "GetParametersByPath", Parameters.arn(caller.scope(), path));
        Region region = state.region(caller.scope());
        List<ParameterVersion> matching = new ArrayList<>();
        for (StoredParameter stored : region.withPrefix(Parameters.KIND, Parameters.childPrefix(path))) {
            if (!ParameterFilters.underPath(stored.name(), path, recursive)) {
                continue;
            }
            ParameterVersion latest = Parameters.version(region, stored.name(), stored.version()).orElse(null);
            if (latest != null && ParameterFilters.matches(filters, stored, latest,
                    () -> Parameters.versions(region, stored.name()))) {
                matching.add(latest);
            }
        }
        Paging.Page<ParameterVersion> page = Paging.page(matching, ParameterVersion::name, request.maxResults(),
                request.nextToken(), 10, 10);
        boolean decrypt = Boolean.TRUE.equals(request.withDecryption());
        List<Parameter> parameters = new ArrayList<>();
        for (ParameterVersion version : page.items()) {
            parameters.add(present(caller, version, null, decrypt));
        }
        return GetParametersByPathResponse.builder().parameters(parameters).nextToken(page.nextToken()).build();
    }

    DescribeParametersResponse describeParameters(Caller caller, DescribeParametersRequest request) {
        List<ParameterFilters.Filter> filters = ParameterFilters.forDescribe(
                request.hasFilters() ? request.filters() : List.of(),
                request.hasParameterFilters() ? request.parameterFilters() : List.of());
        checkPaging(request.maxResults(), 50, request.nextToken());
        permissions.requireOn(caller, "DescribeParameters", "*");
        Region region = state.region(caller.scope());
        List<ParameterVersion> matching = new ArrayList<>();
        for (StoredParameter stored : region.all(Parameters.KIND)) {
            ParameterVersion latest = Parameters.version(region, stored.name(), stored.version()).orElse(null);
            if (latest != null && ParameterFilters.matches(filters, stored, latest,
                    () -> Parameters.versions(region, stored.name()))) {
                matching.add(latest);
            }
        }
        Paging.Page<ParameterVersion> page = Paging.page(matching, ParameterVersion::name, request.maxResults(),
                request.nextToken(), 50, 50);
        List<ParameterMetadata> described = page.items().stream().map(v -> ParameterMetadata.builder()
                .name(v.name()).arn(Parameters.arn(caller.scope(), v.name())).type(v.type()).keyId(v.keyId())
                .lastModifiedDate(v.lastModifiedDate()).lastModifiedUser(v.lastModifiedUser())
                .description(v.description()).allowedPattern(v.allowedPattern()).version(v.version()).tier(v.tier())
                .dataType(v.dataType()).build()).toList();
        return DescribeParametersResponse.builder().parameters(described).nextToken(page.nextToken()).build();
    }

    GetParameterHistoryResponse getParameterHistory(Caller caller, GetParameterHistoryRequest request) {
        Region region = state.region(caller.scope());
        String name = Parameters.parseName(caller.scope(), region, "name", request.name());
        checkPaging(request.maxResults(), 50, request.nextToken());
        StoredParameter stored = region.get(Parameters.KIND, name).orElse(null);
        permissions.require(caller, "GetParameterHistory", name, stored);
        if (stored == null) {
            throw SsmErrors.notFound(name);
        }
        Function<ParameterVersion, String> key = v -> String.format("%019d", v.version());
        Paging.Page<ParameterVersion> page = Paging.page(Parameters.versions(region, name), key, request.maxResults(),
                request.nextToken(), 50, 50);
        boolean decrypt = Boolean.TRUE.equals(request.withDecryption());
        List<ParameterHistory> history = new ArrayList<>();
        for (ParameterVersion v : page.items()) {
            history.add(ParameterHistory.builder().name(v.name()).type(v.type()).keyId(v.keyId())
                    .lastModifiedDate(v.lastModifiedDate()).lastModifiedUser(v.lastModifiedUser())
                    .description(v.description()).value(valueOf(caller, v, decrypt)).allowedPattern(v.allowedPattern())
                    .version(v.version()).labels(v.labels()).tier(v.tier()).dataType(v.dataType()).build());
        }
        return GetParameterHistoryResponse.builder().parameters(history).nextToken(page.nextToken()).build();
    }

    private Parameter present(Caller caller, ParameterVersion version, String selector, boolean decrypt) {
        return Parameter.builder().name(version.name()).type(version.type()).value(valueOf(caller, version, decrypt))
                .version(version.version()).selector(selector).lastModifiedDate(version.lastModifiedDate())
                .arn(Parameters.arn(caller.scope(), version.name())).dataType(version.dataType()).build();
    }

    /**
     * The value a caller sees: a String's as stored; a SecureString's opened when asked to decrypt (and allowed to
     * use its key), else its sealed form, as SSM answers the ciphertext.
     */
    private String valueOf(Caller caller, ParameterVersion version, boolean decrypt) {
        if (!version.secure()) {
            return version.value();
        }
        if (!decrypt) {
            return version.sealedValue();
        }
        permissions.requireKey(caller, "Decrypt", version.keyId());
        try {
            byte[] plain = sealer.open(version.sealedValue(), version.keyId(),
                    Parameters.sealingContext(caller.scope(), version.name(), version.version()));
            return new String(plain, StandardCharsets.UTF_8);
        } catch (Sealer.BrokenSealException e) {
            log.error("SecureString {} version {} does not decrypt: {}", version.name(), version.version(),
                    e.getMessage());
            throw SsmErrors.cannotDecrypt();
        }
    }

    /** Refuses a page size outside 1..limit and a token this service did not make. */
    static void checkPaging(Integer maxResults, int limit, String nextToken) {
        if (maxResults != null && maxResults < 1) {
            throw SsmErrors.constraint("maxResults", maxResults, "Member must have value greater than or equal to 1");
        }
        if (maxResults != null && maxResults > limit) {
            throw SsmErrors.constraint("maxResults", maxResults, "Member must have value less than or equal to "
                    + limit);
        }
        try {
            Paging.decode(nextToken);
        } catch (EcsException e) {
            throw SsmErrors.invalidNextToken();
        }
    }
}
