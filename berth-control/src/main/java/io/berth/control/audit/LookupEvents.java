package io.berth.control.audit;

import io.berth.control.Caller;
import io.berth.control.access.ServiceAccess;
import io.berth.control.iam.AccessRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttribute;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsRequest;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;
import software.amazon.awssdk.services.cloudtrail.model.Resource;

/**
 * LookupEvents over the caller's account and region: at most one lookup attribute, a time range (the
 * last 90 days unless given), newest first, pages of up to 50 events. A page token holds where the
 * page ended and a fingerprint of the request, so that it is refused with other parameters.
 */
final class LookupEvents {

    static final int MAX_RESULTS = 50;
    private static final int MAX_VALUE_LENGTH = 2000;

    private final AuditStore store;
    private final ServiceAccess access;
    private final Clock clock;

    LookupEvents(AuditStore store, ServiceAccess access, Clock clock) {
        this.store = store;
        this.access = access;
        this.clock = clock;
    }

    LookupEventsResponse lookup(Caller caller, LookupEventsRequest request) {
        access.require(caller, new AccessRequest("cloudtrail:LookupEvents", "*"));
        if (request.eventCategoryAsString() != null && !"insight".equals(request.eventCategoryAsString())) {
            throw CloudTrailErrors.invalidEventCategory();
        }
        int limit = request.maxResults() == null ? MAX_RESULTS : request.maxResults();
        if (limit < 1 || limit > MAX_RESULTS) {
            throw CloudTrailErrors.invalidMaxResults();
        }
        LookupAttribute attribute = attributeOf(request);
        Instant now = clock.instant();
        long end = millisOf(request.endTime() != null ? request.endTime() : now);
        long start = millisOf(request.startTime() != null ? request.startTime() : now.minus(AuditRetention.RETENTION));
        if (start > end) {
            throw CloudTrailErrors.invalidTimeRange();
        }
        String fingerprint = fingerprint(request, attribute);
        AuditQuery.Cursor after = request.nextToken() == null ? null : parse(request.nextToken(), fingerprint);
        if ("insight".equals(request.eventCategoryAsString())) {
            // Insights events are never made here: there is none to find.
            return LookupEventsResponse.builder().events(List.of()).build();
        }
        AuditQuery.Attribute key = attribute == null ? null : AuditQuery.Attribute.valueOf(
                attribute.attributeKey().name());
        List<AuditRecord> found = store.lookup(new AuditQuery(caller.scope().key(), key,
                attribute == null ? null : attribute.attributeValue(), start, end, after, limit + 1));
        List<Event> events = new ArrayList<>(Math.min(found.size(), limit));
        for (AuditRecord record : found.subList(0, Math.min(found.size(), limit))) {
            events.add(eventOf(record));
        }
        String nextToken = null;
        if (found.size() > limit) {
            AuditRecord last = found.get(limit - 1);
            nextToken = token(new AuditQuery.Cursor(last.eventTime(), last.eventId()), fingerprint);
        }
        return LookupEventsResponse.builder().events(events).nextToken(nextToken).build();
    }

    /** A time as milliseconds; one beyond what milliseconds since the epoch can hold is out of any range. */
    private static long millisOf(Instant time) {
        try {
            return time.toEpochMilli();
        } catch (ArithmeticException e) {
            throw CloudTrailErrors.invalidTimeRange();
        }
    }

    private static LookupAttribute attributeOf(LookupEventsRequest request) {
        if (!request.hasLookupAttributes() || request.lookupAttributes().isEmpty()) {
            return null;
        }
        if (request.lookupAttributes().size() > 1) {
            throw CloudTrailErrors.invalidLookupAttributes("You cannot specify more than one lookup attribute.");
        }
        LookupAttribute attribute = request.lookupAttributes().getFirst();
        if (attribute == null || attribute.attributeKey() == null
                || attribute.attributeKey() == LookupAttributeKey.UNKNOWN_TO_SDK_VERSION) {
            throw CloudTrailErrors.invalidLookupAttributes("The lookup attribute key "
                    + (attribute == null ? null : attribute.attributeKeyAsString()) + " is not valid. Valid keys are "
                    + "EventId, EventName, ReadOnly, Username, ResourceType, ResourceName, EventSource and "
                    + "AccessKeyId.");
        }
        String value = attribute.attributeValue();
        if (value == null || value.isEmpty() || value.length() > MAX_VALUE_LENGTH) {
            throw CloudTrailErrors.invalidLookupAttributes("The lookup attribute value must be 1 to "
                    + MAX_VALUE_LENGTH + " characters long.");
        }
        return attribute;
    }

    private static Event eventOf(AuditRecord record) {
        List<Resource> resources = record.resources().stream()
                .map(r -> Resource.builder().resourceType(r.type()).resourceName(r.name()).build()).toList();
        return Event.builder().eventId(record.eventId()).eventName(record.eventName())
                .readOnly(Boolean.toString(record.readOnly())).accessKeyId(record.accessKeyId())
                .eventTime(Instant.ofEpochMilli(record.eventTime())).eventSource(record.eventSource())
                .username(record.username()).resources(resources).cloudTrailEvent(record.cloudTrailEvent()).build();
    }

    /** What a token is bound to: the request's own parameters, not the defaults that move with the clock. */
    private static String fingerprint(LookupEventsRequest request, LookupAttribute attribute) {
        return Integer.toHexString(Objects.hash(attribute == null ? null : attribute.attributeKeyAsString(),
                attribute == null ? null : attribute.attributeValue(), request.startTime(), request.endTime()));
    }

    private static String token(AuditQuery.Cursor cursor, String fingerprint) {
        String text = cursor.eventTime() + ":" + cursor.eventId() + ":" + fingerprint;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static AuditQuery.Cursor parse(String token, String fingerprint) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":", -1);
            if (parts.length != 3 || !parts[2].equals(fingerprint) || parts[1].length() != 36) {
                throw CloudTrailErrors.invalidNextToken();
            }
            return new AuditQuery.Cursor(Long.parseLong(parts[0]), parts[1]);
        } catch (IllegalArgumentException e) {
            throw CloudTrailErrors.invalidNextToken();
        }
    }
}
