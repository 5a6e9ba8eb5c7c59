"""The seed model: a character-level RNN that predicts the next character at every step.

Click "▶ Unroll" above the SimpleRNN line to see it unrolled through time.
A docstring that mentions LSTM(32) is not a layer, and neither is a comment.
"""
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

VOCAB_SIZE = 39  # one-hot characters


class RNNLayer(keras.Model):
    def __init__(self):
        super().__init__()
        # layers.LSTM(256)  <- commented out: no lens here
        self.rnn = layers.SimpleRNN(128, activation='tanh', return_sequences=True)
        self.head = layers.TimeDistributed(layers.Dense(39, activation='softmax'))

    def call(self, x):
        # x: (batch, T, 39) one-hot characters -> (batch, T, 39) next-character probabilities
        return self.head(self.rnn(x))


model = RNNLayer()
model.compile(optimizer='adam', loss='categorical_crossentropy')
