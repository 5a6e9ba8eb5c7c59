# PyTorch: nn.LSTM returns (output, (h_n, c_n)); output holds h_t for every step.
import torch
from torch import nn


class CharLSTM(nn.Module):
    def __init__(self, vocab_size=39, hidden_size=128):
        super().__init__()
        self.lstm = nn.LSTM(vocab_size, 128, num_layers=1, batch_first=True)
        self.head = nn.Linear(128, vocab_size)

    def forward(self, x):
        out, (h_n, c_n) = self.lstm(x)
        return self.head(out)
