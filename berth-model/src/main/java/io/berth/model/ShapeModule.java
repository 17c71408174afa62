package io.berth.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.Deserializers;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import software.amazon.awssdk.core.SdkPojo;

/**
 * A Jackson module that reads and writes AWS SDK shapes with {@link AwsJson}, so records that hold
 * shapes (stored documents, agent messages) can be mapped by Jackson.
 */
public final class ShapeModule extends SimpleModule {

    private final transient AwsJson awsJson;

    public ShapeModule() {
        this(new AwsJson());
    }

    public ShapeModule(AwsJson awsJson) {
        super("berth-shapes");
        this.awsJson = awsJson;
        addSerializer(SdkPojo.class, new StdSerializer<>(SdkPojo.class) {
            @Override
            public void serialize(SdkPojo value, JsonGenerator out, SerializerProvider provider) throws IOException {
                awsJson.write(value, out);
            }
        });
    }

    @Override
    public void setupModule(SetupContext context) {
        super.setupModule(context);
        context.addDeserializers(new Deserializers.Base() {
            @Override
            public JsonDeserializer<?> findBeanDeserializer(JavaType type, DeserializationConfig config,
                    BeanDescription description) {
                if (!SdkPojo.class.isAssignableFrom(type.getRawClass())) {
                    return null;
                }
                @SuppressWarnings("unchecked")
                Class<? extends SdkPojo> shape = (Class<? extends SdkPojo>) type.getRawClass();
                return new JsonDeserializer<SdkPojo>() {
                    @Override
                    public SdkPojo deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                        return awsJson.read(parser, shape);
                    }
                };
            }
        });
    }
}
