/**
 * Identity and access: accounts, users, access keys, roles, policies, instance profiles, STS sessions, and
 * the authorizer that evaluates identity policies for every service Berth answers.
 */
package io.berth.control.iam;
