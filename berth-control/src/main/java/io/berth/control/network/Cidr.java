package io.berth.control.network;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A block of IPv4 addresses, {@code 10.200.3.0/24}: the network address (host bits zero) and the prefix length.
 * Addresses are held as the unsigned value of an {@code int}.
 */
public record Cidr(int network, int prefix) {

    private static final Pattern FORM = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

    public Cidr {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("A prefix length is between 0 and 32: " + prefix);
        }
        if ((network & ~mask(prefix)) != 0) {
            throw new IllegalArgumentException("The address " + text(network) + " has host bits set for /" + prefix);
        }
    }

    /** Reads {@code a.b.c.d/n}; refuses anything else, and a block whose host bits are not zero. */
    public static Cidr parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("Not an IPv4 block in the form a.b.c.d/n: " + text);
        }
        int address = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(m.group(i));
            if (octet > 255) {
                throw new IllegalArgumentException("Not an IPv4 block in the form a.b.c.d/n: " + text);
            }
            address = address << 8 | octet;
        }
        return new Cidr(address, Integer.parseInt(m.group(5)));
    }

    /** How many addresses the block holds. */
    public long size() {
        return 1L << (32 - prefix);
    }

    /** The {@code index}th address of the block, 0 being the network address. */
    public int address(long index) {
        return network + (int) index;
    }

    /** Where an address of the block lies in it. */
    long indexOf(int address) {
        return Integer.toUnsignedLong(address) - Integer.toUnsignedLong(network);
    }

    public boolean contains(int address) {
        return (address & mask(prefix)) == network;
    }

    /** The gateway of a subnet: its first host address. */
    public int gateway() {
        return network + 1;
    }

    /** The smaller blocks of this one with the given prefix, by index. */
    Cidr part(long index, int partPrefix) {
        return new Cidr(network + (int) (index << (32 - partPrefix)), partPrefix);
    }

    /** How many blocks of the given prefix this one holds. */
    long parts(int partPrefix) {
        return partPrefix < prefix ? 0 : 1L << (partPrefix - prefix);
    }

    @Override
    public String toString() {
        return text(network) + "/" + prefix;
    }

    /** An address in dotted form. */
    public static String text(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
    }

    /** An address read from its dotted form. */
    static int address(String dotted) {
        return parse(dotted + "/32").network();
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }
}
