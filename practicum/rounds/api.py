from ninja import Router

router = Router(tags=["match rounds"])
