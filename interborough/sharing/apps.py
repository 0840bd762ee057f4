from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "interborough.sharing"
    label = "sharing"
    verbose_name = "Information sharing framework"

    def ready(self) -> None:
        # The catalogue asks every registered flow check before letting anyone read restricted
        # data; agreements are one (the catalogue never imports this app).
        from interborough.sharing import hooks

        hooks.register()
