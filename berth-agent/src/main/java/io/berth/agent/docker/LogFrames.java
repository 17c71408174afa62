package io.berth.agent.docker;

/** What a followed container log delivers, on the thread reading it; a slow receiver holds the reading back. */
public interface LogFrames {

    /**
     * One piece of the log. Without a TTY each piece is one message of one stream, starting with Docker's timestamp;
     * with one ({@code raw}) the pieces are cut anywhere and a message starts after each newline.
     */
    void frame(byte[] payload, boolean raw);

    /** The log ended: the container stopped (error null) or the reading failed. */
    void end(Throwable error);
}
