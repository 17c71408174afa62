/**
 * The wire contract shared by the server and the agent: the AWS JSON 1.1 and Query codecs over the AWS SDK v2
 * model shapes, ARNs, ids, timestamps and the AWS error model. No HTTP, SQL or Docker here.
 */
package io.berth.model;
