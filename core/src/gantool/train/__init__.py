"""The multi-player adversarial trainer: tasks declare a game, the trainer plays it."""

from gantool.train.context import StepContext
from gantool.train.game import Game, Player, Stage
from gantool.train.trainer import Trainer, train

__all__ = ["Game", "Player", "Stage", "StepContext", "Trainer", "train"]
