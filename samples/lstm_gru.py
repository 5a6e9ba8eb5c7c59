# Many-to-one vs many-to-many, and what return_state adds. Put the cursor on a layer and run
# "RNN Unroll: Unroll Layer at Cursor" from the command palette, or click a lens.
import keras
from keras import layers

inputs = keras.Input(shape=(20, 8))

# many-to-one: only the last step's h_T comes out, shape (batch, 64)
summary = layers.LSTM(64)(inputs)

# many-to-many with the final states as well: [sequence, h, c]
seq, h, c = layers.LSTM(32, return_sequences=True, return_state=True)(inputs)

# Keras 3's GRU resets after the recurrent matmul (reset_after=True) by default
gru_out = layers.GRU(16, return_sequences=True)(inputs)

# both directions, merged by concatenation: (batch, 20, 2 * 24)
bi = layers.Bidirectional(layers.GRU(24, return_sequences=True), merge_mode="concat")(inputs)

model = keras.Model(inputs, [summary, seq, gru_out, bi])
