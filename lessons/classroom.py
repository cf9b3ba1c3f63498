"""The Class page: join a class, continue on another device, or start a class and follow it live."""

from ui.class_page import render

render()
