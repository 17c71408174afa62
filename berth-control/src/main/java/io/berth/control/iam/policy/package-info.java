/**
 * The IAM policy language: parsing and validating policy documents ({@link io.berth.control.iam.policy.PolicyDocument})
 * and deciding requests against them ({@link io.berth.control.iam.policy.PolicyEvaluator}) with IAM's rules for
 * actions, resource ARNs, principals, conditions and policy variables.
 */
package io.berth.control.iam.policy;
