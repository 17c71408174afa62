package io.berth.control.logs;

import io.berth.control.Caller;

/** Finds the log group a request names, by name or by identifier (its name or ARN). */
final class Groups {

    private Groups() {
    }

    /** The group name of a request that takes {@code logGroupName} or {@code logGroupIdentifier}, exactly one. */
    static String name(Caller caller, String logGroupName, String logGroupIdentifier) {
        if (logGroupName != null && logGroupIdentifier != null) {
            throw LogsErrors.invalidParameter(
                    "LogGroup name and LogGroup ARN are mutually exclusive parameters.");
        }
        if (logGroupIdentifier == null) {
            if (logGroupName == null) {
                throw LogsErrors.invalidParameter("Should provide either logGroupName or logGroupIdentifier.");
            }
            return LogsErrors.groupName("logGroupName", logGroupName);
        }
        LogsErrors.length("logGroupIdentifier", logGroupIdentifier, 1, 2048);
        if (logGroupIdentifier.startsWith("arn:")) {
            String name = LogsAccess.groupNameOf(caller.scope(), logGroupIdentifier);
            if (name == null) {
                throw LogsErrors.groupNotFound();
            }
            return LogsErrors.groupName("logGroupIdentifier", name);
        }
        return LogsErrors.groupName("logGroupIdentifier", logGroupIdentifier);
    }

    static StoredGroup find(LogStore store, Caller caller, String name) {
        return store.group(caller.scope().key(), name).orElseThrow(LogsErrors::groupNotFound);
    }
}
