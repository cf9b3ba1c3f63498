"""Each lesson's Streamlit side: its cached view and one render function per section."""
