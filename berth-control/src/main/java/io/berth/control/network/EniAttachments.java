package io.berth.control.network;

import io.berth.model.EcsException;
import io.berth.model.Ids;
import io.berth.model.acs.ElasticNetworkInterface;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Attachment;
import software.amazon.awssdk.services.ecs.model.AttachmentStateChange;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.NetworkInterface;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * A task's {@code ElasticNetworkInterface} attachment as ECS shows it, and how it follows the task: PRECREATED when
 * the task is recorded, ATTACHED once the agent confirms it or the task runs, DELETED once the task is STOPPED.
 */
final class EniAttachments {

    static final String TYPE = "ElasticNetworkInterface";
    static final String PRECREATED = "PRECREATED";
    static final String ATTACHED = "ATTACHED";
    static final String DELETED = "DELETED";
    static final String FAILED = "FAILED";
    static final String SUBNET_ID = "subnetId";
    static final String PRIVATE_ADDRESS = "privateIPv4Address";

    /** The statuses of an attachment in the order it goes through them; FAILED ends it from any. */
    private static final List<String> ORDER = List.of(PRECREATED, "CREATED", "ATTACHING", ATTACHED, "DETACHING",
            "DETACHED", DELETED);

    private EniAttachments() {
    }

    /** The task with its interface attached, PRECREATED, and each container on it. */
    static Task attached(Task task, TaskEni eni, String region) {
        Attachment attachment = Attachment.builder()
                .id(eni.attachmentId())
                .type(TYPE)
                .status(PRECREATED)
                .details(detail(SUBNET_ID, eni.subnetId()),
                        detail("networkInterfaceId", eni.networkInterfaceId()),
                        detail("macAddress", eni.macAddress()),
                        detail("privateDnsName", privateDnsName(eni.privateAddress(), region)),
                        detail(PRIVATE_ADDRESS, eni.privateAddress()))
                .build();
        NetworkInterface onIt = NetworkInterface.builder().attachmentId(eni.attachmentId())
                .privateIpv4Address(eni.privateAddress()).build();
        List<Container> containers = task.containers().stream()
                .map(c -> c.toBuilder().networkBindings(List.of()).networkInterfaces(onIt).build())
                .toList();
        List<Attachment> attachments = new ArrayList<>(task.attachments());
        attachments.add(attachment);
        return task.toBuilder().attachments(attachments).containers(containers).build();
    }

    /**
     * The task as it ends when no subnet has an address for it: STOPPED before it reached any instance, as ECS stops
     * a task for which EC2 has no address, with its interface FAILED.
     */
    static Task failed(Task task, String subnetId, Instant now) {
        Attachment attachment = Attachment.builder().id(Ids.uuid()).type(TYPE).status(FAILED)
                .details(detail(SUBNET_ID, subnetId)).build();
        List<Attachment> attachments = new ArrayList<>(task.attachments());
        attachments.add(attachment);
        return task.toBuilder()
                .containerInstanceArn(null)
                .attachments(attachments)
                .containers(task.containers().stream().map(c -> c.toBuilder().lastStatus("STOPPED").build()).toList())
                .lastStatus("STOPPED")
                .desiredStatus("STOPPED")
                .stopCode(TaskStopCode.TASK_FAILED_TO_START)
                .stoppedReason("Unexpected EC2 error while attempting to Create Network Interface in subnet '"
                        + subnetId + "': InsufficientFreeAddressesInSubnet")
                .stoppingAt(now)
                .stoppedAt(now)
                .executionStoppedAt(now)
                .build();
    }

    /** The task's interface attachment, if it has one. */
    static Optional<Attachment> of(Task task) {
        return task.attachments().stream().filter(a -> TYPE.equals(a.type())).findFirst();
    }

    static Optional<String> detail(Attachment attachment, String name) {
        return attachment.details().stream().filter(d -> name.equals(d.name())).map(KeyValuePair::value).findFirst();
    }

    /**
     * The task after a report: the attachments the agent reported move forwards, each of them the task's own; the
     * interface is ATTACHED once the task runs and DELETED once it is STOPPED. An awsvpc task's containers have no
     * host bindings of their own.
     *
     * @throws EcsException when a reported attachment is not the task's, or its status is not one ECS knows
     */
    static Task follow(Task task, List<AttachmentStateChange> reported) {
        List<Attachment> attachments = new ArrayList<>(task.attachments());
        for (AttachmentStateChange change : reported) {
            int index = indexOf(task, attachments, change.attachmentArn());
            if (index < 0) {
                throw EcsException.invalidParameter("The referenced attachment was not found.");
            }
            String status = change.status();
            if (status == null || !ORDER.contains(status) && !FAILED.equals(status)) {
                throw EcsException.invalidParameter("Invalid attachment status: " + status + ".");
            }
            attachments.set(index, forward(attachments.get(index), status));
        }
        boolean eni = false;
        for (int i = 0; i < attachments.size(); i++) {
            Attachment attachment = attachments.get(i);
            if (!TYPE.equals(attachment.type())) {
                continue;
            }
            eni = true;
            if ("RUNNING".equals(task.lastStatus())) {
                attachments.set(i, forward(attachment, ATTACHED));
            } else if ("STOPPED".equals(task.lastStatus())) {
                attachments.set(i, forward(attachment, DELETED));
            }
        }
        Task.Builder builder = task.toBuilder().attachments(attachments);
        if (eni) {
            builder.containers(task.containers().stream()
                    .map(c -> c.networkBindings().isEmpty() ? c : c.toBuilder().networkBindings(List.of()).build())
                    .toList());
        }
        return builder.build();
    }

    /** The interface as the task's agent receives it, with what the stored interface adds. */
    static ElasticNetworkInterface payload(Task task, Attachment attachment, TaskEni eni) {
        Cidr block = Cidr.parse(eni.cidr());
        return new ElasticNetworkInterface(arnOf(task, attachment.id()), eni.networkInterfaceId(), 0,
                eni.macAddress(), List.of(new ElasticNetworkInterface.Ipv4Address(true, eni.privateAddress())),
                Cidr.text(block.gateway()) + "/" + block.prefix(),
                detail(attachment, "privateDnsName").orElse(null), null, null, "default", eni.assignPublicIp());
    }

    /** The ARN of an attachment of the task: {@code arn:aws:ecs:<region>:<account>:attachment/<id>}. */
    static String arnOf(Task task, String attachmentId) {
        String taskArn = task.taskArn();
        return taskArn.substring(0, taskArn.indexOf(":task/")) + ":attachment/" + attachmentId;
    }

    /** The name EC2 gives an address: {@code ip-10-200-3-7.ec2.internal} in us-east-1. */
    static String privateDnsName(String address, String region) {
        String host = "ip-" + address.replace('.', '-');
        return "us-east-1".equals(region) || region == null ? host + ".ec2.internal"
                : host + "." + region + ".compute.internal";
    }

    private static int indexOf(Task task, List<Attachment> attachments, String arn) {
        for (int i = 0; i < attachments.size(); i++) {
            if (attachments.get(i).id() != null && arnOf(task, attachments.get(i).id()).equals(arn)) {
                return i;
            }
        }
        return -1;
    }

    private static Attachment forward(Attachment attachment, String status) {
        String now = attachment.status();
        if (FAILED.equals(now) || DELETED.equals(now) || status.equals(now)) {
            return attachment;
        }
        if (!FAILED.equals(status) && ORDER.indexOf(status) < ORDER.indexOf(now)) {
            return attachment;
        }
        return attachment.toBuilder().status(status).build();
    }

    private static KeyValuePair detail(String name, String value) {
        return KeyValuePair.builder().name(name).value(value).build();
    }
}
