package io.berth.model.acs;

/**
 * A message of a type this codec does not model (error shapes, attachment and update messages...), kept as its
 * type name and raw JSON body so it can be logged or passed on.
 */
public record Unknown(String type, String messageJson) implements AcsMessage {
}
