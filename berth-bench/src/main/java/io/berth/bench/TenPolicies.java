package io.berth.bench;

import java.util.List;

/**
 * The policies of the benchmark's IAM user, as a team's user might hold them: nine that grant other
 * services, other clusters or other tags and so match none of the mix's calls, and a tenth that
 * allows the mix on its cluster beside a Deny of deleting it, so that every statement is evaluated.
 */
final class TenPolicies {

    private TenPolicies() {
    }

    static List<String> documents(String region, String account, String cluster) {
        String ecs = "arn:aws:ecs:" + region + ":" + account + ":";
        return List.of(
                policy(allow("[\"s3:GetObject\",\"s3:ListBucket\"]",
                        "[\"arn:aws:s3:::bench-artifacts\",\"arn:aws:s3:::bench-artifacts/*\"]")),
                policy(allow("\"dynamodb:*\"", "\"arn:aws:dynamodb:" + region + ":" + account + ":table/orders\"")),
                policy(allow("[\"logs:CreateLogStream\",\"logs:PutLogEvents\"]",
                        "\"arn:aws:logs:" + region + ":" + account + ":log-group:/ecs/other-team:*\"")),
                policy(allow("\"ecs:*\"", "[\"" + ecs + "cluster/other-team\",\"" + ecs + "task/other-team/*\",\""
                        + ecs + "container-instance/other-team/*\",\"" + ecs + "service/other-team/*\"]")),
                policy(allow("[\"ecs:RunTask\",\"ecs:StartTask\"]", "\"" + ecs + "task-definition/other-*:*\"",
                        "{\"ArnEquals\":{\"ecs:cluster\":\"" + ecs + "cluster/other-team\"}}")),
                policy(allow("\"ecs:*\"", "\"*\"",
                        "{\"StringEquals\":{\"aws:ResourceTag/team\":\"payments\"}}")),
                policy(allow("[\"ecs:CreateService\",\"ecs:UpdateService\",\"ecs:DeleteService\"]",
                        "\"" + ecs + "service/" + cluster + "/web-*\"",
                        "{\"StringLike\":{\"aws:RequestTag/owner\":\"web-*\"}}")),
                policy(allow("[\"ecs:Describe*\",\"ecs:List*\"]", "\"*\"",
                        "{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}")),
                policy(allow("[\"sqs:SendMessage\",\"sns:Publish\"]", "[\"arn:aws:sqs:" + region + ":" + account
                        + ":jobs\",\"arn:aws:sns:" + region + ":" + account + ":alerts\"]")),
                policy(allow("[\"ecs:DescribeClusters\",\"ecs:RegisterTaskDefinition\",\"ecs:DescribeTaskDefinition\","
                                + "\"ecs:RunTask\",\"ecs:DescribeTasks\",\"ecs:ListTasks\"]", "\"*\""),
                        "{\"Effect\":\"Deny\",\"Action\":[\"ecs:DeleteCluster\",\"ecs:DeregisterTaskDefinition\"],"
                                + "\"Resource\":\"*\"}"));
    }

    private static String policy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    private static String allow(String actions, String resources) {
        return "{\"Effect\":\"Allow\",\"Action\":" + actions + ",\"Resource\":" + resources + "}";
    }

    private static String allow(String actions, String resources, String condition) {
        return "{\"Effect\":\"Allow\",\"Action\":" + actions + ",\"Resource\":" + resources + ",\"Condition\":"
                + condition + "}";
    }
}
