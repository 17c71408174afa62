package io.berth.agent.engine;

/** When an image is pulled before its container is created. */
public enum ImagePullBehavior {
    /** Always pull; when the pull fails, fall back to a cached copy if there is one. */
    DEFAULT,
    /** Always pull; a failed pull fails the container. */
    ALWAYS,
    /** Pull only images not present on the host. */
    ONCE,
    /** Use a cached copy when there is one, pull otherwise. */
    PREFER_CACHED
}
