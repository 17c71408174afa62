package io.berth.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Iterator;
import java.util.Locale;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --log-format} and {@code --log-level}, which every long-running command shares; {@link #apply} sets them on
 * the logging already configured by {@code logback.xml}, before the command does anything worth logging.
 */
final class LogOptions {

    /** How each log line is written. */
    enum Format {
        /** The pattern of {@code logback.xml}, request id included. */
        TEXT,
        /** One JSON object per line (logback's JSON encoder), the request id as {@code mdc.requestId}. */
        JSON;

        /** A started encoder that writes JSON lines (the text format is the configured encoder's). */
        static Encoder<ILoggingEvent> json(LoggerContext context) {
            JsonEncoder json = new JsonEncoder();
            json.setContext(context);
            // The message as read, once: not the template, its arguments and the logger context again on every line.
            json.setWithFormattedMessage(true);
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithContext(false);
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.start();
            return json;
        }
    }

    @Option(names = "--log-format", defaultValue = "text", paramLabel = "text|json", converter = FormatConverter.class,
            description = "How log lines are written to standard error: text, or one JSON object per line "
                    + "(default: ${DEFAULT-VALUE}).")
    Format format = Format.TEXT;

    @Option(names = "--log-level", defaultValue = "info", paramLabel = "LEVEL", converter = LevelConverter.class,
            description = "The least severe lines logged: error, warn, info, debug or trace (default: ${DEFAULT-VALUE}).")
    Level level = Level.INFO;

    /** Sets the level and the format on the process's logging. */
    void apply() {
        apply((LoggerContext) LoggerFactory.getILoggerFactory());
    }

    void apply(LoggerContext context) {
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        if (format == Format.TEXT) {
            return;
        }
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> stream) {
                stream.stop();
                stream.setEncoder(Format.json(context));
                stream.start();
            }
        }
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            try {
                return Format.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is no log format: use text or json");
            }
        }
    }

    static final class LevelConverter implements CommandLine.ITypeConverter<Level> {
        @Override
        public Level convert(String value) {
            Level level = Level.toLevel(value, null);
            if (level == null || level == Level.ALL) {
                throw new CommandLine.TypeConversionException("'" + value
                        + "' is no log level: use error, warn, info, debug or trace");
            }
            return level;
        }
    }
}
