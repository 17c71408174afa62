package io.berth.control.secrets;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import software.amazon.awssdk.services.secretsmanager.model.GetRandomPasswordRequest;

/** GetRandomPassword's generator: characters of the classes asked for, at least one of each unless told otherwise. */
final class RandomPasswords {

    static final int DEFAULT_LENGTH = 32;
    static final int MAX_LENGTH = 4096;
    private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String DIGITS = "0123456789";
    private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private final SecureRandom random = new SecureRandom();

    String generate(GetRandomPasswordRequest request) {
        long length = request.passwordLength() == null ? DEFAULT_LENGTH : request.passwordLength();
        if (length < 1 || length > MAX_LENGTH) {
            throw SecretsErrors.constraint("passwordLength", length, length < 1
                    ? "Member must have value greater than or equal to 1"
                    : "Member must have value less than or equal to " + MAX_LENGTH);
        }
        String excluded = request.excludeCharacters() == null ? "" : request.excludeCharacters();
        if (excluded.length() > MAX_LENGTH) {
            throw SecretsErrors.constraint("excludeCharacters", null, "Member must have length less than or equal to "
                    + MAX_LENGTH);
        }
        List<String> required = new ArrayList<>();
        addClass(required, LOWER, request.excludeLowercase(), excluded);
        addClass(required, UPPER, request.excludeUppercase(), excluded);
        addClass(required, DIGITS, request.excludeNumbers(), excluded);
        addClass(required, PUNCTUATION, request.excludePunctuation(), excluded);
        StringBuilder pool = new StringBuilder(String.join("", required));
        if (Boolean.TRUE.equals(request.includeSpace()) && excluded.indexOf(' ') < 0) {
            pool.append(' ');
        }
        if (pool.isEmpty()) {
            throw SecretsErrors.invalidParameter("The password can't be generated: every character is excluded.");
        }
        boolean eachType = request.requireEachIncludedType() == null || request.requireEachIncludedType();
        if (eachType && length < required.size()) {
            throw SecretsErrors.invalidParameter("The password length is too short to include a character of each "
                    + "included type.");
        }
        List<Character> chars = new ArrayList<>((int) length);
        if (eachType) {
            required.forEach(characterClass -> chars.add(pick(characterClass)));
        }
        while (chars.size() < length) {
            chars.add(pick(pool));
        }
        Collections.shuffle(chars, random);
        StringBuilder password = new StringBuilder(chars.size());
        chars.forEach(password::append);
        return password.toString();
    }

    private static void addClass(List<String> classes, String characters, Boolean excludedClass, String excluded) {
        if (Boolean.TRUE.equals(excludedClass)) {
            return;
        }
        StringBuilder kept = new StringBuilder();
        characters.chars().filter(c -> excluded.indexOf(c) < 0).forEach(c -> kept.append((char) c));
        if (!kept.isEmpty()) {
            classes.add(kept.toString());
        }
    }

    private char pick(CharSequence characters) {
        return characters.charAt(random.nextInt(characters.length()));
    }
}
