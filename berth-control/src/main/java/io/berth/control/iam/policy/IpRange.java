package io.berth.control.iam.policy;

import java.util.Arrays;

/**
 * A CIDR block of IPv4 or IPv6 addresses ({@code 203.0.113.0/24}, {@code 2001:db8::/32}), as the
 * {@code IpAddress} operators take them. A bare address is a block of one. Parsed by hand so that no
 * text is ever sent to a name resolver.
 */
record IpRange(byte[] network, int prefixLength) {

    /** The range written in a policy, or null when it is not a valid address or block. */
    static IpRange parse(String text) {
        String value = text.trim();
        int slash = value.indexOf('/');
        byte[] address = address(slash < 0 ? value : value.substring(0, slash));
        if (address == null) {
            return null;
        }
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String digits = value.substring(slash + 1);
            if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(Character::isDigit)) {
                return null;
            }
            prefix = Integer.parseInt(digits);
            if (prefix > bits) {
                return null;
            }
        }
        return new IpRange(address, prefix);
    }

    /** Whether the address (text from the request) lies within this block. */
    boolean contains(String addressText) {
        byte[] address = address(addressText.trim());
        if (address == null) {
            return false;
        }
        if (address.length == 16 && network.length == 4 && isV4Mapped(address)) {
            address = Arrays.copyOfRange(address, 12, 16);
        }
        if (address.length != network.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (address[fullBytes] & mask) == (network[fullBytes] & mask);
    }

    private static boolean isV4Mapped(byte[] address) {
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xFF && address[11] == (byte) 0xFF;
    }

    /** The bytes of an IPv4 or IPv6 address, or null when the text is not one. */
    static byte[] address(String text) {
        int zone = text.indexOf('%');
        String value = zone < 0 ? text : text.substring(0, zone);
        return value.indexOf(':') >= 0 ? v6(value) : v4(value);
    }

    private static byte[] v4(String text) {
        byte[] out = new byte[4];
        int part = 0;
        int value = -1;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c == '.') {
                if (value < 0 || part == 4) {
                    return null;
                }
                out[part++] = (byte) value;
                value = -1;
            } else if (c >= '0' && c <= '9') {
                value = value < 0 ? c - '0' : value * 10 + (c - '0');
                if (value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return part == 4 ? out : null;
    }

    private static byte[] v6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        String head = gap < 0 ? text : text.substring(0, gap);
        String tail = gap < 0 ? "" : text.substring(gap + 2);
        int[] headGroups = groups(head, gap < 0);
        int[] tailGroups = groups(tail, true);
        if (headGroups == null || tailGroups == null) {
            return null;
        }
        int total = headGroups.length + tailGroups.length;
        if (gap < 0 ? total != 8 : total > 7) {
            return null;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < headGroups.length; i++) {
            out[2 * i] = (byte) (headGroups[i] >> 8);
            out[2 * i + 1] = (byte) headGroups[i];
        }
        int offset = 8 - tailGroups.length;
        for (int i = 0; i < tailGroups.length; i++) {
            out[2 * (offset + i)] = (byte) (tailGroups[i] >> 8);
            out[2 * (offset + i) + 1] = (byte) tailGroups[i];
        }
        return out;
    }

    /** 16-bit groups of one side of "::"; a trailing dotted IPv4 address counts as two groups. */
    private static int[] groups(String text, boolean mayEndWithV4) {
        if (text.isEmpty()) {
            return new int[0];
        }
        String[] pieces = text.split(":", -1);
        byte[] v4 = null;
        String last = pieces[pieces.length - 1];
        if (mayEndWithV4 && last.indexOf('.') >= 0) {
            v4 = v4(last);
            if (v4 == null) {
                return null;
            }
        }
        int hexCount = pieces.length - (v4 == null ? 0 : 1);
        int[] out = new int[hexCount + (v4 == null ? 0 : 2)];
        for (int i = 0; i < hexCount; i++) {
            String piece = pieces[i];
            if (piece.isEmpty() || piece.length() > 4) {
                return null;
            }
            int value = 0;
            for (int j = 0; j < piece.length(); j++) {
                int digit = Character.digit(piece.charAt(j), 16);
                if (digit < 0) {
                    return null;
                }
                value = value * 16 + digit;
            }
            out[i] = value;
        }
        if (v4 != null) {
            out[hexCount] = ((v4[0] & 0xFF) << 8) | (v4[1] & 0xFF);
            out[hexCount + 1] = ((v4[2] & 0xFF) << 8) | (v4[3] & 0xFF);
        }
        return out;
    }
}
