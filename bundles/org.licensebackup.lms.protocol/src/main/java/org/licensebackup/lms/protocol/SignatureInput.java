package org.licensebackup.lms.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.licensebackup.lms.protocol.StructuredFields.InnerList;
import org.licensebackup.lms.protocol.StructuredFields.Item;

/**
 * One RFC 9421 signature's covered components and parameters, the value of its member in the
 * {@code Signature-Input} header, and the signature base it makes of a message.
 *
 * @param components the covered component identifiers, each a name with its parameters
 *     ({@code "signature";req;key="lms"} is one)
 * @param parameters the signature parameters ({@code keyid}, {@code alg}, {@code nonce}, ...)
 */
public record SignatureInput(List<Item> components, Map<String, Object> parameters) {

    public static final String SIGNATURE_INPUT_HEADER = "signature-input";
    public static final String SIGNATURE_HEADER = "signature";

    public SignatureInput {
        components = List.copyOf(components);
        parameters = new LinkedHashMap<>(parameters);
        for (Item component : components) {
            if (!(component.value() instanceof String)) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "a covered component is named by a string");
            }
        }
    }

    /** A component identifier without parameters. */
    public static Item component(String name) {
        return new Item(name, Map.of());
    }

    /** The components' names with their parameters, as RFC 9421 writes them: {@code "signature";req;key="lms"}. */
    public List<String> componentIdentifiers() {
        List<String> identifiers = new ArrayList<>();
        for (Item component : components) {
            identifiers.add(StructuredFields.serialize(component));
        }
        return identifiers;
    }

    public Optional<String> stringParameter(String name) {
        return parameters.get(name) instanceof String value ? Optional.of(value) : Optional.empty();
    }

    /** The value of {@code "@signature-params"}: the inner list with its parameters. */
    public String serialize() {
        return StructuredFields.serialize(new InnerList(components, parameters));
    }

    /** The {@code label} member of a {@code Signature-Input} header. */
    public static SignatureInput parse(String header, String label) {
        Object member = StructuredFields.parseDictionary(header).get(label);
        if (!(member instanceof InnerList list)) {
            throw new ProtocolException(ErrorCode.NOT_AUTHENTICATED, "Signature-Input has no inner list labelled " + label);
        }
        return new SignatureInput(list.items(), list.parameters());
    }

    /** The {@code label} member of a {@code Signature} header: the signature's bytes. */
    public static byte[] parseSignature(String header, String label) {
        Object member = StructuredFields.parseDictionary(header).get(label);
        if (!(member instanceof Item item) || !(item.value() instanceof byte[] signature)) {
            throw new ProtocolException(ErrorCode.NOT_AUTHENTICATED, "Signature has no byte sequence labelled " + label);
        }
        return signature;
    }

    /**
     * The signature base (RFC 9421 section 2.5): a line {@code "name";params: value} per covered
     * component, then {@code "@signature-params": } and this input.
     *
     * @param componentValues a component's value in the message, or null when the message has none
     * @throws ProtocolException (NOT_AUTHENTICATED) when a covered component is missing or repeated
     */
    public String signatureBase(Function<Item, String> componentValues) {
        Objects.requireNonNull(componentValues, "componentValues");
        StringBuilder base = new StringBuilder();
        List<String> seen = new ArrayList<>();
        for (Item component : components) {
            String identifier = StructuredFields.serialize(component);
            if (seen.contains(identifier)) {
                throw new ProtocolException(ErrorCode.NOT_AUTHENTICATED, "component " + identifier + " is covered twice");
            }
            seen.add(identifier);
            String value = componentValues.apply(component);
            if (value == null) {
                throw new ProtocolException(ErrorCode.NOT_AUTHENTICATED, "the message has no component " + identifier);
            }
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "component " + identifier + " holds a line break");
            }
            base.append(identifier).append(": ").append(value).append('\n');
        }
        return base.append("\"@signature-params\": ").append(serialize()).toString();
    }
}
