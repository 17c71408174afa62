package io.berth.control.secrets;

import java.util.ArrayList;
import java.util.List;

/**
 * How staging labels move between a secret's versions, as Secrets Manager moves them: a label is on
 * one version at most; moving AWSCURRENT puts AWSPREVIOUS on the version that held it; a version
 * left without labels is deprecated, and the oldest deprecated ones go once a secret holds
 * {@link #MAX_VERSIONS}.
 */
final class SecretStages {

    static final int MAX_VERSIONS = 100;

    private SecretStages() {
    }

    /** The versions with the stage on {@code target} (which must be among them) and off every other. */
    static List<SecretVersion> move(List<SecretVersion> versions, String stage, String target) {
        String holder = holderOf(versions, stage);
        List<SecretVersion> moved = new ArrayList<>(versions.size());
        for (SecretVersion version : versions) {
            List<String> stages = new ArrayList<>(version.stages());
            stages.remove(stage);
            boolean becomesPrevious = Secrets.CURRENT.equals(stage) && holder != null && !holder.equals(target);
            if (becomesPrevious) {
                stages.remove(Secrets.PREVIOUS);
                if (version.versionId().equals(holder)) {
                    stages.add(Secrets.PREVIOUS);
                }
            }
            if (version.versionId().equals(target)) {
                stages.add(stage);
            }
            moved.add(version.withStages(stages));
        }
        return moved;
    }

    /** The versions with the stage off the version that holds it. */
    static List<SecretVersion> remove(List<SecretVersion> versions, String stage) {
        return versions.stream().map(v -> v.stages().contains(stage)
                ? v.withStages(v.stages().stream().filter(s -> !s.equals(stage)).toList()) : v).toList();
    }

    /** The versions with a new one added last and each of its stages moved onto it. */
    static List<SecretVersion> add(List<SecretVersion> versions, SecretVersion added, List<String> stages) {
        List<SecretVersion> all = new ArrayList<>(versions);
        all.add(added.withStages(List.of()));
        for (String stage : stages) {
            all = move(all, stage, added.versionId());
        }
        return all;
    }

    /** The oldest deprecated versions beyond {@link #MAX_VERSIONS}, which a secret drops. */
    static List<SecretVersion> beyondLimit(List<SecretVersion> versions) {
        List<SecretVersion> dropped = new ArrayList<>();
        int excess = versions.size() - MAX_VERSIONS;
        for (SecretVersion version : versions) {
            if (dropped.size() >= excess) {
                break;
            }
            if (version.stages().isEmpty()) {
                dropped.add(version);
            }
        }
        return dropped;
    }

    /** The id of the version that holds the stage, or null. */
    static String holderOf(List<SecretVersion> versions, String stage) {
        for (SecretVersion version : versions) {
            if (version.stages().contains(stage)) {
                return version.versionId();
            }
        }
        return null;
    }
}
