// TensorFlow.js: note tfjs's GRU only supports resetAfter: false, and its default recurrent
// activation is hardSigmoid, unlike Keras.
import * as tf from '@tensorflow/tfjs';

const model = tf.sequential({
  layers: [
    tf.layers.gru({ units: 32, inputShape: [10, 4], returnSequences: false }),
    tf.layers.dense({ units: 1 }),
  ],
});
model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
