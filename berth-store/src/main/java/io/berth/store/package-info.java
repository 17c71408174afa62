/**
 * The stores: SQLite (embedded default) and PostgreSQL, for control-plane documents and for log events,
 * with their schema migrations.
 */
package io.berth.store;
