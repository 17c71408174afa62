/** Which servers the agent trusts over TLS: the JVM's trust store, and a control plane's own CA when given one. */
package io.berth.agent.tls;
