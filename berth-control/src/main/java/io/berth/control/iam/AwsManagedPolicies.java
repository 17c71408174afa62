package io.berth.control.iam;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The AWS-managed policies Berth offers for attaching, under the account {@code aws}: full access,
 * the container-instance permissions agents need, and full ECS access.
 */
final class AwsManagedPolicies {

    record AwsPolicy(String name, String path, String id, String document, Instant created) {

        String arn(String partition) {
            return "arn:" + partition + ":iam::aws:policy" + path + name;
        }
    }

    private static final Instant CREATED = Instant.parse("2015-02-06T18:39:46Z");

    static final List<AwsPolicy> ALL = List.of(
            new AwsPolicy("AdministratorAccess", "/", "ANPABERTHADMINACCESS2", """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""", CREATED),
            new AwsPolicy("AmazonEC2ContainerServiceforEC2Role", "/service-role/", "ANPABERTHECSINSTANCE2", """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:DescribeTags",\
                    "ecs:CreateCluster","ecs:DeregisterContainerInstance","ecs:DiscoverPollEndpoint","ecs:Poll",\
                    "ecs:RegisterContainerInstance","ecs:StartTelemetrySession","ecs:UpdateContainerInstancesState",\
                    "ecs:Submit*","ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability",\
                    "ecr:GetDownloadUrlForLayer","ecr:BatchGetImage","logs:CreateLogStream","logs:PutLogEvents"],\
                    "Resource":"*"},{"Effect":"Allow","Action":"ecs:TagResource","Resource":"*","Condition":\
                    {"StringEquals":{"ecs:CreateAction":["CreateCluster","RegisterContainerInstance"]}}}]}""", CREATED),
            new AwsPolicy("AmazonECS_FullAccess", "/", "ANPABERTHECSFULLACCES", """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecs:*","iam:ListRoles",\
                    "iam:ListInstanceProfiles","iam:GetRole"],"Resource":"*"},{"Effect":"Allow","Action":"iam:PassRole",\
                    "Resource":"*","Condition":{"StringLike":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}}]}""",
                    CREATED));

    private AwsManagedPolicies() {
    }

    static Optional<AwsPolicy> byArn(String arn) {
        String[] parts = arn.split(":", 6);
        if (parts.length < 6 || !"aws".equals(parts[4])) {
            return Optional.empty();
        }
        return ALL.stream().filter(p -> p.arn(parts[1]).equals(arn)).findFirst();
    }
}
