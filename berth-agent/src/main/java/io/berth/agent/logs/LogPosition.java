package io.berth.agent.logs;

/**
 * How far a container's log has been shipped, in terms Docker's {@code since} filter can find again: reading the log
 * from second {@code since} on, the first {@code skip} messages are shipped. Seconds rather than exact times, and a
 * count rather than the last time, because Docker's stdout and stderr readers may write a slightly older line after
 * a newer one.
 *
 * @param since epoch second to read from; 0 for the beginning
 * @param skip how many messages from there are already shipped
 * @param finished the container stopped and its last line is shipped
 */
record LogPosition(long since, long skip, boolean finished) {

    static final LogPosition START = new LogPosition(0, 0, false);

    LogPosition {
        if (since < 0 || skip < 0) {
            throw new IllegalArgumentException("A log position counts forward from the start");
        }
    }

    LogPosition asFinished() {
        return new LogPosition(since, skip, true);
    }
}
