package io.berth.server.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemGenerationException;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/** Certificates and private keys in PEM files, read in any of OpenSSL's usual forms, written atomically. */
final class Pem {

    private Pem() {
    }

    /** Every certificate of the file, in order; fails when there is none. */
    static List<X509Certificate> readCertificates(Path file) {
        List<X509Certificate> certificates = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file); PEMParser parser = new PEMParser(reader)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof X509CertificateHolder holder) {
                    certificates.add(new JcaX509CertificateConverter().getCertificate(holder));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the certificates in " + file, e);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("A certificate in " + file + " is malformed", e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("No PEM certificate in " + file);
        }
        return List.copyOf(certificates);
    }

    /** The first private key of the file: PKCS#8, or OpenSSL's RSA and EC key pairs; never an encrypted one. */
    static PrivateKey readPrivateKey(Path file) {
        try (Reader reader = Files.newBufferedReader(file); PEMParser parser = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the private key in " + file, e);
        }
        throw new IllegalArgumentException("No unencrypted PEM private key in " + file);
    }

    static void writeCertificates(Path file, List<X509Certificate> certificates) {
        write(file, pem(certificates));
    }

    /** Writes the key readable by this user only. */
    static void writePrivateKey(Path file, PrivateKey key) {
        try {
            // PKCS#8, which carries the curve of an EC key as every reader expects it.
            write(file, pem(List.of(new JcaPKCS8Generator(key, null))));
        } catch (PemGenerationException e) {
            throw new IllegalStateException("Cannot encode the private key for " + file, e);
        }
    }

    private static String pem(List<?> objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                if (object instanceof PemObjectGenerator generator) {
                    writer.writeObject(generator);
                } else {
                    writer.writeObject(object);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /**
     * Replaces the file at once and durably, so that a crash leaves the old file or the new one, never half of one.
     * Certificates are written readable by their owner only too, as everything in the data directory (a copy of
     * {@code ca.pem} is what others are given).
     */
    private static void write(Path file, String text) {
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        try {
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
