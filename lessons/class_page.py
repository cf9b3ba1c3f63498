"""The Class page (``/class``): join a class, continue on another device, or start a class and follow it live.

Not named ``classroom.py``: a page script's folder is put first on ``sys.path`` when it runs alone (as under
``AppTest``), where a ``classroom.py`` would stand in for the ``classroom`` package."""

from ui.class_page import render

render()
