package io.berth.server.tls;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.util.IPAddress;

/**
 * The names a server certificate is valid for (its subject alternative names): DNS names and IP addresses, compared
 * as sets so that a certificate is issued again only when the host's names change.
 */
record SubjectNames(SortedSet<String> dnsNames, SortedSet<String> ipAddresses) {

    SubjectNames {
        dnsNames = Collections.unmodifiableSortedSet(new TreeSet<>(dnsNames));
        ipAddresses = Collections.unmodifiableSortedSet(new TreeSet<>(ipAddresses));
    }

    /**
     * The names clients may reach this host by: localhost and the loopback addresses, the host's own name and the
     * addresses of its interfaces (but link-local ones, which come and go with containers), and {@code others}
     * (host names or address literals, such as the host of the public endpoint).
     */
    static SubjectNames ofThisHost(Collection<String> others) {
        List<String> names = new ArrayList<>(List.of("localhost", "127.0.0.1", "::1"));
        try {
            InetAddress self = InetAddress.getLocalHost();
            names.add(self.getHostName());
            names.add(self.getCanonicalHostName());
            names.add(self.getHostAddress());
        } catch (UnknownHostException e) {
            // A host without a resolvable name of its own is reached by address.
        }
        try {
            NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                    .filter(address -> !address.isLinkLocalAddress())
                    .forEach(address -> names.add(address.getHostAddress()));
        } catch (SocketException e) {
            throw new UncheckedIOException("Cannot list this host's network interfaces", e);
        }
        names.addAll(others);
        return of(names);
    }

    /** Each name is an IP literal (IPv6 with or without brackets or a zone) or a DNS name. */
    static SubjectNames of(Collection<String> names) {
        SortedSet<String> dns = new TreeSet<>();
        SortedSet<String> ips = new TreeSet<>();
        for (String raw : names) {
            String name = raw == null ? "" : raw.strip();
            if (name.startsWith("[") && name.endsWith("]")) {
                name = name.substring(1, name.length() - 1);
            }
            int zone = name.indexOf('%');
            String withoutZone = zone >= 0 ? name.substring(0, zone) : name;
            if (IPAddress.isValid(withoutZone)) {
                ips.add(canonicalAddress(withoutZone));
            } else if (!name.isEmpty()) {
                dns.add(name.toLowerCase(Locale.ROOT));
            }
        }
        return new SubjectNames(dns, ips);
    }

    /** The names a certificate is valid for. */
    static SubjectNames of(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    int type = (Integer) alternative.get(0);
                    if (type == GeneralName.dNSName || type == GeneralName.iPAddress) {
                        names.add((String) alternative.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("Unreadable subject alternative names", e);
        }
        return of(names);
    }

    GeneralNames generalNames() {
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
        ipAddresses.forEach(address -> names.add(new GeneralName(GeneralName.iPAddress, address)));
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    /** One spelling per address, so that {@code ::1} and {@code 0:0:0:0:0:0:0:1} compare equal. */
    private static String canonicalAddress(String literal) {
        try {
            // A literal is parsed, never looked up.
            return InetAddress.getByName(literal).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Not an IP address: " + literal, e);
        }
    }
}
