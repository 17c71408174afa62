package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;

/** Logs calls of an IAM user are decided by its policies, on the ARNs of the groups and streams. */
class LogsAccessApiTest extends ApiTest {

    /** The user may write to and read the streams of /team/*, and create and list groups there. */
    private static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Action\":[\"logs:CreateLogGroup\",\"logs:CreateLogStream\","
            + "\"logs:PutLogEvents\",\"logs:GetLogEvents\",\"logs:FilterLogEvents\"],"
            + "\"Resource\":\"arn:aws:logs:*:*:log-group:/team/*\"},"
            + "{\"Effect\":\"Deny\",\"Action\":\"logs:PutLogEvents\","
            + "\"Resource\":\"arn:aws:logs:*:*:log-group:/team/frozen:log-stream:*\"}]}";

    static CloudWatchLogsClient root;
    static CloudWatchLogsClient user;

    @BeforeAll
    static void userWithLogsPolicy() {
        IamClient iam = berth.iam();
        iam.createUser(r -> r.userName("logger"));
        iam.putUserPolicy(r -> r.userName("logger").policyName("logs").policyDocument(POLICY));
        AccessKey key = iam.createAccessKey(r -> r.userName("logger")).accessKey();
        iam.close();
        root = LogsClients.of(berth);
        user = LogsClients.of(berth.endpoint(), berth.trust(),
                AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));
    }

    @AfterAll
    static void closeClients() {
        root.close();
        user.close();
    }

    @Test
    void theUserWritesAndReadsWhereItsPolicyAllows() {
        user.createLogGroup(r -> r.logGroupName("/team/api"));
        user.createLogStream(r -> r.logGroupName("/team/api").logStreamName("web/1"));
        user.putLogEvents(r -> r.logGroupName("/team/api").logStreamName("web/1")
                .logEvents(InputLogEvent.builder().timestamp(System.currentTimeMillis()).message("hello").build()));

        assertThat(user.getLogEvents(r -> r.logGroupName("/team/api").logStreamName("web/1")).events())
                .singleElement().satisfies(e -> assertThat(e.message()).isEqualTo("hello"));
        assertThat(user.filterLogEvents(r -> r.logGroupName("/team/api").filterPattern("hello")).events()).hasSize(1);
    }

    @Test
    void elsewhereTheUserIsDeniedWithLogsAccessDenied() {
        root.createLogGroup(r -> r.logGroupName("/other/api"));
        root.createLogStream(r -> r.logGroupName("/other/api").logStreamName("s"));
        String prefix = "arn:aws:logs:us-east-1:" + berth.accountId() + ":log-group:";

        assertThatThrownBy(() -> user.getLogEvents(r -> r.logGroupName("/other/api").logStreamName("s")))
                .isInstanceOfSatisfying(CloudWatchLogsException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("User: arn:aws:iam::" + berth.accountId()
                            + ":user/logger is not authorized to perform: logs:GetLogEvents on resource: " + prefix
                            + "/other/api:log-stream:s because no identity-based policy allows the logs:GetLogEvents"
                            + " action");
                });
        assertThatThrownBy(() -> user.describeLogGroups())
                .isInstanceOfSatisfying(CloudWatchLogsException.class, e -> assertThat(
                        e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
        assertThatThrownBy(() -> user.deleteLogGroup(r -> r.logGroupName("/team/api")))
                .isInstanceOfSatisfying(CloudWatchLogsException.class, e -> assertThat(
                        e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
    }

    @Test
    void anExplicitDenyOnAStreamWins() {
        root.createLogGroup(r -> r.logGroupName("/team/frozen"));
        root.createLogStream(r -> r.logGroupName("/team/frozen").logStreamName("s"));

        assertThatThrownBy(() -> user.putLogEvents(r -> r.logGroupName("/team/frozen").logStreamName("s")
                .logEvents(InputLogEvent.builder().timestamp(System.currentTimeMillis()).message("x").build())))
                .isInstanceOfSatisfying(CloudWatchLogsException.class, e -> assertThat(
                        e.awsErrorDetails().errorMessage()).endsWith("with an explicit deny in an identity-based policy"));
    }
}
