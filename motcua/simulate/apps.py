from django.apps import AppConfig


class SimulateConfig(AppConfig):
    name = "motcua.simulate"
    label = "simulate"
    verbose_name = "Mô phỏng"
