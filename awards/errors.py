"""Domain errors of the public notice and the naming; views turn them into a message in Chinese."""


class AwardsError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
