package io.facsimile.core.state;

/** How a state's document becomes bytes and back: in clear (SPEC §5) or encrypted value by value. */
interface StateFormat {

    /** Parses a state file's bytes. */
    StateDocument decode(byte[] content) throws StateCodec.MalformedStateException;

    /** The bytes of {@code document}. */
    byte[] encode(StateDocument document);

    /** The plaintext {@code state.json} of SPEC §5. */
    StateFormat PLAIN = new StateFormat() {
        @Override
        public StateDocument decode(byte[] content) throws StateCodec.MalformedStateException {
            return StateCodec.parse(content);
        }

        @Override
        public byte[] encode(StateDocument document) {
            return StateCodec.write(document);
        }
    };
}
