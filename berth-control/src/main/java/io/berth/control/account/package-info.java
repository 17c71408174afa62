/**
 * Account settings ({@code put-account-setting} and its defaults), starting at the AWS defaults.
 */
package io.berth.control.account;
